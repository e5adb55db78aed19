/**
 * The last guard before a template: renderEnd refuses a context with a value that is not a
 * plain token, wherever it sits, and names the place; a context of plain tokens renders.
 */
import { checkSpec } from 'tungen';
import { describe, expect, it } from 'vitest';
import type { TunnelEnd } from '../src/contract.js';
import { renderEnd, renderEnds } from '../src/render/render.js';
import { targets } from '../src/targets/index.js';
import type { Target } from '../src/targets/target.js';

const end = { name: 'tun0', host: 'host-a' } as TunnelEnd;

function targetWith(context: Record<string, unknown>): Target {
  return {
    name: 'networkd',
    configDir: '/etc/systemd/network',
    plan: () => [{ name: '10-tungen-tun0.netdev', template: 'networkd/netdev', context }],
  };
}

const plain = {
  name: 'tun0',
  kind: 'gre',
  tunnel: [
    { key: 'Local', value: '10.0.0.1' },
    { key: 'TTL', value: 64 },
  ],
};

describe('renderEnd', () => {
  it('renders a context of plain tokens', () => {
    const [file] = renderEnd(end, targetWith(plain), 'tunnels.yaml');
    expect(file?.contents).toContain('Local=10.0.0.1\nTTL=64\n');
  });

  it.each([
    ['a value with a line break', { ...plain, kind: 'gre\n[Match]' }, 'tun0:10-tungen-tun0.netdev.kind'],
    [
      'a value deep in a list',
      { ...plain, tunnel: [plain.tunnel[0], { key: 'TTL', value: '64 x' }] },
      'tun0:10-tungen-tun0.netdev.tunnel[1].value',
    ],
    [
      'a config key that is not a key',
      { ...plain, tunnel: [{ key: 'Local=x', value: '1' }] },
      'tun0:10-tungen-tun0.netdev.tunnel[0].key',
    ],
    ['a number that is not finite', { ...plain, mtu: Number.NaN }, 'tun0:10-tungen-tun0.netdev.mtu'],
    ['a function where a token goes', { ...plain, name: () => 'tun0' }, 'tun0:10-tungen-tun0.netdev.name'],
    [
      'a value the context only inherits',
      Object.assign(Object.create({ section: 'x\ny' }) as object, plain),
      'tun0:10-tungen-tun0.netdev.section',
    ],
  ])('refuses %s, naming where it is', (_what, context, where) => {
    expect(() => renderEnd(end, targetWith(context), 'tunnels.yaml')).toThrow(
      new RegExp(`^refusing to render .* at ${where.replace(/[.[\]]/g, '\\$&')}: not a plain token$`),
    );
  });
});

describe('renderEnds', () => {
  // Many ends of several hosts (each file's header names its host): every file as it renders
  // on its own, in order.
  it.each(Object.keys(targets))('renders each file of many ends as it renders alone (%s)', async (targetName) => {
    const hosts = Object.fromEntries(Array.from({ length: 7 }, (_, h) => [`host-${h}`, { underlay: `10.1.${h}.1` }]));
    const tunnels = Array.from({ length: 300 }, (_, i) => ({
      name: `tun${i}`,
      mode: i % 3 ? 'gre' : 'ipip',
      host: `host-${i % 7}`,
      remote: `10.64.${i >> 7}.${(i & 127) + 1}`,
      addresses: [`172.16.${i >> 6}.${(i & 63) * 4 + 1}/30`],
      ...(i % 5 ? {} : { ttl: 64, mtu: 1400 }),
    }));
    const { problems, spec } = await checkSpec({ file: 'many.yaml', data: { hosts, tunnels }, pathPrefix: [] });
    expect(problems).toEqual([]);
    const target = targets[targetName]!;
    const together = renderEnds(spec!.ends, target, spec!.file);
    const alone = spec!.ends.flatMap((end) => renderEnd(end, target, spec!.file));
    expect(together.length).toBeGreaterThanOrEqual(300);
    expect(together).toEqual(alone);
    expect(new Set(together.map((f) => f.contents)).size).toBe(together.length);
  });
});
