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
import { flowCollectionAt, keyName, scanFlowCollection, skipSeparation, type FlowEntries } from './locate-flow.js';

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
    const sections = new SpecParts(source, options.wholeTextLimit ?? wholeTextLimit);
    offsets = problems.map((problem) =>
      problem.line === undefined ? sections.offsetOf(problem.path, problem.atKey ?? false) : undefined,
    );
  }
  const lineCounter = new LineCounter();
  if (!options.partsOnly && problems.some((problem, i) => problem.line === undefined && offsets[i] === undefined)) {
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
    if (problem.line !== undefined || offsets[i] === undefined) return problem;
    const { line, col } = lineCounter.linePos(offsets[i]);
    return { ...problem, line, column: col };
  });
}

export interface LocateOptions {
  /** The text is JSON (a .json file): located by the JSON scanner, if it is JSON indeed. */
  json?: boolean;
  /** Texts up to this many characters are parsed whole (default 256 KiB); tests lower it. */
  wholeTextLimit?: number;
  /** Never parse the whole text: a problem the parts do not place stays without a line (for tests). */
  partsOnly?: boolean;
}

/** Specs up to this size are parsed whole to be located; a bigger one part by part where it can be. */
const wholeTextLimit = 256 * 1024;

/**
 * A big YAML spec cut into the parts a problem can be in: the section of one key
 * of a block mapping (from its line to the next key at the same indentation), in
 * a big section holding a block list the lines of one item, and in a flow
 * collection (`[...]`, `{...}`, at the top or as the value of a key or item) one
 * entry; again cut when it is big. A part is parsed on its own, with positions:
 * an item's "- " blanked out so the rest keeps its columns, a flow entry inside
 * a bracket of its own. Building a YAML document with positions for 10 MB takes
 * seconds and most of a gigabyte; a part takes next to nothing. Line ends may be
 * CRLF. Anything this does not recognise (a part that does not parse cleanly, a
 * complex key at the top) is left to the whole-text parse.
 */
