/**
 * The fast ways of locating problems in big specs find the same LINE:COL as
 * parsing the whole text with positions (the reference): the JSON scanner, and
 * the YAML parts (one key's lines in a block mapping, one item of a big list, at
 * any depth; a limit of 0 cuts down to the smallest parts). Checked for
 * every node of the examples and of a spec in an awkward layout, for value and
 * key positions and for keys that are missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Problem } from 'tungen';
import { locateJsonProblems } from '../src/spec/locate-json.js';
import { locateProblems } from '../src/spec/locate.js';
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

describe('locating problems part by part', () => {
  it.each([...examples, 'awkward layout'])('agrees with the whole-text parse on %s', (file) => {
    const text = file === 'awkward layout' ? awkward : readFileSync(join(repoRoot, 'examples', file), 'utf8');
    const problems = everyPlace(load(text));
    expect(problems.length).toBeGreaterThan(20);
    // A limit of 0 cuts every spec into parts; Infinity parses it whole.
    expect(locateProblems(text, problems, { wholeTextLimit: 0 })).toEqual(
      locateProblems(text, problems, { wholeTextLimit: Infinity }),
    );
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
