/** A line of a diff: kept (' '), removed ('-') or added ('+'), with its position in each text. */
interface Edit {
  kind: ' ' | '-' | '+';
  line: string;
  /** Lines of the old and new text before this one. */
  oldAt: number;
  newAt: number;
}

const linesOf = (text: string | null) => (text === null || text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** Shortest edit script by longest common subsequence; config files are small enough for the table. */
function edits(a: readonly string[], b: readonly string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  // common[i][j]: length of the longest common subsequence of x[i..] and y[j..].
  const common = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      common[i]![j] = x[i] === y[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const out: Edit[] = [];
  for (let k = 0; k < head; k++) out.push({ kind: ' ', line: a[k]!, oldAt: k, newAt: k });
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    // Removals before additions, as diff -u shows a replaced line.
    if (i < x.length && j < y.length && x[i] === y[j])
      out.push({ kind: ' ', line: x[i++]!, oldAt: head + i - 1, newAt: head + j++ });
    else if (i < x.length && (j === y.length || common[i + 1]![j]! >= common[i]![j + 1]!))
      out.push({ kind: '-', line: x[i++]!, oldAt: head + i - 1, newAt: head + j });
    else out.push({ kind: '+', line: y[j++]!, oldAt: head + i, newAt: head + j - 1 });
  }
  for (let k = tail; k > 0; k--)
    out.push({ kind: ' ', line: a[a.length - k]!, oldAt: a.length - k, newAt: b.length - k });
  return out;
}

/** Groups edits into hunks: changes with up to `context` unchanged lines around them, merged when they touch. */
function hunks(all: readonly Edit[], context: number): Edit[][] {
  const changed = all.flatMap((e, i) => (e.kind === ' ' ? [] : [i]));
  const ranges: Array<[number, number]> = [];
  for (const i of changed) {
    const last = ranges[ranges.length - 1];
    if (last && i - context <= last[1] + context + 1) last[1] = i;
    else ranges.push([i, i]);
  }
  return ranges.map(([from, to]) => all.slice(Math.max(0, from - context), Math.min(all.length, to + context + 1)));
}

function range(start: number, count: number): string {
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/** A unified diff (as `diff -u` prints it) from `before` to `after`; null stands for a missing file. Empty when equal. */
export function unifiedDiff(
  before: string | null,
  after: string | null,
  oldName: string,
  newName: string,
  context = 3,
): string {
  const all = edits(linesOf(before), linesOf(after));
  const groups = hunks(all, context);
  if (!groups.length) return '';
  const out = [`--- ${before === null ? '/dev/null' : oldName}`, `+++ ${after === null ? '/dev/null' : newName}`];
  for (const group of groups) {
    const oldCount = group.filter((e) => e.kind !== '+').length;
    const newCount = group.filter((e) => e.kind !== '-').length;
    out.push(`@@ -${range(group[0]!.oldAt, oldCount)} +${range(group[0]!.newAt, newCount)} @@`);
    out.push(...group.map((e) => `${e.kind}${e.line}`));
  }
  return `${out.join('\n')}\n`;
}
