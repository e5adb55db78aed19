import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Problem } from '../diagnostics.js';

/**
 * Adds line and column to problems. Parsing with positions is slower than the
 * plain parse used on the happy path, so it only runs when there is something
 * to report.
 */
export function locateProblems(source: string, problems: Problem[]): Problem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false });
  return problems.map((problem) => {
    if (problem.line !== undefined) return problem;
    const offset = offsetOf(doc.contents as Node | null, problem.path, problem.atKey ?? false);
    if (offset === undefined) return problem;
    const { line, col } = lineCounter.linePos(offset);
    return { ...problem, line, column: col };
  });
}

/** Offset of the deepest node on the path that exists (a missing key points at its parent). */
function offsetOf(root: Node | null, path: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
  let node: Node | null = root;
  let offset = root?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => (isScalar(item.key) ? String(item.key.value) : undefined) === String(part),
      );
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
