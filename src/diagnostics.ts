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
    else out += `[${quote(part)}]`;
  }
  return out;
}

/** FILE:LINE:COL: message (path), the form editors and pre-commit understand. */
export function formatProblem(problem: Problem): string {
  const where = [escapeInvisible(problem.file ?? '<spec>'), problem.line, problem.column]
    .filter((x) => x !== undefined)
    .join(':');
  const path = problem.path.length ? ` (${formatPath(problem.path)})` : '';
  return `${where}: ${problem.message}${path}`;
}

/** Longest part of a value a message shows: a 10 MB value must not come back in a message. */
const quotedLength = 60;

/**
 * Characters that break a line or do not show: controls, format characters
 * (zero-width, bidi, BOM), line and paragraph separators, NEL, and spaces
 * other than the plain one. They are written as \uXXXX.
 */
const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Co}\p{Cn}\p{Cs}]/gu;

/** `text` with every invisible or line-breaking character written as \uXXXX (a plain space stays). */
function escapeInvisible(text: string): string {
  return text.replace(invisible, (c) => {
    if (c === ' ') return c;
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/**
 * Shows a user value inside a message on one line: strings in double quotes
 * with invisible characters escaped, lists and mappings as JSON; anything
 * longer than `quotedLength` cut with "..." (never serialised past that, so
 * an alias bomb costs nothing here).
 */
export function quote(value: unknown, max = quotedLength): string {
  if (typeof value === 'string' && value.length > max) {
    return `${escapeInvisible(JSON.stringify(value.slice(0, max)))}... (${value.length} characters)`;
  }
  const out = { text: '', full: false };
  preview(value, out, max);
  return out.full ? `${out.text.slice(0, max)}...` : out.text;
}

function preview(value: unknown, out: { text: string; full: boolean }, max: number): void {
  const add = (text: string) => {
    if (out.full) return;
    out.text += text;
    if (out.text.length > max) out.full = true;
  };
  if (typeof value === 'string') {
    // Only the start of a long string is looked at.
    const head = value.length > max + 1 ? value.slice(0, max + 1) : value;
    add(escapeInvisible(JSON.stringify(head)));
  } else if (Array.isArray(value)) {
    add('[');
    for (let i = 0; i < value.length && !out.full; i++) {
      if (i) add(',');
      preview(value[i], out, max);
    }
    add(']');
  } else if (value !== null && typeof value === 'object') {
    add('{');
    let first = true;
    for (const key in value) {
      if (out.full) break;
      if (!Object.hasOwn(value, key)) continue;
      if (!first) add(',');
      first = false;
      preview(key, out, max);
      add(':');
      preview((value as Record<string, unknown>)[key], out, max);
    }
    add('}');
  } else {
    add(escapeInvisible(JSON.stringify(value) ?? String(value)));
  }
}
