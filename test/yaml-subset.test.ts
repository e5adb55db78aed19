/**
 * The subset reader gives exactly what js-yaml's result becomes once copied into plain
 * data, or gives up: on every example and fixture, on hand-written texts at the edges of
 * the subset, and on thousands of mutated texts. It must never return data for a text
 * js-yaml refuses, nor different data for one it reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { asData } from '../src/spec/data.js';
import { readYamlSubset, type ImplicitType } from '../src/spec/yaml-subset.js';
import { bigSpec } from './support/big-spec.js';
import { mutated, seeded, yamlPieces } from './support/mutate.js';
import { repoRoot } from './support/run-cli.js';

const implicit = (CORE_SCHEMA as unknown as { compiledImplicit: ImplicitType[] }).compiledImplicit;

/** js-yaml's reading of a text as plain data, or why there is none. */
function reference(text: string): { data: unknown } | { refused: string } {
  let parsed: unknown;
  try {
    parsed = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    return { refused: (error as Error).message.split('\n')[0]! };
  }
  const plain = asData(parsed);
  return 'data' in plain ? plain : { refused: plain.problem.message };
}

/** Data with the prototype of each mapping spelled out, so toEqual tells null-prototype objects apart. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return {
      prototype: Object.getPrototypeOf(value) === null ? 'none' : 'Object',
      entries: Object.entries(value).map(([key, item]) => [key, shape(item)]),
    };
  }
  return value;
}

/** Checks one text; returns whether the subset reader took it. */
function agrees(text: string): boolean {
  const subset = readYamlSubset(text, implicit);
  if (!subset) return false;
  const expected = reference(text);
  expect('data' in expected, `js-yaml refuses what the subset read: ${JSON.stringify(text)}`).toBe(true);
  expect(shape(subset.data), JSON.stringify(text)).toEqual(shape((expected as { data: unknown }).data));
  return true;
}

const specFiles = [
  ...readdirSync(join(repoRoot, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('examples', f)),
  ...readdirSync(join(repoRoot, 'test/fixtures'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('test/fixtures', f)),
].sort();

describe('the YAML subset reader', () => {
  it.each(specFiles)('reads %s as js-yaml does', (file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    agrees(text);
  });

  it('takes every example and fixture, and a big generated spec', () => {
    const taken = specFiles.filter((file) => agrees(readFileSync(join(repoRoot, file), 'utf8')));
    expect(taken).toEqual(specFiles);
    expect(agrees(bigSpec(300))).toBe(true);
  });

  const taken: Array<[string, string]> = [
    ['nested mappings and lists', 'a:\n  b:\n    - 1\n    - x: y\n      z: [1, two, "3"]\n  c: {d: e, f: [g]}\n'],
    ['a list at its key’s own indentation', 'tunnels:\n- name: a\n  mode: gre\n- name: b\n'],
    ['comments everywhere', '# top\na: 1 # one\n  # indented comment\nb: # below\n  - x # item\n#end\n'],
    [
      'scalars the core schema resolves',
      'a: [null, ~, true, False, 0x1F, 0o17, -12, 1.5e3, .inf, .NaN, +7, 012]\nb:\n',
    ],
    ['keys the core schema resolves', 'null: 1\nTrue: 2\n_x: 3\n'],
    ['quoted scalars', `a: 'fd00::1/64'\nb: "x: y # z"\nc: ['1', "2"]\n`],
    ['plain scalars with inner spaces and marks', 'a: one  two   three\nb: a#b\nc: x:y\nd: see [1] {2}\n'],
    ['an indented document', '  a: 1\n  b:\n    - 2\n'],
    ['a list at the top', '- a\n- b: c\n'],
    ['empty flow collections', 'a: []\nb: {}\n'],
  ];
  it.each(taken)('takes %s', (_, text) => {
    expect(agrees(text)).toBe(true);
  });

  const leftToJsYaml: Array<[string, string]> = [
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a scalar over two lines', 'a: one\n  two\n'],
    ['a flow list over two lines', 'a: [1,\n  2]\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow mapping', 'a: {b: 1, b: 2}\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a tab', 'a:\t1\n'],
    ['CR line ends', 'a: 1\r\nb: 2\r\n'],
    ['a quoted key', '"a": 1\n'],
    ['an escape', 'a: "x\\ny"\n'],
    ['a doubled single quote', "a: 'it''s'\n"],
    ['a key without a space after the colon', 'a:1\nb: 2\n'],
    ['a trailing comma', 'a: [1, 2,]\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a line less indented than the top', '  a: 1\nb: 2\n'],
    ['a mapping value on a list item line', '- - a\n'],
    ['a colon and space in a plain scalar', 'a: b: c\n'],
    ['a prototype key', '__proto__: 1\n'],
    ['a control character', 'a: "\u0001"\n'],
    ['a character beyond ASCII', 'a: café\n'],
    ['a Unicode line break', 'a: x\u2028y\n'],
    ['nothing', '# only a comment\n'],
    ['a scalar document', 'just text\n'],
    ['nesting deeper than 32 levels', `${Array.from({ length: 40 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`],
  ];
  it.each(leftToJsYaml)('leaves %s to js-yaml', (_, text) => {
    expect(readYamlSubset(text, implicit)).toBeUndefined();
  });

  it('never reads a mutated text differently from js-yaml', () => {
    const random = seeded(20261127);
    const bases = specFiles.map((file) => readFileSync(join(repoRoot, file), 'utf8'));
    // The locator's pieces, and what resolves scalars or starts what the subset leaves to js-yaml.
    const pieces = [
      ...yamlPieces,
      '  ',
      '-',
      '\\',
      '~',
      '0x',
      '.',
      'null',
      'true',
      '1',
      '__proto__',
      '|',
      '>',
      '!',
      '%',
      '@',
      '\t',
      '---',
    ];
    let taken = 0;
    const texts = 4000;
    for (let i = 0; i < texts; i++) if (agrees(mutated(bases, pieces, random))) taken++;
    // Most mutated texts are still in the subset: the comparison is not vacuous.
    expect(taken / texts).toBeGreaterThan(0.3);
  });
});
