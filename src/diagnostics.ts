import type { SpecPath } from './contract.js';
import type { CoreRule } from './rules.js';

/** How bad a problem is; every rule reports errors for now, which make validate exit 1. */
export type Severity = 'error';

/** One problem found in a spec. */
export interface Problem {
  /**
   * Stable id of the rule that found it: a core rule (`coreRules`, e.g. 'schema/unknown-key')
   * or a mode's own, prefixed with the mode ('gre/key-conflict').
   */
  rule: string;
  severity: Severity;
  message: string;
  /** Where in the spec, as keys and indexes; empty for the whole file. */
  path: SpecPath;
  /** Set for an unknown key, so the location points at the key rather than its value. */
  atKey?: boolean;
  file?: string;
  line?: number;
  column?: number;
}

/** A problem found by one of the core's rules; `extra` adds the location when it is known already. */
export function coreProblem(
  rule: CoreRule,
  message: string,
  path: SpecPath = [],
  extra: Pick<Problem, 'atKey' | 'file' | 'line' | 'column'> = {},
): Problem {
  return { rule, severity: 'error', message, path, ...extra };
}

/** Thrown by the API when a spec has problems; carries all of them. */
export class SpecError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SpecError';
  }
}

/** No spec to check: none found, or the file cannot be read. A usage error, not a problem in a spec. */
export class SpecMissingError extends SpecError {
  constructor(problem: Problem) {
    super([problem]);
    this.name = 'SpecMissingError';
  }
}

/** A path in the dotted form users read: tunnels[0].ends[1].host */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** FILE:LINE:COL: message (path), the form editors and pre-commit understand. */
export function formatProblem(problem: Problem): string {
  const where = [problem.file ?? '<spec>', problem.line, problem.column].filter((x) => x !== undefined).join(':');
  const path = problem.path.length ? ` (${formatPath(problem.path)})` : '';
  return `${where}: ${problem.message}${path}`;
}

/** Shows a user value inside a message without letting it break the line. */
export function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
