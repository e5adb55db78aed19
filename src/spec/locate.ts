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
 * section of one key of a block mapping (from its line to the next key at the same
 * indentation), and in a big section holding a block list, the lines of one item,
 * again cut by its keys when it is big. A part is parsed on its own, with positions,
 * an item's "- " blanked out so the rest keeps its columns. Building a YAML document
 * with positions for 10 MB takes seconds and most of a gigabyte; a part takes next
 * to nothing. Anything this does not recognise (flow layout at the top, a part that
 * does not parse cleanly) is left to the whole-text parse.
 */
class BlockSections {
  private readonly parsed = new Map<number, { doc: Document.Parsed; keys: KeyIndex } | undefined>();
  private readonly cut = new Map<number, Map<string, [number, number]> | undefined>();

  constructor(
    private readonly source: string,
    private readonly partLimit: number,
  ) {}

  offsetOf(path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
    return this.inMapping(0, this.source.length, 0, false, path, atKey);
  }

  /** `path` in the block mapping at `indent` that fills [start, end) (an item's, when `item`). */
  private inMapping(
    start: number,
    end: number,
    indent: number,
    item: boolean,
    path: ReadonlyArray<string | number>,
    atKey: boolean,
  ): number | undefined {
    if (!this.cut.has(start)) this.cut.set(start, sectionsAt(this.source, start, end, indent, item));
    const sections = this.cut.get(start);
    // Not a block mapping of plain keys: the top goes to the whole-text parse, a part is parsed whole.
    if (!sections) return start === 0 ? undefined : this.offsetIn(start, end, path, atKey, item);
    const [first, next] = path;
    // The mapping itself: where its first key is.
    if (first === undefined) {
      // Every key line of this mapping has its key at column `indent`.
      const [firstStart] = sections.values().next().value!;
      return firstStart + indent;
    }
    const section = sections.get(String(first));
    // A key the mapping does not have: the problem is at the mapping.
    if (!section) return this.inMapping(start, end, indent, item, [], false);
    const [from, to] = section;
    const dash = item && from === start;
    if (path.length > 1 && to - from > this.partLimit) {
      if (typeof next === 'number') {
        const listed = listItem(this.source, from, to, next);
        if (listed) return this.inItem(listed[0], listed[1], path.slice(2), atKey);
      } else {
        const nested = nestedMapping(this.source, from, to, indent);
        if (nested !== undefined)
          return this.inMapping(nested, to, indentOf(this.source, nested), false, path.slice(1), atKey);
      }
    }
    return this.offsetIn(from, to, path, atKey, dash);
  }

  /** `path` in the list item [start, end): cut by its keys when it is big. */
  private inItem(start: number, end: number, path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
    const content = /^( *- +)(?=\S)/.exec(this.source.slice(start, Math.min(end, start + 200)));
    if (end - start > this.partLimit && content && typeof path[0] === 'string')
      return this.inMapping(start, end, content[1]!.length, true, path, atKey);
    return this.offsetIn(start, end, path, atKey, true);
  }

  /** Offset of `path` inside the part [start, end), parsed on its own; undefined when it does not parse cleanly. */
  private offsetIn(
    start: number,
    end: number,
    path: ReadonlyArray<string | number>,
    atKey: boolean,
    item: boolean,
  ): number | undefined {
    const key = item ? -start - 1 : start;
    if (!this.parsed.has(key)) {
      let text = this.source.slice(start, end);
      // "  - name: x" becomes "    name: x": the item's mapping, at the same columns.
      if (item) text = text.replace(/^( *)-/, (dash) => ' '.repeat(dash.length));
      const doc = parseDocument(text, { uniqueKeys: false });
      this.parsed.set(key, doc.errors.length ? undefined : { doc, keys: new KeyIndex() });
    }
    const part = this.parsed.get(key);
    if (!part) return undefined;
    const offset = offsetOf(part.doc.contents, path, atKey, part.keys);
    return offset === undefined ? undefined : start + offset;
  }
}

/** A key at the start of a line's content, plain or quoted, followed by ':'. */
const blockKey = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\s#'"\-?:,[\]{}|>!&*%@`][^\n#]*?))[ \t]*:(?:[ \t]|$)/;

/**
 * The section of each key of the block mapping at `indent` in [start, end), or
 * undefined when the lines there are not that (a list, a flow mapping, "---", a
 * complex key). With `item`, the first line starts with the item's "- ".
 */
function sectionsAt(
  source: string,
  start: number,
  end: number,
  indent: number,
  item: boolean,
): Map<string, [number, number]> | undefined {
  const sections = new Map<string, [number, number]>();
  let previous: [string, number] | undefined;
  for (let lineStart = start; lineStart < end;) {
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline < 0 || newline > end ? end : newline;
    const line = source.slice(lineStart, lineEnd);
    const lead = lineStart === start && item ? /^ *- +/.exec(line)?.[0].length : /^ */.exec(line)![0].length;
    const rest = line.slice(lead ?? 0);
    if (rest !== '' && rest[0] !== '#' && rest !== '\r') {
      if (lead === undefined || lead < indent) return undefined;
      if (lead === indent) {
        const match = blockKey.exec(rest);
        if (!match) return undefined;
        const key =
          match[1] !== undefined
            ? (JSON.parse(`"${match[1]}"`) as string)
            : (match[2]?.replace(/''/g, "'") ?? match[3]!);
        if (previous && !sections.has(previous[0])) sections.set(previous[0], [previous[1], lineStart]);
        previous = [key, lineStart];
      }
    }
    lineStart = lineEnd + 1;
  }
  if (previous && !sections.has(previous[0])) sections.set(previous[0], [previous[1], end]);
  return sections.size ? sections : undefined;
}

/** Leading spaces of the line at `offset`. */
const indentOf = (source: string, offset: number) => /^ */.exec(source.slice(offset, offset + 200))![0].length;

/**
 * Where the block mapping that is the value of the key on the section's first line
 * starts (its first key's line), when the value is one: more indented than the key.
 */
function nestedMapping(source: string, from: number, to: number, indent: number): number | undefined {
  const firstLineEnd = source.indexOf('\n', from);
  if (firstLineEnd < 0 || firstLineEnd >= to) return undefined;
  const keyLine = source.slice(from, firstLineEnd);
  // "key:" alone on its line (a comment may follow); anything after it is a value of its own.
  if (!/:[ \t]*(#.*)?\r?$/.test(keyLine)) return undefined;
  for (let lineStart = firstLineEnd + 1; lineStart < to;) {
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline < 0 || newline > to ? to : newline;
    const line = source.slice(lineStart, lineEnd);
    const content = line.trimStart();
    if (content !== '' && content[0] !== '#' && content !== '\r') {
      const lead = line.length - content.length;
      return lead > indent && !/^-(?: |$)/.test(content) ? lineStart : undefined;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
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
