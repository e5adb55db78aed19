/**
 * Specs that are hard to load: empty, several documents, BOMs, duplicate JSON
 * keys, alias bombs, deep nesting, inherited key names, JS specs that throw,
 * FIFOs and odd file names. Each is a located problem (exit 1) or one line
 * (exit 2), never a stack trace, and nothing is written.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tungen } from '../support/run-cli.js';
import { runInvalidSpecs } from '../support/invalid-specs.js';
import type { InvalidCase } from 'tungen/testing';

const gre = (name: string, extra = '') =>
  `  - name: ${name}\n    mode: gre\n    local: 192.0.2.1\n    remote: 192.0.2.2\n${extra}`;

/** Nine levels of nine aliases: 387 million values once expanded. */
const aliasBomb = [
  'x-anchors:',
  '  a0: &a0 [x, x, x, x, x, x, x, x, x]',
  ...Array.from({ length: 8 }, (_, i) => `  a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`),
  'tunnels: *a8',
  '',
].join('\n');

const hostsAB = 'hosts:\n  a: {underlay: 192.0.2.1}\n  b: {underlay: 192.0.2.2}\n';
const twoEnded = (name: string, first: string, second: string) =>
  `  - name: ${name}\n    mode: gre\n    ends:\n      - host: ${first}\n      - host: ${second}\n`;

