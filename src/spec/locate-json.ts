import type { Problem } from '../diagnostics.js';

/**
 * Adds line and column to the problems of a JSON spec in one pass over the text,
 * entering only the lists and mappings on the problems' paths and skipping the
 * rest character by character. A JSON spec needs no YAML parser to be located:
 * this costs tens of milliseconds and no memory to speak of for 10 MB, where
 * building a YAML document with positions costs seconds and most of a gigabyte.
 * Undefined when the text is not JSON after all (a .json file may hold YAML's flow
 * syntax, which the loader accepts), for the YAML locator to take over.
 */
export function locateJsonProblems(source: string, problems: Problem[]): Problem[] | undefined {
  const root = new Wanted();
  for (const problem of problems) if (problem.line === undefined) root.add(problem.path);
  try {
    new Scanner(source).value(0, root);
  } catch (error) {
    if (!(error instanceof Unexpected)) throw error;
    return undefined;
  }
  const lines = lineStarts(source);
  return problems.map((problem) => {
    if (problem.line !== undefined) return problem;
    const offset = root.offsetOf(problem.path, problem.atKey ?? false) ?? 0;
    const line = lineOf(lines, offset);
    return { ...problem, line: line + 1, column: offset - lines[line]! + 1 };
  });
}

/** The paths problems name, as a tree; each node learns where its value (and key) starts. */
class Wanted {
  readonly children = new Map<string, Wanted>();
  valueAt?: number;
  keyAt?: number;

  add(path: ReadonlyArray<string | number>): void {
    const [first, ...rest] = path;
    if (first === undefined) return;
    const key = String(first);
    (this.children.get(key) ?? this.children.set(key, new Wanted()).get(key)!).add(rest);
  }

  /** Offset of the deepest node on the path that was found (a missing key points at its parent). */
  offsetOf(path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
    const [first, ...rest] = path;
    const child = first === undefined ? undefined : this.children.get(String(first));
    if (!child || child.valueAt === undefined) return this.valueAt;
    if (rest.length === 0 && atKey && child.keyAt !== undefined) return child.keyAt;
    return child.offsetOf(rest, atKey);
  }
}

class Unexpected extends Error {}

class Scanner {
  constructor(private readonly text: string) {}

  private space(i: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return i;
    }
  }

  /** End of the string starting at the quote at `i`. */
  private stringEnd(i: number): number {
    const text = this.text;
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x5c) j++;
      else if (c === 0x22) return j + 1;
    }
    throw new Unexpected();
  }

  /** Reads the value at (or after spaces from) `i`; records its start in `wanted`; returns its end. */
  value(i: number, wanted: Wanted | undefined): number {
    i = this.space(i);
    const text = this.text;
    const c = text.charCodeAt(i);
    if (wanted) wanted.valueAt = i;
    if (c === 0x22) return this.stringEnd(i);
    if (c !== 0x7b && c !== 0x5b) {
      // A number, true, false or null: up to the next delimiter.
      let j = i;
      while (j < text.length && !',]}: \t\r\n'.includes(text[j]!)) j++;
      if (j === i) throw new Unexpected();
      return j;
    }
    if (!wanted || wanted.children.size === 0) return this.skipContainer(i);
    return c === 0x7b ? this.mapping(i, wanted) : this.list(i, wanted);
  }

  private mapping(i: number, wanted: Wanted): number {
    const text = this.text;
    i = this.space(i + 1);
    if (text.charCodeAt(i) === 0x7d) return i + 1;
    for (;;) {
      i = this.space(i);
      if (text.charCodeAt(i) !== 0x22) throw new Unexpected();
      const keyEnd = this.stringEnd(i);
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      const child = wanted.children.get(key);
      // The first of equal keys is the one located (a duplicate is refused when loading anyway).
      const fresh = child && child.valueAt === undefined ? child : undefined;
      if (fresh) fresh.keyAt = i;
      i = this.space(keyEnd);
      if (text.charCodeAt(i) !== 0x3a) throw new Unexpected();
      i = this.space(this.value(i + 1, fresh));
      const c = text.charCodeAt(i);
      if (c === 0x7d) return i + 1;
      if (c !== 0x2c) throw new Unexpected();
      i++;
    }
  }

  private list(i: number, wanted: Wanted): number {
    const text = this.text;
    i = this.space(i + 1);
    if (text.charCodeAt(i) === 0x5d) return i + 1;
    for (let index = 0; ; index++) {
      i = this.space(this.value(i, wanted.children.get(String(index))));
      const c = text.charCodeAt(i);
      if (c === 0x5d) return i + 1;
      if (c !== 0x2c) throw new Unexpected();
      i++;
    }
  }

  /** End of the list or mapping at `i`, without looking inside more than to match brackets. */
  private skipContainer(i: number): number {
    const text = this.text;
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) j = this.stringEnd(j) - 1;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return j + 1;
    }
    throw new Unexpected();
  }
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the line holding `offset` (binary search in the line starts). */
function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
