/**
 * Every problem names the rule that found it, so tools and tests can rely on an
 * id rather than a sentence. The bad-input tables assert the id of each problem;
 * this file checks the scheme itself and how plugin rules are named.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtinModes } from '../plugins/index.js';
import { gre } from '../plugins/gre/index.js';
import type { ModePlugin, TunnelEnd } from '../src/contract.js';
import { checkSpec, coreRules, type Problem } from '../src/index.js';
import { runChecks } from '../src/checks/index.js';
import { dedent } from './support/mode-tester.js';

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
    expect(runChecks([end], new Map([['gre', gre]])).map((p) => p.rule)).toEqual(['gre/key-conflict']);
  });
});
