/**
 * The tester is tested against modes broken on purpose: each must be caught by
 * the rule meant for it, and a faithful copy of a built-in mode must pass, so a
 * failure below is the breakage and not the way the mode was loaded.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gre } from '../plugins/gre/index.js';
import { dedent, ModeTester, type InvalidCase, type ValidCase } from 'tungen/testing';

const mode = 'gre-x';
type GreEnd = Parameters<typeof gre.networkd>[0];
const testers: ModeTester[] = [];
afterAll(() => Promise.all(testers.map((t) => t.dispose())));

/** A tester for gre with some of its parts replaced, loaded as a third-party plugin. */
function testerFor(
  changes: Partial<typeof gre> = {},
  options: Omit<ConstructorParameters<typeof ModeTester>[0] & object, 'plugin'> = {},
) {
  const tester = new ModeTester({ ...options, plugin: { ...gre, name: mode, ...changes } });
  testers.push(tester);
  return tester;
}

const valid: ValidCase = {
  name: 'two ends with separate keys',
  spec: dedent(`
    hosts:
      a: {underlay: 192.0.2.1}
      b: {underlay: 192.0.2.2}
    tunnels:
      - name: gx
        mode: ${mode}
        inputKey: 1
        outputKey: 2
        ends:
          - {host: a, addresses: [10.0.0.1/30]}
          - {host: b, addresses: [10.0.0.2/30]}
  `),
};

const invalid: InvalidCase = {
  name: 'pmtuDiscovery false with a fixed ttl',
  spec: dedent(`
    tunnels:
      - name: gx
        mode: ${mode}
        local: 192.0.2.1
        remote: 192.0.2.2
        ttl: 64
        pmtuDiscovery: false
  `),
  problems: [
    {
      rule: `${mode}/pmtu-needs-ttl-inherit`,
      at: '7:20',
      path: 'tunnels[0].pmtuDiscovery',
      message: 'pmtuDiscovery: false needs ttl "inherit"; the kernel refuses it with ttl 64',
    },
  ],
};

/** gre's networkd keys with some added. */
const withTunnelKeys =
  (...extra: Array<[string, string]>) =>
  (end: GreEnd) => {
    const netdev = gre.networkd(end);
    return { ...netdev, tunnel: [...netdev.tunnel, ...extra] };
  };

