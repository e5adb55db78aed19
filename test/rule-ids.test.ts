/**
 * Every problem names the rule that found it, so tools and tests can rely on an
 * id rather than a sentence. The invalid-spec tables assert the id of each problem;
 * this file checks the scheme itself and how plugin rules are named.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtinModes } from '../plugins/index.js';
import { gre } from '../plugins/gre/index.js';
import type { ModePlugin, TunnelEnd } from '../src/contract.js';
import { checkSpec, coreRules, readSpecFile, SpecMissingError, type Problem } from '../src/index.js';
import { loadPlugins } from '../src/plugins/registry.js';
import { runChecks } from '../src/checks/index.js';
import { dedent } from 'tungen/testing';
import { repoRoot } from './support/run-cli.js';

async function problemsOf(source: string): Promise<Problem[]> {
  return (await checkSpec({ file: 'spec.yaml', data: parse(source), source, pathPrefix: [] })).problems;
}

const rulesOf = async (source: string) => (await problemsOf(dedent(source))).map((p) => [p.rule, p.severity]);

describe('rule ids', () => {
  it('core ids are area/kebab-name with a one-line description', () => {
    for (const [id, description] of Object.entries(coreRules)) {
      expect(id).toMatch(/^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(description).toMatch(/^[A-Z][^\n]*[^.]$/);
    }
  });

  it('built-in modes declare their rules as kebab ids, each described', () => {
    for (const mode of builtinModes) {
      for (const [id, description] of Object.entries(mode.rules ?? {})) {
        expect(id, mode.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        expect(description.length, `${mode.name}/${id}`).toBeGreaterThan(10);
      }
    }
  });

  it('schema errors take the rule of their keyword, names and hosts their own', async () => {
    expect(
      await rulesOf(`
        hosts:
          "-a": {underlay: 192.0.2.1, color: red}
        tunnels:
          - {name: "a b", mode: gre, local: 192.0.2.1, remote: 192.0.2.2, ttl: "x", mtu: 10}
          - {name: ok, mode: wireguard}
          - {name: ok2, local: 192.0.2.1}
          - {name: ok3, mode: gre, local: 192.0.2.1, remote: 192.0.2.2, addresses: [10.0.0.1]}
      `),
    ).toEqual([
      ['host/invalid-name', 'error'],
      ['schema/unknown-key', 'error'],
      ['name/invalid', 'error'],
      ['schema/range', 'error'],
      ['schema/value', 'error'],
      ['schema/unknown-mode', 'error'],
      ['schema/missing-key', 'error'],
      ['schema/format', 'error'],
    ]);
  });

  it('a mode reports under its own rules, published with the mode as prefix', async () => {
    expect(
      await rulesOf(`
        tunnels:
          - {name: g1, mode: gre, local: 192.0.2.1, remote: 192.0.2.2, key: 1, inputKey: 2}
          - {name: v1, mode: vti, local: 192.0.2.1, remote: 192.0.2.3}
      `),
    ).toEqual([
      ['gre/key-conflict', 'error'],
      ['vti/missing-key', 'error'],
    ]);
  });

  it('refuses to invent an id: a rule the mode does not declare is an error in the plugin', () => {
    const undeclared: ModePlugin = { ...gre, rules: {} };
    const end: TunnelEnd = {
      host: undefined,
      name: 'g1',
      mode: 'gre',
      plugin: undeclared,
      local: '192.0.2.1',
      remote: '192.0.2.2',
      addresses: [],
      routes: [],
      mtu: undefined,
      options: { key: 1, inputKey: 2 },
      peerHost: undefined,
      path: ['tunnels', 0],
    };
    expect(() => runChecks([end], new Map([['gre', undeclared]]))).toThrow(
      'mode gre reported rule "key-conflict", which its "rules" do not declare',
    );
    expect(runChecks([{ ...end, plugin: gre }], new Map([['gre', gre]])).map((p) => p.rule)).toEqual([
      'gre/key-conflict',
    ]);
  });

  it("tunnels that take each other's packets, a missing spec and broken plugins have rules too", async () => {
    expect(
      await rulesOf(`
        tunnels:
          - {name: ip1, mode: ipip, local: 192.0.2.1, remote: 192.0.2.2}
          - {name: vti1, mode: vti, key: 5, local: 192.0.2.1, remote: 192.0.2.2}
      `),
    ).toEqual([['tunnel/outer-packets', 'error']]);

    const dir = await mkdtemp(join(tmpdir(), 'tungen-rule-ids-'));
    try {
      const missing = await readSpecFile(join(dir, 'none.yaml'), dir).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(SpecMissingError);
      expect((missing as SpecMissingError).problems.map((p) => p.rule)).toEqual(['spec/missing']);

      await mkdir(join(dir, 'node_modules/tungen-mode-empty'), { recursive: true });
      await writeFile(join(dir, 'node_modules/tungen-mode-empty/package.json'), '{"name": "tungen-mode-empty"}');
      await writeFile(join(dir, 'node_modules/tungen-mode-empty/index.js'), 'module.exports = { name: "x y" };');
      const problems = await loadPlugins(['tungen-mode-none', 'tungen-mode-empty'], dir);
      expect(Array.isArray(problems) && problems.map((p) => p.rule)).toEqual(['plugin/load', 'plugin/contract']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  /**
   * Rules only modes not built in yet can break; each leaves this list when its
   * mode and a table case asserting it land.
   */
  const awaitingModes: string[] = [];

  it('every core rule is asserted by some test', async () => {
    const files = (await readdir(join(repoRoot, 'test'), { recursive: true })).filter((f) => f.endsWith('.test.ts'));
    // The list below names rules without asserting them.
    const sources = (await Promise.all(files.map((f) => readFile(join(repoRoot, 'test', f), 'utf8')))).map((text) =>
      text.replace(/const awaitingModes = \[[^\]]*\];/, ''),
    );
    const untested = Object.keys(coreRules).filter((rule) => !sources.some((text) => text.includes(`'${rule}'`)));
    expect(untested, 'rules no test names (besides those waiting for their modes)').toEqual(awaitingModes);
  });
});
