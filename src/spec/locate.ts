import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Problem } from '../diagnostics.js';

/**
 * Adds line and column to problems. Parsing with positions is slower than the
 * plain parse used on the happy path, so it only runs when there is something
 * to report.
 */
export function locateProblems(source: string, problems: Problem[]): Problem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false });
  const keys = new KeyIndex();
  return problems.map((problem) => {
    if (problem.line !== undefined) return problem;
    // A problem of the whole file (empty, a comment only) is at its start.
    const offset = offsetOf(doc.contents, problem.path, problem.atKey ?? false, keys) ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    return { ...problem, line, column: col };
  });
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
