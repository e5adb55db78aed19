/** A small seeded generator, so a failure names the text that made it: random(n) is in 0..n-1. */
export function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

/** One of the bases with one to three edits: a piece inserted, or one to three characters cut. */
export function mutated(bases: readonly string[], pieces: readonly string[], random: (n: number) => number): string {
  let text = bases[random(bases.length)]!;
  for (let edits = 1 + random(3); edits > 0; edits--) {
    const at = random(text.length + 1);
    text = random(2)
      ? text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at)
      : text.slice(0, at) + text.slice(at + 1 + random(3));
  }
  return text;
}

/** Pieces of YAML syntax a mutation inserts: brackets, indicators, quotes, comments, line breaks. */
export const yamlPieces: readonly string[] = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ': ',
  '"',
  "'",
  '#',
  ' #c',
  '\r',
  '\n',
  ' ',
  '- ',
  '&a ',
  '*a',
  '?',
  '\n  ',
];
