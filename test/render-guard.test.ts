/**
 * The last guard before a template: renderEnd refuses a context with a value that is not a
 * plain token, wherever it sits, and names the place; a context of plain tokens renders.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelEnd } from '../src/contract.js';
import { renderEnd } from '../src/render/render.js';
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
  ])('refuses %s, naming where it is', (_what, context, where) => {
    expect(() => renderEnd(end, targetWith(context), 'tunnels.yaml')).toThrow(
      new RegExp(`^refusing to render .* at ${where.replace(/[.[\]]/g, '\\$&')}: not a plain token$`),
    );
  });
});
