/**
 * A third-party plugin's option schemas are compiled and checked when the
 * plugin loads: a broken one is a located problem naming the plugin and its
 * package, like any other plugin that cannot be loaded, and each schema is
 * compiled once per run however many specs name the plugin.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { checkSpec, readSpecFile } from 'tungen';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tungen } from './support/run-cli.js';
import { validateInProcess } from '../src/testing/in-process.js';

/** A complete mode as a package would write it in plain JavaScript, with its options schema given. */
const pluginSource = (name: string, options: string) => `
const endpoints = (end) => [['Local', end.local], ['Remote', end.remote]];
module.exports = {
  name: ${JSON.stringify(name)},
  description: 'a test mode',
  kind: 'ipip',
  outer: 'ipv4',
  inner: ['ipv4'],
  remote: 'required',
  kernelModules: ['ipip'],
  fallbackDevices: ['tunl0'],
  options: ${options},
  identity: (end) => ['ipip', end.local, end.remote].join('|'),
  networkd: (end) => ({ tunnel: [...endpoints(end), ...(end.options.ttl === undefined ? [] : [['TTL', end.options.ttl]])] }),
  ifupdown: (end) => ({ method: 'manual', ipLinkAdd: ['type', 'ipip', 'local', end.local, 'remote', end.remote] }),
  expect: (end) => ({ data: { local: end.local, remote: end.remote } }),
};
`;

const plugins: Record<string, string> = {
  'tungen-mode-typo': pluginSource('typo', "{ ttl: { type: 'integer', minimun: 1 } }"),
  'tungen-mode-badtype': pluginSource('badtype', "{ ttl: { type: 'integr' } }"),
  'tungen-mode-good': pluginSource('good', "{ ttl: { type: 'integer', minimum: 1, maximum: 255 } }"),
  // Used by the compile count only, so no other test has compiled them before it.
  'tungen-mode-once': pluginSource('once', "{ ttl: { type: 'integer', minimum: 1, maximum: 255 } }"),
  'tungen-mode-once-broken': pluginSource('oncebroken', "{ ttl: { type: 'integer', maximun: 255 } }"),
};

const tunnel = (mode: string, name: string, ttl = 64) =>
  `  - {name: ${name}, mode: ${mode}, local: 192.0.2.1, remote: 192.0.2.${name.length + 1}, ttl: ${ttl}}\n`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tungen-plugin-schemas-'));
  for (const [name, source] of Object.entries(plugins)) {
    await mkdir(join(dir, 'node_modules', name), { recursive: true });
    await writeFile(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
    await writeFile(join(dir, 'node_modules', name, 'index.js'), source);
  }
  await writeFile(
    join(dir, 'broken.yaml'),
    `plugins: [tungen-mode-good, tungen-mode-typo, tungen-mode-badtype]\ntunnels: []\n`,
  );
  await writeFile(join(dir, 'once.yaml'), `plugins: [tungen-mode-once]\ntunnels:\n${tunnel('once', 'o1')}`);
  await writeFile(join(dir, 'once-again.yaml'), `plugins: [tungen-mode-once]\ntunnels:\n${tunnel('once', 'o22', 300)}`);
  await writeFile(join(dir, 'once-broken.yaml'), `plugins: [tungen-mode-once, tungen-mode-once-broken]\ntunnels: []\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const expectedLines = [
  'broken.yaml:1:29: plugin "tungen-mode-typo": mode typo: option "ttl" has an invalid schema: unknown keyword: "minimun" (plugins[1])',
  'broken.yaml:1:47: plugin "tungen-mode-badtype": mode badtype: option "ttl" has an invalid schema: type must be equal to one of the allowed values (plugins[2])',
];

describe('third-party option schemas', () => {
  it('a broken schema is a located problem naming the plugin, its package and the option; no stack trace', async () => {
    const run = await validateInProcess(join(dir, 'broken.yaml'));
    const lines = (run.stdout + run.stderr).split('\n').map((line) => line.replace(`${dir}/`, ''));
    expect(lines.filter((line) => line.includes(': plugin "'))).toEqual(expectedLines);
    expect(run.code).toBe(1);
    const { problems } = await checkSpec(await readSpecFile(join(dir, 'broken.yaml'), dir));
    expect(problems.map((p) => p.rule)).toEqual(['plugin/contract', 'plugin/contract']);
  });

  it('the binary says the same, with the exit code of any plugin that cannot be loaded', async () => {
    const run = await tungen(['-c', 'broken.yaml', 'validate'], { cwd: dir });
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
    for (const line of expectedLines) expect(run.stdout + run.stderr).toContain(line);
    expect(run.code).toBe(1);
  });

  it('compiles each schema once per run, however many specs use the plugin', async () => {
    const compile = vi.spyOn(AjvModule.default.prototype, 'compile');
    try {
      const first = await checkSpec(await readSpecFile(join(dir, 'once.yaml'), dir));
      expect(first.problems).toEqual([]);
      // The plugin's tunnel schema when it loads, then the spec schema that refers to it.
      expect(compile).toHaveBeenCalledTimes(2);
      const second = await checkSpec(await readSpecFile(join(dir, 'once-again.yaml'), dir));
      // The same plugin and set of modes: nothing compiled again, and the schema still applies.
      expect(second.problems.map((p) => `${p.message} [${p.rule}]`)).toEqual([
        'must be <= 255, got 300 [schema/range]',
      ]);
      const third = await checkSpec(await readSpecFile(join(dir, 'once-broken.yaml'), dir));
      expect(third.problems.map((p) => p.rule)).toEqual(['plugin/contract']);
      // One attempt for the broken plugin; the good one is compiled already.
      expect(compile).toHaveBeenCalledTimes(3);
      await checkSpec(await readSpecFile(join(dir, 'once-broken.yaml'), dir));
      expect(compile).toHaveBeenCalledTimes(3);
    } finally {
      compile.mockRestore();
    }
  });
});
