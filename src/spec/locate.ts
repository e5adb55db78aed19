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
import {
  flowCollectionAt,
  keyName,
  propertyEnd,
  scanFlowCollection,
  skipSeparation,
  type FlowEntries,
} from './locate-flow.js';

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
  const wholeText = !options.partsOnly && source.length <= (options.wholeTextParseLimit ?? wholeTextParseLimit);
  if (wholeText && problems.some((problem, i) => problem.line === undefined && offsets[i] === undefined)) {
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
  /** Texts over this many characters are never parsed whole (default 1 MiB); tests lower it. */
  wholeTextParseLimit?: number;
}

/** Specs up to this size are parsed whole to be located; a bigger one part by part where it can be. */
const wholeTextLimit = 256 * 1024;

/**
 * A bigger spec is never parsed whole to place what its parts cannot (a layout they do not
 * take, such as an anchored or complex key at the top): that parse takes about 100 MiB per
 * MiB of text, 730 MiB for 10 MB. Such a problem keeps its dotted path, without LINE:COL.
 */
const wholeTextParseLimit = 1024 * 1024;

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
  /** Parsed parts, block and flow, by where they are; the text's start and end name a part. */
  private readonly parsed = new PartCache();
  private readonly cut = new Map<number, BlockMapping>();
  private readonly lists = new Map<number, number[]>();
  private readonly flows = new Map<number, FlowEntries | undefined>();
  private readonly flowKeys = new Map<number, FlowKeys>();

  constructor(
    private readonly source: string,
    private readonly partLimit: number,
  ) {}

  offsetOf(path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
    return this.inMapping(this.top, this.source.length, 0, false, path, atKey);
  }

  /** Where a block mapping at the top would start: the text's start, or the line after a "---" line. */
  private get top(): number {
    const marker = documentStart(this.source);
    if (marker === 0 || this.source.slice(marker - 3, marker) !== '---') return 0;
    const rest = skipSeparation(this.source, marker);
    const lineEnd = this.source.indexOf('\n', marker);
    return lineEnd >= 0 && rest > lineEnd ? lineEnd + 1 : 0;
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
    const mapping =
      this.cut.get(start) ??
      this.cut
        .set(start, new BlockMapping(this.source, start, end, indent, item, (open) => this.flow(open)))
        .get(start)!;
    const [first, next] = path;
    // The mapping itself: where its first key is (every key line has its key at column `indent`).
    const firstKey = mapping.firstKey();
    const section = first === undefined ? undefined : mapping.section(String(first));
    if (!mapping.valid) {
      if (start !== this.top) return this.offsetIn(start, end, path, atKey, item);
      // Not a block mapping of plain keys at the top: a flow collection, a block list, or left to the whole-text parse.
      const top = skipSeparation(this.source, documentStart(this.source));
      const open = this.wholeFlow(flowCollectionAt(this.source, top), end);
      if (open !== undefined) return this.inFlow(open, path, atKey);
      return isItem(this.source, top) ? this.inList(top, end, path, atKey) : undefined;
    }
    // The mapping itself, or a key it does not have: the problem is at the mapping.
    if (!section) return firstKey! + indent;
    const { from, to, flow, value } = section;
    const dash = item && from === start;
    if (to - from > this.partLimit) {
      // A flow collection as the value: cut by its entries, wherever its lines are.
      if (flow >= 0) return path.length === 1 && atKey ? from + indent : this.inFlow(flow, path.slice(1), atKey);
      if (path.length === 1) {
        // The key itself, or where its value starts: nothing to parse.
        const at = atKey ? from + indent : blockValueStart(this.source, value, to);
        if (at !== undefined) return at;
      } else if (typeof next === 'number') {
        const first = blockValueStart(this.source, value, to);
        if (first !== undefined && isItem(this.source, first)) return this.inList(first, to, path.slice(1), atKey);
      } else {
        const nested = nestedMapping(this.source, from, to, indent);
        if (nested !== undefined)
          return this.inMapping(nested, to, indentOf(this.source, nested), false, path.slice(1), atKey);
      }
    }
    return this.offsetIn(from, to, path, atKey, dash);
  }

  /** `path` in the block list whose first "-" is at `first` and that ends by `end`: cut by its items. */
  private inList(first: number, end: number, path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
    const [index, ...rest] = path;
    // The list itself, or a name in a list: where its first item is.
    if (typeof index !== 'number') return first;
    if (!this.lists.has(first)) this.lists.set(first, listItems(this.source, first, end));
    const items = this.lists.get(first)!;
    const item = items[index];
    // An item the list does not have: the problem is at the list.
    if (item === undefined) return first;
    return this.inItem(item, items[index + 1] ?? end, rest, atKey);
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
    const part = this.parsed.get(`${item ? 'item' : 'block'} ${start}-${end}`, end - start, () => {
      let text = this.source.slice(start, end);
      // "  - name: x" becomes "    name: x": the item's mapping, at the same columns.
      if (item) text = text.replace(/^( *)-/, (dash) => ' '.repeat(dash.length));
      return parseDocument(text, { uniqueKeys: false });
    });
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
    const start = flow.starts.get(index);
    const end = flow.ends.get(index);
    if (end - start > this.partLimit) {
      const inner = flow.inner.get(index);
      if (inner >= 0 && !(flow.mapping && rest.length === 0 && atKey)) return this.inFlow(inner, rest, atKey);
      // Only the key of a big entry: the entry up to its ':' is the part.
      const colon = flow.colons.get(index);
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
    const part = this.parsed.get(`${mapping ? 'flow mapping' : 'flow list'} ${start}-${end}`, end - start, () =>
      parseDocument(`${mapping ? '{' : '['}${this.source.slice(start, end)}\n${mapping ? '}' : ']'}`, {
        uniqueKeys: false,
      }),
    );
    if (!part) return undefined;
    const offset = offsetOf(part.doc.contents, path, atKey, part.keys);
    // At the bracket added around it: the part does not hold what the scan found there.
    return offset === undefined || offset === 0 ? undefined : start + offset - 1;
  }
}

