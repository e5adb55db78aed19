/**
 * The fast ways of locating problems in big specs find the same LINE:COL as
 * parsing the whole text with positions (the reference): the JSON scanner, and
 * the YAML parts (one key's lines in a block mapping, one item of a big list,
 * one entry of a flow collection, at any depth; a limit of 0 cuts down to the
 * smallest parts, and `partsOnly` makes sure no answer came from the whole-text
 * parse). Checked for every node of the examples and fixtures in block layout,
 * in flow layout, in block layout holding flow collections, each also with CRLF
 * line ends, and of specs in awkward layouts: for value and key positions and
 * for keys that are missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { parseDocument, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Problem } from 'tungen';
import { locateJsonProblems } from '../src/spec/locate-json.js';
import { locateProblems } from '../src/spec/locate.js';
import { mutated, seeded, yamlPieces } from './support/mutate.js';
import { repoRoot } from './support/run-cli.js';

type Path = Array<string | number>;

/** Every path in `value`, and under each mapping one key it does not have. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const paths: Path[] = [path];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...path, i])));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]));
    paths.push([...path, 'missing']);
  }
  return paths;
}

const examples = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.yaml'));
const fixtures = readdirSync(join(repoRoot, 'test/fixtures'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join('test/fixtures', f))
  .sort();

const everyPlace = (data: unknown): Problem[] =>
  pathsOf(data).flatMap((path) =>
    [false, true].map((atKey) => ({
      rule: 'schema/type' as const,
      severity: 'error' as const,
      message: '',
      path,
      atKey,
    })),
  );

/** Comments at the margin, quoted keys, a list at the key's own indentation, a block scalar with "- " lines, aliases. */
const awkward = [
  '# a spec in an awkward layout',
  'version: 1',
  '"hosts":',
  '  a: {underlay: 192.0.2.1}   # trailing comment',
  "  'b':",
  '    underlay: [192.0.2.2, "2001:db8::2"]',
  '# between sections',
  'x-notes: &notes',
  '  text: |',
  '    - not an item',
  '      - also not, deeper',
  'tunnels:',
  '- name: gre1',
  '  mode: gre',
  '  description: *notes',
  '  ends:',
  '    - {host: a, addresses: [10.0.0.1/24]}',
  '    -',
  '      host: b',
  '-   {name: ipip1, mode: ipip, local: 192.0.2.1,',
  '     remote: 192.0.2.2}',
  '- name: "sit1"',
  '  mode: sit',
  '  routes:',
  '  - "::/0"',
  'plugins: []',
  '',
].join('\n');

/** Flow layout, comments and all; with `below`, only collections that deep (a block mapping holding flow ones). */
function inFlow(text: string, below = 0, lineWidth = 80): string {
  const doc = parseDocument(text);
  visit(doc, {
    Collection(_, node, path) {
      if (path.length >= below) node.flow = true;
    },
  });
  return doc.toString({ lineWidth });
}

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

/** Flow layout by hand: nested flow, quoted keys with ': ', entries over several lines, comments, aliases, odd keys. */
const awkwardFlow = [
  '# a spec in flow layout, awkward on purpose',
  '{ version: 1, "hosts": { a: {underlay: 192.0.2.1}, \'b\' : { underlay: [192.0.2.2, "2001:db8::2"] } },',
  "  \"x: notes\": &notes { text: \"a, b: [c] \\\" }\", 'it''s': 'x # no comment', plain: a:b#c, url: http://x/y },   # after",
  '  # between entries',
  '  tunnels: [',
  '    {name: gre1, mode: gre, description: *notes,',
  '     ends: [ {host: a, addresses: [10.0.0.1/24]} , { host: b } ]},',
  '    # a comment between items',
  '    { name: ipip1,',
  '      mode: ipip,',
  '',
  '      local: 192.0.2.1, remote: 192.0.2.2 },',
  '    {"name":"sit1","mode":"sit", routes: ["::/0", ], ? explicit : key, &anc anchored: !!str tagged, empty: , bare},',
  '    [nested, [deeper, {k: v}], {}, []],',
  '    pair: in a list,',
  '    "multi',
  '      line", multi',
  '      line plain,',
  '  ],',
  '  plugins: [ ],',
  "  0x1A: hex key, \"esc\\x41ped\": 1, ~: null key, 1.0: one, 7: seven, 010: ten, \"q\\\"uote\\u0041\\/\\t\": 2, 'a ''b''': 3,",
  '  "raw\ttab": 4,',
  '}',
  '',
].join('\n');

/** A block mapping holding flow collections: lines at any indentation, a value on the next line, aliases. */
const blockHoldingFlow = [
  'version: 1',
  'tunnels: &t [',
  '  {name: t0, mode: gre},   # c',
  '  {name: t1,',
  '   mode: gre}',
  ']',
  'hosts:',
  '  a: {underlay: 192.0.2.1}',
  '  b:',
  '    [1,',
  '     2]',
  '"quoted: key": [1,',
  '  2]',
  'again: *t',
  'list:',
  '- {a: 1,',
  '   b: [2]}',
  '- [x, y]',
  '- &l {k: v}',
  '',
].join('\n');

