import { isMap, isScalar, parseDocument } from 'yaml';
import { coreSchemaWords } from './core-words.js';

/**
 * The entries of one YAML flow collection (`[...]` or `{...}`), found by one
 * pass over its text that only tells tokens apart (quoted scalars, plain
 * scalars, comments, brackets, the ':' and ',' indicators) and builds nothing.
 * Each entry is then a part that can be parsed on its own, inside a bracket of
 * its own, at next to no cost. Undefined when the text is not a flow collection
 * this scan is sure of; the caller parses a bigger part then.
 */
export interface FlowEntries {
  mapping: boolean;
  /** Just past the closing bracket. */
  end: number;
  /** Per entry: its first character (a property, `?` or the node itself). */
  starts: Offsets;
  /** Per entry: the ',' or closing bracket after it. */
  ends: Offsets;
  /** Per entry: its ':' value indicator, or -1. */
  colons: Offsets;
  /**
   * Per entry: the opening bracket of its value when that is a flow collection
   * (in a mapping the value after ':', in a list the item itself), or -1.
   */
  inner: Offsets;
}

/**
 * A list of offsets into the text, 4 bytes each (a spec is at most 16 MiB): a flow
 * mapping of 600,000 keys is 10 MiB of them where arrays of numbers take twice that.
 */
export class Offsets {
  private data = new Int32Array(16);
  length = 0;

  push(offset: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = offset;
  }

  get(index: number): number {
    return this.data[index]!;
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
/** , [ ] { } */
const isFlowIndicator = (c: number) => c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;

/** Past spaces, line ends and comments (a '#' starts one only after a space or at a line start). */
export function skipSeparation(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 0x23 && (i === 0 || isSpace(text.charCodeAt(i - 1)))) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline;
    } else return i;
  }
}

/** Past an anchor (&a) or a tag (!t, !!str, !<verbatim>) at `i`. */
export function propertyEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x21 && text.charCodeAt(i + 1) === 0x3c) {
    const close = text.indexOf('>', i);
    return close < 0 ? text.length : close + 1;
  }
  let j = i + 1;
  while (j < text.length && !isSpace(text.charCodeAt(j)) && !isFlowIndicator(text.charCodeAt(j))) j++;
  return j;
}

/** The bracket of the flow collection that starts at `i` (after separation and properties), or -1. */
export function flowCollectionAt(text: string, i: number): number {
  for (;;) {
    i = skipSeparation(text, i);
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) return i;
    if (c !== 0x26 && c !== 0x21) return -1;
    i = propertyEnd(text, i);
  }
}

/** End of the plain scalar at `i` in flow context: a flow indicator, ': ' or ' #' ends it. */
function plainEnd(text: string, i: number): number {
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (isFlowIndicator(c)) return j;
    if (c === 0x3a) {
      const next = text.charCodeAt(j + 1);
      if (j + 1 >= text.length || isSpace(next) || isFlowIndicator(next)) return j;
    }
    if (c === 0x23 && j > i && isSpace(text.charCodeAt(j - 1))) return j;
  }
  return text.length;
}

/** Past the quoted scalar whose quote is at `i`; -1 when it does not end. */
function quotedEnd(text: string, i: number): number {
  const quote = text.charCodeAt(i);
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote === 0x22 && c === 0x5c) j++;
    else if (c === quote) {
      // '' inside single quotes is a quote.
      if (quote === 0x27 && text.charCodeAt(j + 1) === 0x27) j++;
      else return j + 1;
    }
  }
  return -1;
}

/** A ':' or '?' at `i` is an indicator when a space, a flow indicator or the end follows. */
function indicatorAt(text: string, i: number): boolean {
  const next = text.charCodeAt(i + 1);
  return i + 1 >= text.length || isSpace(next) || isFlowIndicator(next);
}

/**
 * Scans the flow collection whose bracket is at `open`, nested collections
 * included (with a stack, not recursion: nesting depth costs no call stack).
 */