/**
 * Parsed parts, kept while their texts add up to at most 256 KiB, the oldest dropped first;
 * a part over 1 MiB is not parsed (like a whole text). A parsed part takes about 100 times
 * its text's size, and problems come roughly in the order of the text: keeping every part
 * of a 10 MB spec with problems all over it peaked at 460 MiB, where the last part or two
 * are enough but for the odd problem found later.
 */
class PartCache {
  private readonly parts = new Map<string, { size: number; part: ParsedPart | undefined }>();
  private size = 0;

  constructor(
    private readonly budget = wholeTextLimit,
    private readonly largest = wholeTextParseLimit,
  ) {}

  /**
   * The part named `key` of `size` characters, parsed by `parse` unless kept; undefined when
   * it does not parse cleanly, or is bigger than a whole text may be to be parsed.
   */
  get(key: string, size: number, parse: () => Document.Parsed): ParsedPart | undefined {
    if (size > this.largest) return undefined;
    const kept = this.parts.get(key);
    if (kept) return kept.part;
    const doc = parse();
    const part = doc.errors.length ? undefined : { doc, keys: new KeyIndex() };
    for (const [oldest, { size: oldSize }] of this.parts) {
      if (this.size + size <= this.budget) break;
      this.parts.delete(oldest);
      this.size -= oldSize;
    }
    this.parts.set(key, { size, part });
    this.size += size;
    return part;
  }
}

interface ParsedPart {
  doc: Document.Parsed;
  keys: KeyIndex;
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
      const colon = colons.get(i);
      const raw = this.source.slice(starts.get(i), colon < 0 ? ends.get(i) : colon).trimEnd();
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
  /** Just past the key's ':' (and a space after it). */
  value: number;
  flow: number;
}

/** A key at the start of a line's content, plain or quoted, followed by ':'. */
const blockKey = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s#'"\-?:,[\]{}|>!&*%@`][^\n#]*?)[ \t]*:(?:[ \t]|$)/;

/**
 * The sections of the block mapping at `indent` in [start, end): each key's lines,
 * from its line to the next key at the same indentation. Lines are read only as far
 * as a lookup needs: the first 100 keys of a mapping of 600,000 take a few hundred
 * lines. `valid` turns false at the first line that shows the text is not that (a
 * list, a flow mapping, "---", a complex key); no section is given then. With
 * `item`, the first line starts with the item's "- ". A flow collection as a key's
 * value belongs to the key's section whatever the indentation of its lines.
 */
class BlockMapping {
  private readonly sections = new Map<string, Section>();
  /** The key being read: its name and its section so far. */
  private open: [string, Omit<Section, 'to'>] | undefined;
  private lineStart: number;
  private first: number | undefined;
  valid = true;

  constructor(
    private readonly source: string,
    private readonly start: number,
    private readonly end: number,
    private readonly indent: number,
    private readonly item: boolean,
    private readonly flowAt: (open: number) => FlowEntries | undefined,
  ) {
    this.lineStart = start;
  }

  /** Where the first key's line starts. */
  firstKey(): number | undefined {
    while (this.first === undefined && this.more());
    return this.first;
  }

  /** The section of `key`; undefined when the mapping has no such key (or is not one). */
  section(key: string): Section | undefined {
    while (!this.sections.has(key) && this.more());
    return this.valid ? this.sections.get(key) : undefined;
  }

