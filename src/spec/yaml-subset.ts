/**
 * Reads the YAML that specs are written in (block mappings and lists, one-line flow
 * collections, plain and simply quoted scalars, comments) straight into plain data, in
 * one pass over the lines. js-yaml reads a character at a time through a general
 * grammar; in a process that starts, reads one spec and ends, most of that code runs
 * before V8 has compiled it, and a spec of 2,000 tunnels took 30 ms to parse that way.
 *
 * Anything outside this subset, or anything it is not sure about, makes it give up, and
 * the caller parses the text with js-yaml as before: anchors, aliases, tags, block
 * scalars, multi-line scalars or flow collections, document markers, directives, tabs,
 * CR line ends, any character beyond printable ASCII, quoted keys, escapes in quotes, a
 * duplicate key, deep nesting. Plain scalars are resolved by the core schema's implicit
 * types (null, booleans, integers, floats) as js-yaml resolves them, and keys become text
 * the way js-yaml makes them text,
 * so what it returns is what js-yaml's result becomes once copied into plain data:
 * mappings as null-prototype objects (test/yaml-subset.test.ts compares both on every
 * example, fixture and thousands of mutated texts).
 */

import { coreSchemaWords } from './core-words.js';
import { emptyRecord } from './data.js';

/** One of the schema's implicit scalar types, as js-yaml's Type has it. */
export interface ImplicitType {
  resolve(text: string): boolean;
  construct(text: string): unknown;
}

/** Deeper than this the text is left to js-yaml and the depth limit of plain data. */
const maxDepth = 32;

/** The text left the subset; the caller parses it with js-yaml. */
class OutsideSubset extends Error {}

const outside = (): never => {
  throw new OutsideSubset();
};

/**
 * Anything but printable ASCII and LF: tabs, CR, control characters (js-yaml refuses some
 * and reads others as line breaks) and all of Unicode are left to js-yaml.
 */
const notPlainAscii = /[^\n\x20-\x7e]/;

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isKeyCharacter = (c: number) =>
  isLetter(c) || (c >= 48 && c <= 57) || c === 95 /* _ */ || c === 46 /* . */ || c === 47 /* / */ || c === 45; /* - */

/**
 * A plain key at s[from], in a line that ends at `end`: a letter or `_` first, then what host
 * and option names use, then `:` and a space or the end of the line. Returns the key and where
 * its value starts, or undefined.
 */
function keyAt(s: string, from: number, end: number): [string, number] | undefined {
  const first = s.charCodeAt(from);
  if (!isLetter(first) && first !== 95) return undefined;
  let i = from + 1;
  while (i < end && isKeyCharacter(s.charCodeAt(i))) i++;
  if (i === end || s.charCodeAt(i) !== 58 /* : */) return undefined;
  const key = s.slice(from, i);
  i++;
  if (i < end && s.charCodeAt(i) !== 32) return undefined;
  while (i < end && s.charCodeAt(i) === 32) i++;
  return [key, i];
}

/** First characters that start something other than a plain scalar in YAML. */
const indicators = new Set(['&', '*', '!', '|', '>', '%', '@', '`', '?', ':', ',', '[', ']', '{', '}', '#', '"', "'"]);

/** A plain scalar that is its own text in the core schema, known without asking each implicit type. */
const isText = (plain: string) => {
  const c = plain.charCodeAt(0);
  return (isLetter(c) || c === 95) && !coreSchemaWords.has(plain);
};

