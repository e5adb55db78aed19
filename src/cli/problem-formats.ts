/**
 * Problems in the forms pipelines read: plain lines for people and editors,
 * JSON for scripts, GitHub workflow commands (annotations on the changed
 * lines) and SARIF 2.1.0 for code scanning.
 */
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatPath, formatProblem, type Problem } from '../diagnostics.js';
import { coreRules } from '../rules.js';
import { version } from '../version.js';

export const problemFormats = ['text', 'json', 'github', 'sarif'] as const;
export type ProblemFormat = (typeof problemFormats)[number];

/** One problem as JSON: every field always present, null where unknown. */
export interface ProblemRecord {
  file: string | null;
  line: number | null;
  column: number | null;
  /** The spec path as printed in text (`tunnels[0].ttl`); '' for the whole file. */
  path: string;
  message: string;
  rule: string;
  severity: string;
}

export function problemRecord(problem: Problem): ProblemRecord {
  return {
    file: problem.file ?? null,
    line: problem.line ?? null,
    column: problem.column ?? null,
    path: formatPath(problem.path),
    message: problem.message,
    rule: problem.rule,
    severity: problem.severity,
  };
}

/** What a checked file came to, for the JSON and SARIF reports. */
export interface FileResult {
  file: string;
  /** Tunnels in the spec when it is valid, null when it is not. */
  tunnels: number | null;
  problems: Problem[];
}

/** The whole report in one format; text is one line per problem (callers print the valid-file summaries). */
export function formatReport(format: ProblemFormat, results: FileResult[]): string {
  const problems = results.flatMap((r) => r.problems);
  switch (format) {
    case 'text':
      return problems.map(formatProblem).join('\n');
    case 'json':
      return JSON.stringify(
        {
          valid: problems.length === 0,
          files: results.map((r) => ({ file: r.file, valid: r.problems.length === 0, tunnels: r.tunnels })),
          problems: problems.map(problemRecord),
        },
        null,
        2,
      );
    case 'github':
      return problems.map(githubAnnotation).join('\n');
    case 'sarif':
      return JSON.stringify(sarifLog(problems), null, 2);
  }
}

// Workflow command escaping: data escapes %, CR and LF; property values also : and ,.
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=F,line=L,col=C,title=RULE::message (path)`, read by GitHub Actions from a step's output. */
export function githubAnnotation(problem: Problem): string {
  const properties = [
    problem.file !== undefined ? `file=${escapeProperty(problem.file)}` : undefined,
    problem.line !== undefined ? `line=${problem.line}` : undefined,
    problem.column !== undefined ? `col=${problem.column}` : undefined,
    `title=${escapeProperty(`tungen ${problem.rule}`)}`,
  ].filter((p) => p !== undefined);
  const path = problem.path.length ? ` (${formatPath(problem.path)})` : '';
  return `::${problem.severity} ${properties.join(',')}::${escapeData(`${problem.message}${path}`)}`;
}

/**
 * A file as a SARIF artifact URI: relative paths stay relative (code scanning
 * resolves them against the repository's root, so run tungen from there), with
 * `/` separators and percent-encoding; absolute paths become file: URLs.
 */
function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(sep).map(encodeURIComponent).join('/');
}

const sarifLevel: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0: one run, the rules that fired with their descriptions, one result per problem. */
function sarifLog(problems: Problem[]) {
  const ruleIds = [...new Set(problems.map((p) => p.rule))].sort();
  const descriptions: Readonly<Record<string, string>> = coreRules;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tungen',
            version,
            rules: ruleIds.map((id) => ({
              id,
              ...(descriptions[id] ? { shortDescription: { text: descriptions[id] } } : {}),
            })),
          },
        },
        results: problems.map((p) => ({
          ruleId: p.rule,
          ruleIndex: ruleIds.indexOf(p.rule),
          level: sarifLevel[p.severity] ?? 'error',
          message: { text: p.path.length ? `${p.message} (${formatPath(p.path)})` : p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(p.file ?? '') },
                ...(p.line !== undefined
                  ? { region: { startLine: p.line, ...(p.column !== undefined ? { startColumn: p.column } : {}) } }
                  : {}),
              },
              ...(p.path.length ? { logicalLocations: [{ fullyQualifiedName: formatPath(p.path) }] } : {}),
            },
          ],
        })),
      },
    ],
  };
}
