import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Problem } from '../diagnostics.js';
import { locateJsonProblems } from './locate-json.js';

/**
 * Adds line and column to problems. Parsing with positions is slower than the
 * plain parse used on the happy path, so it only runs when there is something
 * to report.
 */
export function locateProblems(source: string, problems: Problem[], options: LocateOptions = {}): Problem[] {
  const located = options.json ? locateJsonProblems(source, problems) : undefined;
  if (located) return located;
  let offsets: Array<number | undefined> = problems.map(() => undefined);
  if (source.length > (options.wholeTextLimit ?? wholeTextLimit)) {
    // Parts of a big spec, where its layout allows: the whole text is parsed only for the rest.
    const sections = new BlockSections(source, options.wholeTextLimit ?? wholeTextLimit);
    offsets = problems.map((problem) =>
      problem.line === undefined ? sections.offsetOf(problem.path, problem.atKey ?? false) : undefined,
    );
  }
  const lineCounter = new LineCounter();
  if (problems.some((problem, i) => problem.line === undefined && offsets[i] === undefined)) {
    const doc = parseDocument(source, { lineCounter, uniqueKeys: false });
    const keys = new KeyIndex();
    offsets = problems.map((problem, i) =>
      problem.line !== undefined
        ? undefined
        : // A problem of the whole file (empty, a comment only) is at its start.
          (offsets[i] ?? offsetOf(doc.contents, problem.path, problem.atKey ?? false, keys) ?? 0),
    );
  } else {
    // The parts were parsed on their own: count the lines of the whole text here.
    lineCounter.addNewLine(0);
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  }
  return problems.map((problem, i) => {
    if (problem.line !== undefined) return problem;
    const { line, col } = lineCounter.linePos(offsets[i]!);
    return { ...problem, line, column: col };
  });
}

export interface LocateOptions {
  /** The text is JSON (a .json file): located by the JSON scanner, if it is JSON indeed. */
  json?: boolean;
  /** Texts up to this many characters are parsed whole (default 256 KiB); tests lower it. */
  wholeTextLimit?: number;
}

/** Specs up to this size are parsed whole to be located; a bigger one part by part where it can be. */
const wholeTextLimit = 256 * 1024;

/**
 * A big YAML spec in block layout, cut into the parts a problem can be in: the
 * section of a top-level key (from its line to the next top-level key), and in a
 * big section holding a block list, the lines of one item. A part is parsed on its
 * own, with positions, the item's "- " blanked out so the rest keeps its columns.
 * Building a YAML document with positions for 10 MB takes seconds and most of a
 * gigabyte; a part takes next to nothing. Anything this does not recognise (flow
 * layout at the top, a key not found, a part that does not parse cleanly) is left
 * to the whole-text parse.
 */
class BlockSections {
  /** Top-level key -> [start, end) of its section; undefined when the top is not a block mapping. */
  private readonly sections: Map<string, [number, number]> | undefined;
  private readonly parsed = new Map<number, { doc: Document.Parsed; keys: KeyIndex } | undefined>();

  constructor(
    private readonly source: string,
    private readonly partLimit: number,
  ) {
    this.sections = topLevelSections(source);
  }

  offsetOf(path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
    const [first, index] = path;
    if (!this.sections) return undefined;
    // The whole file: where its mapping starts, at its first key.
    if (first === undefined) return this.sections.values().next().value?.[0];
    const section = this.sections.get(String(first));
    // A key the spec does not have: the problem is at the mapping it belongs in.
    if (!section) return this.offsetOf([], false);
    const [start, end] = section;
    if (typeof index === 'number' && end - start > this.partLimit) {
      const item = listItem(this.source, start, end, index);
      if (item) return this.offsetIn(item[0], item[1], path.slice(2), atKey, true);
    }
    return this.offsetIn(start, end, path, atKey, false);
  }