class SpecParts {
  private readonly parsed = new Map<number, { doc: Document.Parsed; keys: KeyIndex } | undefined>();
  private readonly cut = new Map<number, Map<string, Section> | undefined>();
  private readonly lists = new Map<number, number[] | undefined>();
  private readonly flows = new Map<number, FlowEntries | undefined>();
  private readonly flowKeys = new Map<number, FlowKeys>();
  private readonly flowParts = new Map<number, { doc: Document.Parsed; keys: KeyIndex } | undefined>();

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
    if (!this.cut.has(start))
      this.cut.set(
        start,
        sectionsAt(this.source, start, end, indent, item, (open) => this.flow(open)),
      );
    const sections = this.cut.get(start);
    if (!sections) {
      if (start !== 0) return this.offsetIn(start, end, path, atKey, item);
      // Not a block mapping of plain keys at the top: a flow collection, or left to the whole-text parse.
      const open = this.wholeFlow(flowCollectionAt(this.source, documentStart(this.source)), end);
      return open === undefined ? undefined : this.inFlow(open, path, atKey);
    }
    const [first, next] = path;
    // The mapping itself: where its first key is.
    if (first === undefined) {
      // Every key line of this mapping has its key at column `indent`.
      const { from: firstStart } = sections.values().next().value!;
      return firstStart + indent;
    }
    const section = sections.get(String(first));
    // A key the mapping does not have: the problem is at the mapping.
    if (!section) return this.inMapping(start, end, indent, item, [], false);
    const { from, to, flow } = section;
    const dash = item && from === start;
    if (to - from > this.partLimit) {
      // A flow collection as the value: cut by its entries, wherever its lines are.
      if (flow >= 0) return path.length === 1 && atKey ? from + indent : this.inFlow(flow, path.slice(1), atKey);
      if (path.length > 1 && typeof next === 'number') {
        if (!this.lists.has(from)) this.lists.set(from, listItems(this.source, from, to));
        const items = this.lists.get(from);
        const item = items?.[next];
        if (item !== undefined) return this.inItem(item, items![next + 1] ?? to, path.slice(2), atKey);
      } else if (path.length > 1) {
        const nested = nestedMapping(this.source, from, to, indent);
        if (nested !== undefined)
          return this.inMapping(nested, to, indentOf(this.source, nested), false, path.slice(1), atKey);
      }
    }
    return this.offsetIn(from, to, path, atKey, dash);
  }

  /** `path` in the list item [start, end): cut by its keys or flow entries when it is big. */
  private inItem(start: number, end: number, path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
    const content = /^( *- +)(?=\S)/.exec(this.source.slice(start, Math.min(end, start + 200)));
    if (end - start > this.partLimit && content) {
      const open = this.wholeFlow(flowCollectionAt(this.source, start + content[1]!.length), end);
      if (open !== undefined) return this.inFlow(open, path, atKey);
      if (typeof path[0] === 'string') return this.inMapping(start, end, content[1]!.length, true, path, atKey);
    }
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

  /** The flow collection at `open`, scanned once. */
  private flow(open: number): FlowEntries | undefined {
    if (!this.flows.has(open)) this.flows.set(open, scanFlowCollection(this.source, open));
    return this.flows.get(open);
  }

  /** `open` when a flow collection starts there and nothing but spaces and comments follows it before `end`. */
  private wholeFlow(open: number, end: number): number | undefined {
    if (open < 0 || open >= end) return undefined;
    const flow = this.flow(open);
    if (!flow || flow.end > end) return undefined;
    let after = skipSeparation(this.source, flow.end);
    // A document end marker may close the text.
    if (end === this.source.length && /^\.\.\.(?:\s|$)/.test(this.source.slice(after, after + 4)))
      after = skipSeparation(this.source, after + 3);
    return after >= end ? open : undefined;
  }

  /** `path` in the flow collection whose bracket is at `open`: cut by its entries, each parsed on its own. */
  private inFlow(open: number, path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
    const [first, ...rest] = path;
    // The collection itself, or a path that does not go on into it (a name in a list): the bracket.
    if (first === undefined) return open;
    const flow = this.flow(open);
    if (!flow) return undefined;
    let index: number | undefined;
    if (flow.mapping) {
      const keys = this.flowKeys.get(open) ?? this.flowKeys.set(open, new FlowKeys(this.source, flow)).get(open)!;
      index = keys.indexOf(String(first));
      if (index === undefined && !keys.complete) return undefined;
    } else if (typeof first === 'number' && first < flow.starts.length) index = first;
    if (index === undefined) return open;
    const start = flow.starts[index]!;
    const end = flow.ends[index]!;
    if (end - start > this.partLimit) {
      const inner = flow.inner[index]!;
      if (inner >= 0 && !(flow.mapping && rest.length === 0 && atKey)) return this.inFlow(inner, rest, atKey);
      // Only the key of a big entry: the entry up to its ':' is the part.
      const colon = flow.colons[index]!;
      if (flow.mapping && rest.length === 0 && atKey && colon >= 0)
        return this.inFlowPart(true, start, colon + 1, [first], true);
    }
    return this.inFlowPart(flow.mapping, start, end, [flow.mapping ? first : 0, ...rest], atKey);
  }

  /**
   * Offset of `path` in the flow entry [start, end) parsed inside a bracket of its own
   * (so in flow context, like where it is); undefined when it does not parse cleanly.
   */
  private inFlowPart(
    mapping: boolean,
    start: number,
    end: number,
    path: ReadonlyArray<string | number>,
    atKey: boolean,
  ): number | undefined {
    // Entries start at distinct offsets; a key-only part is keyed apart from its entry.
    const key = end < this.source.length && this.source[end - 1] === ':' ? -start - 1 : start;
    if (!this.flowParts.has(key)) {
      const text = `${mapping ? '{' : '['}${this.source.slice(start, end)}\n${mapping ? '}' : ']'}`;
      const doc = parseDocument(text, { uniqueKeys: false });
      this.flowParts.set(key, doc.errors.length ? undefined : { doc, keys: new KeyIndex() });
    }
    const part = this.flowParts.get(key);
    if (!part) return undefined;
    const offset = offsetOf(part.doc.contents, path, atKey, part.keys);
    // At the bracket added around it: the part does not hold what the scan found there.
    return offset === undefined || offset === 0 ? undefined : start + offset - 1;
  }
}

/** The entries of a flow mapping by key name, read as far as a lookup needs. */
class FlowKeys {
  private readonly byName = new Map<string, number>();
  private read = 0;
  /** Whether every key so far had a name (an alias or a collection as a key has none). */
  complete = true;

  constructor(
    private readonly source: string,
    private readonly flow: FlowEntries,
  ) {}