export function scanFlowCollection(text: string, open: number): FlowEntries | undefined {
  const mapping = text.charCodeAt(open) === 0x7b;
  const entries: FlowEntries = {
    mapping,
    end: -1,
    starts: new Offsets(),
    ends: new Offsets(),
    colons: new Offsets(),
    inner: new Offsets(),
  };
  const closers: number[] = [mapping ? 0x7d : 0x5d];
  let expectNode = true;
  // The entry being read at the top level: where it starts, its ':', its first node, the first node after ':'.
  let start = -1;
  let colon = -1;
  let firstNode = -1;
  let valueNode = -1;
  const endEntry = (at: number) => {
    const node = mapping ? valueNode : colon < 0 ? firstNode : -1;
    const c = node < 0 ? 0 : text.charCodeAt(node);
    entries.starts.push(start);
    entries.ends.push(at);
    entries.colons.push(colon);
    entries.inner.push(c === 0x5b || c === 0x7b ? node : -1);
    start = colon = firstNode = valueNode = -1;
  };
  for (let i = open + 1; ;) {
    i = skipSeparation(text, i);
    if (i >= text.length) return undefined;
    const c = text.charCodeAt(i);
    const top = closers.length === 1;
    if (c === 0x2c || c === 0x5d || c === 0x7d) {
      if (c !== 0x2c && c !== closers.at(-1)) return undefined;
      if (top && start >= 0) endEntry(i);
      // ", ," and "[," hold an entry that is not there.
      else if (top && c === 0x2c) return undefined;
      i++;
      if (c === 0x2c) {
        expectNode = true;
        continue;
      }
      closers.pop();
      if (!closers.length) {
        entries.end = i;
        return entries;
      }
      expectNode = false;
      continue;
    }
    if (top && start < 0) start = i;
    if (!expectNode) {
      // After a node only ':' may come before ',' or the bracket.
      if (c !== 0x3a) return undefined;
      if (top && colon < 0) colon = i;
      expectNode = true;
      i++;
      continue;
    }
    if ((c === 0x3a || c === 0x3f) && indicatorAt(text, i)) {
      if (top && c === 0x3a && colon < 0) colon = i;
      i++;
      continue;
    }
    if (c === 0x26 || c === 0x21) {
      i = propertyEnd(text, i);
      continue;
    }
    if (top) {
      if (firstNode < 0) firstNode = i;
      if (colon >= 0 && valueNode < 0) valueNode = i;
    }
    expectNode = false;
    if (c === 0x5b || c === 0x7b) {
      closers.push(c === 0x5b ? 0x5d : 0x7d);
      expectNode = true;
      i++;
    } else if (c === 0x22 || c === 0x27) {
      i = quotedEnd(text, i);
      if (i < 0) return undefined;
    } else if (c === 0x2a) {
      i = propertyEnd(text, i);
    } else if ((c === 0x2d && indicatorAt(text, i)) || '|>%@`#'.includes(text[i]!)) {
      // Block syntax, reserved characters or a '#' without a space before it: not for this scan.
      return undefined;
    } else {
      i = plainEnd(text, i);
    }
  }
}

/** Whether the text holds a control character (JSON takes none raw inside a string; YAML takes a tab). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

/**
 * A mapping key's name as the located document names it (String of the
 * scalar's value under YAML 1.2's core schema: `0x1A` is "26"). Plain words
 * and quoted text without escapes are read directly; anything else is parsed
 * as the key of a flow mapping of its own. Undefined for a key that is not a
 * scalar (an alias, a collection).
 */
export function keyName(raw: string): string | undefined {
  if (/^[A-Za-z_][\w./-]*$/.test(raw) && !coreSchemaWords.has(raw)) return raw;
  // A decimal integer that a double holds exactly reads back as written.
  if (/^(?:0|[1-9][0-9]{0,14})$/.test(raw)) return raw;
  // Escapes that mean the same in JSON and YAML.
  if (/^"(?:[^"\\]|\\["\\/bfnrt]|\\u[0-9A-Fa-f]{4})*"$/.test(raw) && !hasControl(raw)) return JSON.parse(raw) as string;
  if (/^'(?:[^'\n\r]|'')*'$/.test(raw)) return raw.slice(1, -1).replace(/''/g, "'");
  const doc = parseDocument(`{${raw}\n}`, { uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents) || doc.contents.items.length !== 1) return undefined;
  const key = doc.contents.items[0]!.key;
  return isScalar(key) ? String(key.value) : undefined;
}