const inherited = ['constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];

/** [LINE:COL, path, message, rule] */
type Row = [at: string, path: string, message: string | RegExp, rule: string];
interface SpecCase {
  name: string;
  file?: string;
  spec: string;
  problems: Row[];
}

const cases: SpecCase[] = [
  {
    name: 'a null tunnel',
    spec: 'tunnels: [~]\n',
    problems: [['1:11', 'tunnels[0]', 'expected a mapping, got null', 'schema/type']],
  },
  {
    name: 'an empty file',
    spec: '',
    problems: [['1:1', '', 'the spec is empty; it must be a mapping with a "tunnels" list', 'schema/type']],
  },
  {
    name: 'a comment only',
    spec: '# nothing yet\n',
    problems: [['1:1', '', 'the spec is empty; it must be a mapping with a "tunnels" list', 'schema/type']],
  },
  {
    name: 'several YAML documents',
    spec: 'tunnels: []\n---\ntunnels: []\n',
    problems: [
      ['2:1', '', 'syntax error: a spec is one YAML document; this is where a second one starts', 'spec/syntax'],
    ],
  },
  {
    name: 'a key twice in JSON',
    file: 'spec.json',
    spec: '{\n  "tunnels": [],\n  "hosts": {},\n  "tunnels": [1]\n}\n',
    problems: [['4:3', '', 'syntax error: duplicated mapping key "tunnels"', 'spec/syntax']],
  },
  {
    name: 'a key twice in a nested JSON mapping, written with an escape',
    file: 'spec.json',
    spec: '{"tunnels": [{"name": "gre1",\n "n\\u0061me": "gre2"}]}\n',
    problems: [['2:2', '', 'syntax error: duplicated mapping key "name"', 'spec/syntax']],
  },
  {
    name: '5,000 nested JSON lists in an unknown key',
    file: 'spec.json',
    spec: `{"tunnels": [], "x": ${'['.repeat(5000)}${']'.repeat(5000)}}`,
    problems: [['1:85', '', 'lists and mappings nested more than 64 levels deep', 'spec/limit']],
  },
  {
    name: '5,000 nested YAML flow lists',
    spec: `tunnels: []\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    problems: [['2:103', '', 'syntax error: nesting exceeded maxDepth (100)', 'spec/syntax']],
  },
  {
    name: 'an alias bomb',
    spec: aliasBomb,
    problems: [
      [
        '6:12',
        'x-anchors.a4[0]',
        'aliases expand to more than 10000 values; a spec may repeat values through aliases only up to that',
        'spec/limit',
      ],
    ],
  },
  {
    name: '200 aliases of one bad tunnel: 100 problems and a count of the rest',
    spec: `tunnels:\n  - &t {name: gre1, mode: gre, local: 192.0.2.1, remote: 192.0.2.2, bogus: 1}\n${'  - *t\n'.repeat(200)}`,
    problems: [
      ...Array.from({ length: 100 }, (_, i): Row => [
        i === 0 ? '2:69' : `${i + 2}:5`,
        `tunnels[${i}].bogus`,
        /^unknown field "bogus" for mode gre/,
        'schema/unknown-key',
      ]),
      ['1:1', '', '101 more problems not shown; fix these first', 'spec/limit'],
    ],
  },
  {
    name: 'a long value is quoted by its start only',
    spec: `tunnels:\n${gre('gre1', `    description: "${'x'.repeat(100_000)}"\n`)}`,
    problems: [
      [
        '6:18',
        'tunnels[0].description',
        `expected one line of text, got "${'x'.repeat(60)}"... (100000 characters)`,
        'schema/range',
      ],
    ],
  },
  {
    name: 'invisible characters in a value are escaped',
    spec: `tunnels:\n${gre('gre1')}    ttl: "6\\u20284\\u0085\\u200b\\ufeff"\n`,
    problems: [
      [
        '6:10',
        'tunnels[0].ttl',
        'expected a TTL 1-255 or "inherit", got "6\\u20284\\u0085\\u200b\\ufeff"',
        'schema/value',
      ],
    ],
  },
  ...inherited.map((host): SpecCase => ({
    name: `an end on host ${host}, which the spec does not list`,
    spec: `${hostsAB}tunnels:\n${twoEnded('gre1', 'a', host)}`,
    problems: [['9:15', 'tunnels[0].ends[1].host', `unknown host "${host}"; hosts are: a, b`, 'host/unknown']],
  })),
  ...inherited.map((host): SpecCase => ({
    name: `a one-ended tunnel on host ${host} without hosts`,
    spec: `tunnels:\n${gre('gre1', `    host: ${host}\n`)}`,
    problems: [['6:11', 'tunnels[0].host', `unknown host "${host}"; the spec lists no hosts`, 'host/unknown']],
  })),
  {
    name: 'a host named __proto__',
    spec: `hosts:\n  __proto__: {underlay: 192.0.2.3}\n  a: {underlay: 192.0.2.1}\ntunnels: []\n`,
    problems: [
      [
        '2:3',
        'hosts.__proto__',
        "invalid name \"__proto__\": expected a host name: letters, digits, '_', '.' or '-', starting with a letter or digit, at most 63",
        'host/invalid-name',
      ],
    ],
  },
  {
    name: 'a JSON key __proto__ is a key, not a prototype',
    file: 'spec.json',
    spec: '{"tunnels": [], "__proto__": {"tunnels": 5}}\n',
    problems: [['1:17', '__proto__', /^unknown field "__proto__"; allowed: /, 'schema/unknown-key']],
  },
  {
    name: 'plugins named like a Node built-in or an inherited key',
    spec: 'plugins: [os, constructor, tostring, prototype]\ntunnels: []\n',
    problems: [
      [
        '1:11',
        'plugins[0]',
        'cannot load plugin "os": it is a Node.js built-in module, not a plugin package',
        'plugin/load',
      ],
      ['1:15', 'plugins[1]', /^cannot load plugin "constructor": Cannot find module 'constructor'/, 'plugin/load'],
      ['1:28', 'plugins[2]', /^cannot load plugin "tostring": Cannot find module 'tostring'/, 'plugin/load'],
      ['1:38', 'plugins[3]', /^cannot load plugin "prototype": Cannot find module 'prototype'/, 'plugin/load'],
    ],
  },
];

runInvalidSpecs(
  'hard-to-load specs',
  cases.map((c): InvalidCase => ({
    ...c,
    problems: c.problems.map(([at, path, message, rule]) => ({ rule, at, path, message })),
  })),
);

describe('hosts named like inherited keys are hosts like any other', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'tungen-proto-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(inherited)('host %s renders its own folder', async (host) => {
    const spec = join(dir, `${host}.yaml`);
    await writeFile(
      spec,
      `hosts:\n  ${host}: {underlay: 192.0.2.1}\n  b: {underlay: 192.0.2.2}\ntunnels:\n${twoEnded('gre1', host, 'b')}`,
    );
    const run = await tungen(['-c', spec, 'emit', '-t', 'networkd', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const hosts = (JSON.parse(run.stdout) as Array<{ host: string }>).map((f) => f.host);
    expect(hosts).toEqual([host, host, 'b', 'b']);
  });
});

describe('spec files that are not plain files, or run code', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'tungen-loading-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const place = async (name: string, files: Record<string, string>) => {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(join(folder, file), text);
    return folder;
  };

  it('a FIFO is refused at once, without waiting for a writer', async () => {
    const fifo = join(dir, 'spec.yaml');
    execFileSync('mkfifo', [fifo]);
    const run = await tungen(['-c', fifo, 'validate']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `${fifo}: cannot read spec: not a regular file (a FIFO)\n` });
  });

  it('a folder given as the spec is one line, exit 2', async () => {
    const run = await tungen(['-c', dir, 'validate']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `${dir}: cannot read spec: not a regular file (a folder)\n` });
  });

  it('a package.json with a BOM is read', async () => {
    const cwd = await place('bom', { 'package.json': '\ufeff{"name": "x", "tungen": {"tunnels": []}}' });
    expect(await tungen(['validate'], { cwd })).toEqual({
      code: 0,
      stdout: 'package.json: valid (0 tunnels)\n',
      stderr: '',
    });
  });

  it('a JSON spec with a BOM is read', async () => {
    const cwd = await place('bom-json', { 'tungen.config.json': '\ufeff{"tunnels": []}' });
    expect(await tungen(['validate'], { cwd })).toEqual({
      code: 0,
      stdout: 'tungen.config.json: valid (0 tunnels)\n',
      stderr: '',
    });
  });

  it('a broken package.json that holds the spec is a located syntax error', async () => {
    const cwd = await place('broken', { 'package.json': '{"name": "x",\n "tungen": {"tunnels": [}\n}' });
    const run = await tungen(['validate'], { cwd });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'package.json:2:25: syntax error: missed comma between flow collection entries\n',
    });
  });

  it('a cosmiconfig meta-config in the current folder is not run', async () => {
    const cwd = await place('meta', {
      'package.json': '{"name": "x"}',
      'tungen.config.yaml': 'tunnels: []\n',
    });
    await mkdir(join(cwd, '.config'));
    await writeFile(join(cwd, '.config/config.js'), 'require("fs").writeFileSync("RAN", "");\n');
    const run = await tungen(['validate'], { cwd });
    expect(run).toEqual({ code: 0, stdout: 'tungen.config.yaml: valid (0 tunnels)\n', stderr: '' });
    await expect(import('node:fs').then((fs) => fs.existsSync(join(cwd, 'RAN')))).resolves.toBe(false);
  });

  it('a .mjs spec that throws is a located problem', async () => {
    const cwd = await place('throws', {
      'tungen.config.mjs': 'export default { tunnels: [] };\nthrow new Error("boom");\n',
    });
    const { loadSpec } = await import('../../src/spec/load.js');
    await expect(loadSpec(undefined, cwd)).rejects.toMatchObject({ problems: [{ rule: 'spec/script' }] });
    const run = await tungen(['validate'], { cwd });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tungen.config.mjs:2:7: the spec module throws: Error: boom\n',
    });
  });

  it('a .mjs spec with a syntax error is a located problem', async () => {
    const cwd = await place('syntax', { 'tungen.config.mjs': 'export default { tunnels: [ };\n' });
    const run = await tungen(['validate'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tungen\.config\.mjs:1:1: syntax error: Unexpected token '}'\n$/);
  });

  it('a JS spec that contains itself is refused', async () => {
    const cwd = await place('cycle', {
      'tungen.config.mjs': 'const spec = { tunnels: [] };\nspec.tunnels.push(spec);\nexport default spec;\n',
    });
    const run = await tungen(['validate'], { cwd });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tungen.config.mjs: this value contains itself; a spec must be a tree (tunnels[0])\n',
    });
  });

  it("the spec's file name is shown with invisible characters escaped", async () => {
    const file = join(dir, 'we\u2028ird\u200b\u0085.yaml');
    await writeFile(file, 'tunnels: 5\n');
    const run = await tungen(['validate', 'we\u2028ird\u200b\u0085.yaml'], { cwd: dir });
    expect(run.stderr).toBe('we\\u2028ird\\u200b\\u0085.yaml:1:10: expected a list, got 5 (tunnels)\n');
    expect(run.code).toBe(1);
  });
});

describe('spec maps are read as data', () => {
  it('parsed mappings have no prototype, so no key is inherited', async () => {
    const { asData } = await import('../../src/spec/data.js');
    const result = asData(JSON.parse('{"hosts": {"a": {"underlay": "192.0.2.1"}}, "__proto__": {"x": 1}}'));
    expect('data' in result).toBe(true);
    const data = (result as { data: Record<string, Record<string, unknown>> }).data;
    expect(Object.getPrototypeOf(data)).toBe(null);
    expect(Object.getPrototypeOf(data['hosts'])).toBe(null);
    expect(Object.keys(data)).toEqual(['hosts', '__proto__']);
    expect(data['hosts']!['constructor']).toBeUndefined();
  });

  it.each(inherited)('the library refuses host %s even in data with a prototype', async (host) => {
    const { checkSpec } = await import('../../src/api.js');
    const { parse } = await import('yaml');
    const source = `${hostsAB}tunnels:\n${twoEnded('gre1', 'a', host)}`;
    const { problems } = await checkSpec({ file: 'spec.yaml', data: parse(source), source, pathPrefix: [] });
    expect(problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [9, 15, `unknown host "${host}"; hosts are: a, b`],
    ]);
  });
});