  indexOf(name: string): number | undefined {
    const { starts, ends, colons } = this.flow;
    while (!this.byName.has(name) && this.read < starts.length) {
      const i = this.read++;
      const colon = colons[i]!;
      const raw = this.source.slice(starts[i], colon < 0 ? ends[i] : colon).trimEnd();
      const key = keyName(raw);
      if (key === undefined) this.complete = false;
      // The first of equal keys is the one located.
      else if (!this.byName.has(key)) this.byName.set(key, i);
    }
    return this.byName.get(name);
  }
}

/** Where the document's node starts: past comments and a "---" line start. */
function documentStart(source: string): number {
  const i = skipSeparation(source, 0);
  return /^---(?:\s|$)/.test(source.slice(i, i + 4)) && (i === 0 || source[i - 1] === '\n') ? i + 3 : i;
}

/** A key of a block mapping: its lines [from, to), and the bracket of its value when that is a flow collection (else -1). */
interface Section {
  from: number;
  to: number;
  flow: number;
}

/** A key at the start of a line's content, plain or quoted, followed by ':'. */
const blockKey = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s#'"\-?:,[\]{}|>!&*%@`][^\n#]*?)[ \t]*:(?:[ \t]|$)/;

/**
 * The section of each key of the block mapping at `indent` in [start, end), or
 * undefined when the lines there are not that (a list, a flow mapping, "---", a
 * complex key). With `item`, the first line starts with the item's "- ". A
 * flow collection as a key's value belongs to the key's section whatever the
 * indentation of its lines.
 */
function sectionsAt(
  source: string,
  start: number,
  end: number,
  indent: number,
  item: boolean,
  flowAt: (open: number) => FlowEntries | undefined,
): Map<string, Section> | undefined {
  const sections = new Map<string, Section>();
  let previous: [string, number, number] | undefined;
  const close = (to: number) => {
    if (previous && !sections.has(previous[0])) sections.set(previous[0], { from: previous[1], to, flow: previous[2] });
  };
  for (let lineStart = start; lineStart < end;) {
    const newline = source.indexOf('\n', lineStart);
    let lineEnd = newline < 0 || newline > end ? end : newline;
    // A CRLF line end: the CR is not part of the line.
    const line = source.slice(lineStart, source[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
    const lead = lineStart === start && item ? /^ *- +/.exec(line)?.[0].length : /^ */.exec(line)![0].length;
    const rest = line.slice(lead ?? 0);
    if (rest !== '' && rest[0] !== '#') {
      if (lead === undefined || lead < indent) return undefined;
      // A block list may stand at its key's own indentation: its items are in the key's section.
      const listed = lead === indent && previous !== undefined && previous[2] < 0 && /^-(?:[ \t]|$)/.test(rest);
      if (lead === indent && !listed) {
        const match = blockKey.exec(rest);
        const key = match ? keyName(match[1]!) : undefined;
        if (key === undefined) return undefined;
        close(lineStart);
        // The value, when it is a flow collection: on the key's line, or first on a line indented further.
        const valueAt = lineStart + lead + match![0].length;
        let open = flowCollectionAt(source, valueAt);
        if (open >= 0 && source.lastIndexOf('\n', open) >= valueAt) {
          const at = source.lastIndexOf('\n', open) + 1;
          if (indentOf(source, at) <= indent) open = -1;
        }
        previous = [key, lineStart, open >= 0 && open < end ? open : -1];
        if (previous[2] >= 0) {
          const flow = flowAt(open);
          if (!flow || flow.end > end) return undefined;
          // Past its lines: what follows the bracket on its last line is a comment or nothing.
          const newlineAfter = source.indexOf('\n', flow.end);
          const closingLineEnd = newlineAfter < 0 || newlineAfter > end ? end : newlineAfter;
          if (skipSeparation(source, flow.end) < closingLineEnd) return undefined;
          lineEnd = closingLineEnd;
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  close(end);
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

/** Where each item of the block list that is the value of a section [start, end) starts (its "-" line). */
function listItems(source: string, start: number, end: number): number[] | undefined {
  const section = source.slice(start, end);
  // The list's items start where its first "- " does, at that line's indentation.
  const first = /\n( *)-(?: |\r?$)/m.exec(section);
  if (!first) return undefined;
  const dash = new RegExp(`^${first[1]}-(?: |\\r?$)`, 'gm');
  const starts: number[] = [];
  for (let match = dash.exec(section); match; match = dash.exec(section)) starts.push(start + match.index);
  return starts;
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