/** Parsed data, or undefined when the text is outside the subset; coreImplicit: js-yaml's CORE_SCHEMA's implicit types. */
export function readYamlSubset(text: string, coreImplicit: readonly ImplicitType[]): { data: unknown } | undefined {
  if (notPlainAscii.test(text)) return undefined;
  /** The current line: where it starts, where its content starts (after the indentation) and ends. */
  let start = 0;
  let pos = 0;
  let end = -1;
  let indent = 0;

  /** Moves to the next line that holds more than a comment; pos is text.length at the end. */
  const advance = () => {
    for (start = end + 1; start < text.length; start = end + 1) {
      end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      pos = start;
      while (text.charCodeAt(pos) === 32) pos++;
      if (pos === end || text.charCodeAt(pos) === 35 /* # */) continue;
      indent = pos - start;
      // A document marker or a directive starts a part of YAML this does not read.
      if (indent === 0 && (text.startsWith('---', pos) || text.startsWith('...', pos) || text[pos] === '%')) outside();
      return;
    }
    pos = end = text.length;
  };
  const atEnd = () => pos >= text.length;
  const isItem = () => text.charCodeAt(pos) === 45 /* - */ && (pos + 1 === end || text.charCodeAt(pos + 1) === 32);
  /** Whether the line has nothing (or only a comment) from i on. */
  const nothingFrom = (i: number) => i === end || text.charCodeAt(i) === 35;

  const scalar = (plain: string): unknown => {
    if (isText(plain)) return plain;
    for (const type of coreImplicit) if (type.resolve(plain)) return type.construct(plain);
    return plain;
  };
  /** A mapping key as js-yaml makes it text: resolved like any plain scalar, then String(). */
  const keyText = (plain: string): string => {
    const key = String(scalar(plain));
    return key === '__proto__' ? outside() : key;
  };

  /** Text after a value that may only be spaces and a comment. */
  const restIsComment = (s: string, from: number) => {
    let i = from;
    while (s.charCodeAt(i) === 32) i++;
    if (i < s.length && (s.charCodeAt(i) !== 35 || i === from)) outside();
  };

  /** A quoted scalar at s[from] without escapes; returns its text and where it ends. */
  const quoted = (s: string, from: number): [string, number] => {
    const quote = s[from]!;
    const end = s.indexOf(quote, from + 1);
    if (end < 0) outside();
    const inner = s.slice(from + 1, end);
    // Escapes (\ in double quotes, '' in single ones) are left to js-yaml.
    if ((quote === '"' && inner.includes('\\')) || (quote === "'" && s[end + 1] === "'")) outside();
    return [inner, end + 1];
  };

  /** A value inside a one-line flow collection, from s[from]; returns it and where it ends. */
  const flowValue = (s: string, from: number, depth: number): [unknown, number] => {
    if (depth > maxDepth) outside();
    let i = from;
    while (s.charCodeAt(i) === 32) i++;
    const c = s[i];
    if (c === '[' || c === '{') {
      const close = c === '[' ? ']' : '}';
      const list: unknown[] = [];
      const map = emptyRecord();
      i++;
      for (let first = true; ; first = false) {
        while (s.charCodeAt(i) === 32) i++;
        if (s[i] === close && first) return [c === '[' ? list : map, i + 1];
        if (c === '[') {
          const [item, next] = flowValue(s, i, depth + 1);
          list.push(item);
          i = next;
        } else {
          const key = keyAt(s, i, s.length) ?? outside();
          const name = keyText(key[0]);
          if (name in map) outside();
          const [item, next] = flowValue(s, key[1], depth + 1);
          map[name] = item;
          i = next;
        }
        while (s.charCodeAt(i) === 32) i++;
        if (s[i] === close) return [c === '[' ? list : map, i + 1];
        // A trailing comma, or anything but a comma between entries, is left to js-yaml.
        if (s[i] !== ',') outside();
        i++;
      }
    }
    if (c === '"' || c === "'") return quoted(s, i);
    let end = i;
    while (end < s.length && !',[]{}#'.includes(s[end]!)) end++;
    const plain = s.slice(i, end).trimEnd();
    if (s[end] === '#' || s[end] === '[' || s[end] === '{') outside();
    return [plainScalar(plain), end];
  };

  /** A plain scalar's text checked against what would make it something else. */
  const plainScalar = (plain: string): unknown => {
    if (plain === '' || indicators.has(plain[0]!) || (plain[0] === '-' && (plain.length === 1 || plain[1] === ' ')))
      outside();
    if (plain.includes(': ') || plain.endsWith(':') || plain.includes(' #')) outside();
    return scalar(plain);
  };

  /** The value written on a line after `key: ` or `- `. */
  const inlineValue = (s: string, depth: number): unknown => {
    const c = s[0];
    if (c === '[' || c === '{') {
      const [value, end] = flowValue(s, 0, depth);
      restIsComment(s, end);
      return value;
    }
    if (c === '"' || c === "'") {
      const [value, end] = quoted(s, 0);
      restIsComment(s, end);
      return value;
    }
    const comment = s.indexOf(' #');
    return plainScalar((comment < 0 ? s : s.slice(0, comment)).trimEnd());
  };

  /** The value of a key or item written on the lines below it: deeper, or a list at the key's own indentation. */
  const valueBelow = (at: number, depth: number, listAtSameIndent: boolean): unknown => {
    advance();
    if (atEnd()) return null;
    if (indent > at) return block(depth + 1);
    if (listAtSameIndent && indent === at && isItem()) return list(at, depth + 1);
    return null;
  };

  /** The value on the rest of a line, which must not continue on the next one. */
  const valueOnLine = (rest: string, at: number, depth: number): unknown => {
    const value = inlineValue(rest, depth);
    advance();
    if (!atEnd() && indent > at) outside();
    return value;
  };

  const mapping = (at: number, depth: number): Record<string, unknown> => {
    if (depth > maxDepth) outside();
    const map = emptyRecord();
    while (!atEnd() && indent === at && !isItem()) {
      const [key, value] = keyAt(text, pos, end) ?? outside();
      const name = keyText(key);
      if (name in map) outside();
      map[name] = nothingFrom(value) ? valueBelow(at, depth, true) : valueOnLine(text.slice(value, end), at, depth);
    }
    return map;
  };

  const list = (at: number, depth: number): unknown[] => {
    if (depth > maxDepth) outside();
    const items: unknown[] = [];
    while (!atEnd() && indent === at && isItem()) {
      let i = pos + 1;
      while (text.charCodeAt(i) === 32) i++;
      if (nothingFrom(i)) items.push(valueBelow(at, depth, false));
      else if (text.charCodeAt(i) === 45) outside();
      else if (keyAt(text, i, end)) {
        // `- key: value`: a mapping whose keys stand where this key stands.
        pos = i;
        indent = i - start;
        items.push(mapping(indent, depth + 1));
      } else items.push(valueOnLine(text.slice(i, end), at, depth));
    }
    return items;
  };

  const block = (depth: number): unknown => (isItem() ? list(indent, depth) : mapping(indent, depth));

  try {
    advance();
    if (atEnd()) return undefined;
    const data = block(0);
    // Whatever is left (a line indented less than the top, say) is not this subset.
    return atEnd() ? { data } : undefined;
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}