/** A list at the top (a spec must be a mapping, and that problem is located too), nested lists, aliases. */
const listAtTop = [
  '# a list at the top',
  '- name: a',
  '  routes:',
  '  - x',
  '  - &r y',
  '-',
  '  - nested',
  '  - [flow, items]',
  '- {k: v}',
  '- *r',
  '- - inner',
  '  - inner2',
  '',
].join('\n');

const sources: Array<[string, string]> = [
  ...[...examples.map((f) => join('examples', f)), ...fixtures].map((file): [string, string] => [
    file,
    readFileSync(join(repoRoot, file), 'utf8'),
  ]),
  ['awkward layout', awkward],
  ['list at the top', listAtTop],
];

/** Each source in each layout: block, flow (wrapped and on one line), block holding flow, and each with CRLF. */
const layouts: Array<[string, string]> = [
  ...sources.flatMap(([name, text]): Array<[string, string]> => [
    [`${name}`, text],
    [`${name}, CRLF`, crlf(text)],
    [`${name} in flow layout`, inFlow(text)],
    [`${name} in flow layout on one line`, inFlow(text, 0, 0)],
    [`${name} in flow layout, CRLF`, crlf(inFlow(text))],
    [`${name} holding flow collections`, inFlow(text, 2)],
    [`${name} holding flow collections, CRLF`, crlf(inFlow(text, 2))],
  ]),
  ['awkward flow layout', awkwardFlow],
  ['awkward flow layout, CRLF', crlf(awkwardFlow)],
  ['awkward layout after "---"', `# a comment first\n--- # the document starts\n${awkward}`],
  ['awkward flow layout after "---"', `---\n${awkwardFlow}`],
  ['awkward flow layout on the "---" line', `--- ${awkwardFlow}`],
  ['list at the top after "---"', `---\r\n${crlf(listAtTop)}`],
  ['block mapping holding flow collections', blockHoldingFlow],
  ['block mapping holding flow collections, CRLF', crlf(blockHoldingFlow)],
];

describe('locating problems part by part', () => {
  it.each(layouts)('agrees with the whole-text parse on %s', (_, text) => {
    const problems = everyPlace(load(text));
    expect(problems.length).toBeGreaterThan(20);
    const whole = locateProblems(text, problems, { wholeTextLimit: Infinity });
    // A limit of 0 cuts every spec into parts; Infinity parses it whole.
    expect(locateProblems(text, problems, { wholeTextLimit: 0, partsOnly: true })).toEqual(whole);
    // Parts of a quarter of the text: some cut, some parsed whole.
    expect(locateProblems(text, problems, { wholeTextLimit: text.length >> 2, partsOnly: true })).toEqual(whole);
  });
});

describe('locating problems part by part in mutated texts', () => {
  it('agrees with the whole-text parse wherever the parts place a problem', () => {
    const random = seeded(10);
    const bases = [...sources.map(([, text]) => text), awkwardFlow, blockHoldingFlow].flatMap((text) => [
      text,
      inFlow(text),
      inFlow(text, 2),
    ]);
    const pieces = yamlPieces;
    let texts = 0;
    let placed = 0;
    let asked = 0;
    for (let attempt = 0; texts < 300 && attempt < 5000; attempt++) {
      const text = mutated(bases, pieces, random);
      let data: unknown;
      try {
        data = load(text);
      } catch {
        continue; // Only texts that load are ever located.
      }
      texts++;
      const problems = everyPlace(data).slice(0, 200);
      const whole = locateProblems(text, problems, { wholeTextLimit: Infinity });
      for (const limit of [0, text.length >> 2]) {
        const parts = locateProblems(text, problems, { wholeTextLimit: limit, partsOnly: true });
        parts.forEach((problem, i) => {
          asked++;
          if (problem.line === undefined) return;
          placed++;
          expect([problem.line, problem.column], JSON.stringify({ text, path: problem.path })).toEqual([
            whole[i]!.line,
            whole[i]!.column,
          ]);
        });
      }
    }
    expect(texts).toBe(300);
    // Nearly all are placed by the parts; the rest would go to the whole-text parse.
    expect(placed / asked).toBeGreaterThan(0.95);
  });
});

describe('JSON locator', () => {
  it.each(examples)('agrees with the YAML locator on %s as JSON', (file) => {
    const data = load(readFileSync(join(repoRoot, 'examples', file), 'utf8'));
    for (const text of [
      JSON.stringify(data, null, 2),
      JSON.stringify(data),
      `\n\t${JSON.stringify(data, null, 4)}\n`,
    ]) {
      const problems = everyPlace(data);
      expect(problems.length).toBeGreaterThan(20);
      expect(locateJsonProblems(text, problems)).toEqual(locateProblems(text, problems));
    }
  });

  it('leaves YAML flow syntax that is not JSON to the YAML locator', () => {
    const problems: Problem[] = [{ rule: 'schema/type', severity: 'error', message: '', path: ['tunnels'] }];
    expect(locateJsonProblems("{tunnels: [], 'x': 1}", problems)).toBeUndefined();
    expect(locateProblems("{tunnels: [], 'x': 1}", problems, { json: true })[0]).toMatchObject({ line: 1, column: 11 });
  });
});