  /** Offset of `path` inside the part [start, end), parsed on its own; undefined when it does not parse cleanly. */
  private offsetIn(
    start: number,
    end: number,
    path: ReadonlyArray<string | number>,
    atKey: boolean,
    item: boolean,
  ): number | undefined {
    if (!this.parsed.has(start)) {
      let text = this.source.slice(start, end);
      // "  - name: x" becomes "    name: x": the item's mapping, at the same columns.
      if (item) text = text.replace(/^( *)-/, (dash) => ' '.repeat(dash.length));
      const doc = parseDocument(text, { uniqueKeys: false });
      this.parsed.set(start, doc.errors.length ? undefined : { doc, keys: new KeyIndex() });
    }
    const part = this.parsed.get(start);
    if (!part) return undefined;
    const offset = offsetOf(part.doc.contents, path, atKey, part.keys);
    return offset === undefined ? undefined : start + offset;
  }
}

/** A top-level key at the start of a line, plain or quoted, followed by ':'. */
const topLevelKey =
  /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\s#'"\-?:,[\]{}|>!&*%@`][^\n#]*?))[ \t]*:(?:[ \t]|$)/gm;

/** The section of each top-level key, or undefined when the text is not one block mapping of plain keys. */
function topLevelSections(source: string): Map<string, [number, number]> | undefined {
  const sections = new Map<string, [number, number]>();
  let previous: [string, number] | undefined;
  let lineStart = 0;
  for (const line of source.split('\n')) {
    const first = line[0];
    if (first !== undefined && first !== ' ' && first !== '#' && first !== '\r' && first !== '\t') {
      topLevelKey.lastIndex = 0;
      const match = topLevelKey.exec(line);
      // Anything else at the left margin (a list, a flow mapping, "---", a complex key): not this layout.
      if (!match) return undefined;
      const key =
        match[1] !== undefined ? (JSON.parse(`"${match[1]}"`) as string) : (match[2]?.replace(/''/g, "'") ?? match[3]!);
      if (previous && !sections.has(previous[0])) sections.set(previous[0], [previous[1], lineStart]);
      previous = [key, lineStart];
    }
    lineStart += line.length + 1;
  }
  if (previous && !sections.has(previous[0])) sections.set(previous[0], [previous[1], source.length]);
  return sections;
}

/** [start, end) of the lines of item `index` of the block list that is a section's value. */
function listItem(source: string, start: number, end: number, index: number): [number, number] | undefined {
  const section = source.slice(start, end);
  // The list's items start where its first "- " does, at that line's indentation.
  const first = /\n( *)-(?: |$)/m.exec(section);
  if (!first) return undefined;
  const dash = new RegExp(`^${first[1]}-(?: |$)`, 'gm');
  const starts: number[] = [];
  for (let match = dash.exec(section); match; match = dash.exec(section)) starts.push(match.index);
  const from = starts[index];
  if (from === undefined) return undefined;
  return [start + from, start + (starts[index + 1] ?? section.length)];
}

/**
 * The pairs of each mapping by key, built when a path first goes through it: 100 problems
 * in a mapping of 600,000 keys are 100 lookups, not 100 scans. The first of equal keys wins.
 */
class KeyIndex {
  private readonly maps = new WeakMap<YAMLMap, Map<string, Pair>>();
  pair(map: YAMLMap, key: string): Pair | undefined {
    let index = this.maps.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const name = isScalar(item.key) ? String(item.key.value) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, item);
      }
      this.maps.set(map, index);
    }
    return index.get(key);
  }
}

/** Offset of the deepest node on the path that exists (a missing key points at its parent). */
function offsetOf(
  root: Node | null,
  path: ReadonlyArray<string | number>,
  atKey: boolean,
  keys: KeyIndex,
): number | undefined {
  let node: Node | null = root;
  let offset = root?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = keys.pair(node, String(part));
      if (!pair) break;
      const key = pair.key as Node | null;
      if (last && atKey && key?.range) return key.range[0];
      node = (pair.value as Node | null) ?? null;
      offset = node?.range?.[0] ?? key?.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

/** Where the second document of a YAML stream starts. */
export function secondDocument(source: string): { line: number; column: number } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter });
  const second = Array.isArray(documents) ? documents[1] : undefined;
  if (!second) return { line: 1, column: 1 };
  const { line, col } = lineCounter.linePos(second.range[0]);
  return { line, column: col };
}