  private close(to: number): void {
    const [key, section] = this.open ?? [];
    // The first of equal keys is the one located.
    if (key !== undefined && !this.sections.has(key)) this.sections.set(key, { ...section!, to });
    this.open = undefined;
  }

  /** Reads the next line (all lines of a flow value); false at the end or at a line that is not of a block mapping. */
  private more(): boolean {
    const { source, end, indent } = this;
    const lineStart = this.lineStart;
    if (!this.valid) return false;
    if (lineStart >= end) {
      this.close(end);
      // Nothing but blank lines and comments: not a mapping.
      if (this.first === undefined) this.valid = false;
      return false;
    }
    const newline = source.indexOf('\n', lineStart);
    let lineEnd = newline < 0 || newline > end ? end : newline;
    // A CRLF line end: the CR is not part of the line.
    const contentEnd = lineEnd > lineStart && source.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
    // Most lines are more indented than the keys: only their leading spaces are read.
    let lead: number | undefined = 0;
    if (lineStart === this.start && this.item)
      lead = /^ *- +/.exec(source.slice(lineStart, Math.min(contentEnd, lineStart + 200)))?.[0].length;
    else while (lineStart + lead < contentEnd && source.charCodeAt(lineStart + lead) === 0x20) lead++;
    const restStart = lineStart + (lead ?? 0);
    if (restStart < contentEnd && source.charCodeAt(restStart) !== 0x23) {
      if (lead === undefined || lead < indent) return (this.valid = false);
      const rest = lead === indent ? source.slice(restStart, contentEnd) : '';
      // A block list may stand at its key's own indentation: its items are in the key's section.
      const listed = lead === indent && this.open !== undefined && this.open[1].flow < 0 && /^-(?:[ \t]|$)/.test(rest);
      if (lead === indent && !listed) {
        const match = blockKey.exec(rest);
        const key = match ? keyName(match[1]!) : undefined;
        if (key === undefined) return (this.valid = false);
        this.close(lineStart);
        this.first ??= lineStart;
        // The value, when it is a flow collection: on the key's line, or first on a line indented further.
        const value = lineStart + lead + match![0].length;
        let open = flowCollectionAt(source, value);
        if (open >= 0 && source.lastIndexOf('\n', open) >= value) {
          if (indentOf(source, source.lastIndexOf('\n', open) + 1) <= indent) open = -1;
        }
        const flow = open >= 0 && open < end ? open : -1;
        this.open = [key, { from: lineStart, value, flow }];
        if (flow >= 0) {
          const entries = this.flowAt(flow);
          if (!entries || entries.end > end) return (this.valid = false);
          // Past its lines: what follows the bracket on its last line is a comment or nothing.
          const newlineAfter = source.indexOf('\n', entries.end);
          const closingLineEnd = newlineAfter < 0 || newlineAfter > end ? end : newlineAfter;
          if (skipSeparation(source, entries.end) < closingLineEnd) return (this.valid = false);
          lineEnd = closingLineEnd;
        }
      }
    }
    this.lineStart = lineEnd + 1;
    return true;
  }
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

/** Whether a block list item ("- ", or "-" ending its line) starts at `i`. */
const isItem = (source: string, i: number) => /^-(?:[ \t]|\r?\n|$)/.test(source.slice(i, i + 3));

/** Where each item of the block list whose first "-" is at `first` starts (its "-" line), up to `end`. */
function listItems(source: string, first: number, end: number): number[] {
  const lineStart = source.lastIndexOf('\n', first - 1) + 1;
  const lines = source.slice(lineStart, end);
  const dash = new RegExp(`^${' '.repeat(first - lineStart)}-(?:[ \\t]|\\r?$)`, 'gm');
  const starts: number[] = [];
  for (let match = dash.exec(lines); match; match = dash.exec(lines)) starts.push(lineStart + match.index);
  return starts;
}

/**
 * Where the value of a block key starts, from just past its ':': on the key's line,
 * or the first content on the lines after it (a nested mapping's first key, a list's
 * first "-"), properties (&anchor, !tag) not included; undefined for a key with no value.
 */
function blockValueStart(source: string, value: number, end: number): number | undefined {
  let i = value;
  for (;;) {
    while (source.charCodeAt(i) === 0x20 || source.charCodeAt(i) === 0x09) i++;
    const c = source.charCodeAt(i);
    if (c !== 0x26 && c !== 0x21) break;
    i = propertyEnd(source, i);
  }
  const c = source.charCodeAt(i);
  if (i < end && c !== 0x0d && c !== 0x0a && c !== 0x23) return i;
  const next = skipSeparation(source, i);
  return next < end ? next : undefined;
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