describe('ModeTester', () => {
  it('passes a faithful copy of gre loaded as a third-party plugin', async () => {
    const tester = testerFor();
    await tester.checkValid(mode, valid);
    await tester.checkInvalid(mode, invalid);
  });

  it('catches a networkd key systemd does not know', async () => {
    await expect(testerFor({ networkd: withTunnelKeys(['Bogus', 'yes']) }).checkValid(mode, valid)).rejects.toThrow(
      /Tunnel\.Bogus is not a key systemd 252 accepts/,
    );
  });

  it('catches a networkd key newer than systemd 252', async () => {
    await expect(
      testerFor({ networkd: withTunnelKeys(['IgnoreDontFragment', 'yes']) }).checkValid(mode, valid),
    ).rejects.toThrow(/Tunnel\.IgnoreDontFragment needs systemd 254, newer than 252/);
  });

  it('catches a key the netdev kind does not use', async () => {
    await expect(testerFor({ kind: 'ipip' }).checkValid(mode, valid)).rejects.toThrow(
      /Tunnel\.InputKey is not used by Kind=ipip/,
    );
  });

  it('catches a value networkd cannot parse', async () => {
    await expect(testerFor({ networkd: withTunnelKeys(['TTL', '300']) }).checkValid(mode, valid)).rejects.toThrow(
      /Tunnel\.TTL="300" is not a valid value/,
    );
  });

  it('catches ends that do not mirror: keys not swapped for the second end', async () => {
    const tester = new ModeTester({ plugin: { ...gre, mirrorOptions: undefined, name: mode } });
    testers.push(tester);
    await expect(tester.checkValid(mode, valid)).rejects.toThrow(/do not mirror each other[\s\S]*InputKey/);
  });

  it('catches ends that do not mirror: remote taken from the wrong end', async () => {
    const networkd = (end: GreEnd) => ({
      tunnel: [
        ['Local', end.local],
        ['Remote', end.local],
      ] as Array<[string, string]>,
    });
    await expect(testerFor({ networkd }).checkValid(mode, valid)).rejects.toThrow(
      /Local\/Remote and InputKey\/OutputKey swapped/,
    );
  });

  it('catches output that changes when rendered again', async () => {
    let calls = 0;
    const networkd = (end: GreEnd) => withTunnelKeys(['TTL', String(1 + (calls++ % 200))])(end);
    await expect(testerFor({ networkd }).checkValid(mode, valid)).rejects.toThrow(/networkd output is not byte-stable/);
  });

  it('catches an ifupdown stanza ifupdown cannot bring up', async () => {
    const ifupdown = (end: GreEnd) => ({
      method: 'tunnel',
      family: 'inet' as const,
      primary: end.addresses[0]!,
      options: [['mode', 'GRE']] as Array<[string, string]>,
    });
    await expect(testerFor({ ifupdown }).checkValid(mode, valid)).rejects.toThrow(
      /missing required variable: endpoint/,
    );
  });

  it('catches a check that lets a bad spec through', async () => {
    await expect(testerFor({ check: undefined }).checkInvalid(mode, invalid)).rejects.toThrow(
      /expected 1 problem\(s\)[\s\S]*got 0/,
    );
  });

  it('catches a problem found by another rule than the case expects', async () => {
    const problems = [{ ...invalid.problems[0]!, rule: 'gre-x/key-conflict' }];
    await expect(testerFor().checkInvalid(mode, { ...invalid, problems })).rejects.toThrow(
      /expected 1 problem\(s\):\n.*\[gre-x\/key-conflict\]\ngot 1:\n.*\[gre-x\/pmtu-needs-ttl-inherit\]/,
    );
  });

  it('catches an emit that refuses an invalid spec without saying why', async () => {
    const emitOut = () => Promise.resolve({ code: 1, stdout: '', stderr: '' });
    await expect(testerFor({}, { emitOut }).checkInvalid(mode, invalid)).rejects.toThrow(/reports the problems/);
  });

  it('catches a binary that prints something else than the in-process commands', async () => {
    const binary = () => Promise.resolve({ code: 1, stdout: '', stderr: 'spec.yaml: something else\n' });
    const tester = new ModeTester({ binary });
    testers.push(tester);
    await expect(
      tester.checkBinary(binary, [{ ...invalid, spec: invalid.spec.replaceAll(mode, 'gre') }]),
    ).rejects.toThrow(/the binary prints what the in-process commands print/);
  });

  it('catches an emit that writes files for an invalid spec', async () => {
    const emitOut = async (_spec: string, _target: string, outDir: string) => {
      await writeFile(join(outDir, '10-tungen-gx.netdev'), '[NetDev]\n');
      return { code: 1, stdout: '', stderr: '' };
    };
    await expect(testerFor({}, { emitOut }).checkInvalid(mode, invalid)).rejects.toThrow(
      /wrote 10-tungen-gx\.netdev for an invalid spec/,
    );
  });

  it('catches an emit that succeeds on an invalid spec', async () => {
    const emitOut = () => Promise.resolve({ code: 0, stdout: '', stderr: '' });
    await expect(testerFor({}, { emitOut }).checkInvalid(mode, invalid)).rejects.toThrow(/exited 0, expected 1/);
  });

  it('compares expected files exactly', async () => {
    const files = { networkd: { 'a/10-tungen-gx.netdev': 'something else\n' } };
    await expect(testerFor().checkValid(mode, { ...valid, files })).rejects.toThrow(/expected/);
  });

  it('refuses a case that uses another mode', async () => {
    await expect(testerFor().checkValid('gre', valid)).rejects.toThrow(/a gre case must use only mode gre, uses gre-x/);
  });

  it('refuses malformed tables before running anything', () => {
    const tester = testerFor();
    expect(() => tester.run(mode, { valid: [valid, { ...valid, name: 'again' }] })).toThrow(/have the same spec/);
    expect(() => tester.run(mode, { valid: [valid], invalid: [{ ...invalid, name: valid.name }] })).toThrow(
      /two cases are named/,
    );
    expect(() => tester.run(mode, { invalid: [{ ...invalid, problems: [] }] })).toThrow(/expects no problems/);
  });
});
