/**
 * Names that are one name where case does not count: the file systems of macOS and
 * Windows (and FAT media) that `emit --out` may write to. Each entry is a name that
 * folds onto an earlier, different one, with that earlier one. A name written twice
 * exactly is left out: that is a duplicate, which other rules report.
 *
 * The names are ASCII (the schema admits nothing else), so lower-casing is what those
 * file systems do.
 */
export function caseCollisions<T>(items: readonly T[], nameOf: (item: T) => string): Array<{ item: T; first: T }> {
  const firstByFolded = new Map<string, T>();
  const exact = new Set<string>();
  const collisions: Array<{ item: T; first: T }> = [];
  // An index loop: checks run this over every end, mostly before V8 optimizes a for-of loop.
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const name = nameOf(item);
    if (exact.has(name)) continue;
    exact.add(name);
    const folded = name.toLowerCase();
    if (firstByFolded.has(folded)) collisions.push({ item, first: firstByFolded.get(folded)! });
    else firstByFolded.set(folded, item);
  }
  return collisions;
}
