import { describe, expect, it } from 'vitest';
import { desiredKernelState, kernelDrift, routeChecks } from '../../src/host/kernel-state.js';
import { specFrom, twoTunnels } from './fake-host.js';

describe('desiredKernelState', () => {
  it("gives each host's links as the plugins expect them, with addresses, routes and modules", async () => {
    const spec = await specFrom(twoTunnels.replace('key: 42', 'key: 42\n    mtu: 1400\n    routes: [10.20.0.0/16]'));
    const state = desiredKernelState(spec, 'b');
    expect(state.host).toBe('b');
    expect(state.modules).toEqual(['ip_gre', 'sit']);
    expect(state.links.map((l) => [l.name, l.mode, l.kind, l.mtu ?? null, l.up])).toEqual([
      ['gre1', 'gre', 'gre', 1400, true],
      ['sit1', 'sit', 'sit', null, true],
    ]);
    expect(state.links[0]!.data).toEqual({ local: '10.0.0.2', remote: '10.0.0.1', ikey: '0.0.0.42', okey: '0.0.0.42' });
    expect(state.links[0]!.addresses).toEqual([
      { family: 'ipv4', address: '192.168.10.2', prefix: 24, peer: '192.168.10.1' },
    ]);
    expect(state.links[0]!.routes).toEqual([expect.objectContaining({ family: 'ipv4', destination: '10.20.0.0/16' })]);
  });

  it('is compared with the kernel one difference per line, netdev or network level', async () => {
    const [want] = desiredKernelState(await specFrom(twoTunnels), 'a').links;
    const link = {
      ifname: 'gre1',
      flags: ['POINTOPOINT', 'NOARP'],
      mtu: 1476,
      operstate: 'DOWN',
      linkinfo: {
        info_kind: 'gre',
        info_data: { local: '10.0.0.1', remote: '10.0.0.2', ikey: '0.0.0.7', okey: '0.0.0.42' },
      },
    };
    expect(kernelDrift(want!, { link, addresses: [], routes: [] })).toEqual([
      { link: 'gre1', level: 'netdev', detail: 'ikey: expected 0.0.0.42, found 0.0.0.7' },
      {
        link: 'gre1',
        level: 'network',
        detail: 'state: expected flag UP, operstate UP or UNKNOWN, found operstate DOWN, flags POINTOPOINT,NOARP',
      },
      {
        link: 'gre1',
        level: 'network',
        detail: 'address 192.168.10.1: expected 192.168.10.1/24 peer 192.168.10.2, found not configured (no addresses)',
      },
    ]);
    expect(kernelDrift(want!, null)).toEqual([
      { link: 'gre1', level: 'netdev', detail: 'link: expected a gre link, found none' },
    ]);
  });
});

describe('routeChecks', () => {
  it('reads default routes, host routes without a prefix and IPv6 in any spelling', () => {
    const want = [
      { family: 'ipv6' as const, destination: '::/0' },
      { family: 'ipv4' as const, destination: '10.1.2.3/32' },
      { family: 'ipv6' as const, destination: 'fd00:31::/48' },
      { family: 'ipv4' as const, destination: '10.9.0.0/16' },
      { family: 'ipv4' as const, destination: '10.8.0.0/16', table: 100 },
    ];
    const found = [{ dst: '::/0' }, { dst: '10.1.2.3' }, { dst: 'fd00:0031:0::/48' }];
    expect(routeChecks(want, found).map((c) => `${c.check} ${c.status}`)).toEqual([
      'route ::/0 pass',
      'route 10.1.2.3/32 pass',
      'route fd00:31::/48 pass',
      'route 10.9.0.0/16 fail',
    ]);
  });
});
