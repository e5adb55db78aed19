// The specs the end-to-end cases apply, the same on both guests: every
// built-in mode between the two hosts of the seed example.

/** More underlay addresses: tunnels that would take each other's packets need their own. */
export const vtiAddress = { a: '10.9.29.69', b: '10.9.142.137' };
export const sitAddress = { a: '10.9.29.70', b: '10.9.142.138' };

/** IPv6 underlay addresses on the wire: the first for most IPv6 tunnels, the others for those that would clash. */
export const ipv6Underlay = {
  a: ['fd00:9::a', 'fd00:9::a:1', 'fd00:9::a:2', 'fd00:9::a:3'],
  b: ['fd00:9::b', 'fd00:9::b:1', 'fd00:9::b:2', 'fd00:9::b:3'],
};

const hosts = {
  'host-a': { underlay: ['10.9.29.68', vtiAddress.a, sitAddress.a, ...ipv6Underlay.a] },
  'host-b': { underlay: ['10.9.142.136', vtiAddress.b, sitAddress.b, ...ipv6Underlay.b] },
};

const ends = (a, b, extra = {}) => [
  { host: 'host-a', addresses: a, ...extra },
  { host: 'host-b', addresses: b, ...extra },
];

/** Two ends on underlays other than each host's first. */
const endsOn = (underlays, a, b) => [
  { host: 'host-a', underlay: underlays.a, addresses: a },
  { host: 'host-b', underlay: underlays.b, addresses: b },
];

/** Every mode at once; `changes` patches tunnels by name for the later cases. */
export function allModes(changes = {}, without = []) {
  const tunnels = [
    { name: 'tun0', mode: 'gre', ends: ends(['192.168.10.1/24'], ['192.168.10.2/24']) },
    {
      name: 'gk1',
      mode: 'gre',
      key: 42,
      ttl: 64,
      ends: ends(['192.168.11.1/24', 'fd00:11::1/64'], ['192.168.11.2/24', 'fd00:11::2/64']),
    },
    { name: 'ip1', mode: 'ipip', ttl: 64, pmtuDiscovery: true, ends: ends(['192.168.12.1/24'], ['192.168.12.2/24']) },
    // A sit takes the 6in4 packets of its remote from an ISATAP on the same
    // local, so it runs between the hosts' third underlay addresses.
    { name: 'sit1', mode: 'sit', ttl: 64, ends: endsOn(sitAddress, ['fd00:13::1/64'], ['fd00:13::2/64']) },
    { name: 'isa1', mode: 'isatap', prefix: 'fd00:14::/64', ends: [{ host: 'host-a' }, { host: 'host-b' }] },
    // A VTI takes ipip and 6in4 packets between its own endpoints, so it runs
    // between the hosts' second underlay addresses.
    { name: 'vti1', mode: 'vti', key: 42, ends: endsOn(vtiAddress, ['192.168.15.1/24'], ['192.168.15.2/24']) },
  ]
    .filter((t) => !without.includes(t.name))
    .map((t) => ({ ...t, ...(changes[t.name] ?? {}) }));
  return { version: 1, hosts, tunnels };
}

/**
 * Every mode tungen added over IPv6, Ethernet and UDP, with gre beside the
 * gretap and ip6gre beside the ip6gretap on the same addresses (the kernel
 * tells them apart by the GRE protocol type), and routes through ipip6.
 */
export function newModes({ fouPort = 5555 } = {}) {
  const v6 = (k) => ({ a: ipv6Underlay.a[k], b: ipv6Underlay.b[k] });
  const tunnels = [
    { name: 'tun0', mode: 'gre', ends: ends(['192.168.10.1/24'], ['192.168.10.2/24']) },
    {
      name: 'tap4',
      mode: 'gretap',
      ends: ends(['192.168.21.1/24', 'fd00:21::1/64'], ['192.168.21.2/24', 'fd00:21::2/64']),
    },
    {
      name: 'g6',
      mode: 'ip6gre',
      key: 7,
      ends: ends(['192.168.20.1/24', 'fd00:20::1/64'], ['192.168.20.2/24', 'fd00:20::2/64']),
    },
    // Keyed: networkd 252 sets keys on an ip6gretap although its manual does not list them.
    { name: 'tap6', mode: 'ip6gretap', key: 8, ends: ends(['192.168.22.1/24'], ['192.168.22.2/24']) },
    { name: 't66', mode: 'ip6ip6', encapsulationLimit: 'none', ends: ends(['fd00:23::1/64'], ['fd00:23::2/64']) },
    // ip6tnl tunnels are found by their addresses alone: one pair of underlays each.
    {
      name: 't46',
      mode: 'ipip6',
      ends: [
        {
          host: 'host-a',
          underlay: v6(1).a,
          addresses: ['192.168.24.1/30'],
          routes: [
            { to: routed.via, via: '192.168.24.2' },
            { to: routed.table, via: '192.168.24.2', table: 100 },
          ],
        },
        { host: 'host-b', underlay: v6(1).b, addresses: ['192.168.24.2/30'] },
      ],
    },
    {
      name: 'tany',
      mode: 'ip6tnl',
      ends: endsOn(v6(2), ['192.168.25.1/30', 'fd00:25::1/64'], ['192.168.25.2/30', 'fd00:25::2/64']),
    },
    {
      name: 'v6t',
      mode: 'vti6',
      key: 62,
      ends: endsOn(v6(3), ['192.168.26.1/30', 'fd00:26::1/64'], ['192.168.26.2/30', 'fd00:26::2/64']),
    },
    {
      name: 'ipfou',
      mode: 'ipip',
      encapsulation: { type: 'fou', port: fouPort },
      ends: ends(['192.168.27.1/30'], ['192.168.27.2/30']),
    },
    {
      name: 'sitfou',
      mode: 'sit',
      encapsulation: { type: 'fou', port: 6666 },
      ends: ends(['fd00:28::1/64'], ['fd00:28::2/64']),
    },
  ];
  return { version: 1, hosts, tunnels };
}

/** Networks host-a routes through t46: one in the main table, one in table 100; host-b has an address in each. */
export const routed = { via: '10.124.0.0/24', table: '10.125.0.0/24', targets: ['10.124.0.1', '10.125.0.1'] };

/**
 * Static IPsec for vti1 (mark 42) or, over IPv6, v6t (mark 62): what an IKE
 * daemon would install. `inner` lists the families the policies select; with
 * more than one, the states take either (flag af-unspec) and each family gets
 * its own policy pair, told apart by their selectors (0.0.0.0/0, ::/0).
 *
 * @param {'a' | 'b'} role
 * @param {{ addresses?: { a: string, b: string }, mark?: string, spis?: string[], inner?: string[] }} [options]
 */
export function xfrmCommands(
  role,
  { addresses = vtiAddress, mark = '42', spis = ['0x1001', '0x2002'], inner = [] } = {},
) {
  const [me, peer] = role === 'a' ? [addresses.a, addresses.b] : [addresses.b, addresses.a];
  const [outSpi, inSpi] = role === 'a' ? spis : [...spis].reverse();
  const auth = ['auth-trunc', 'hmac(sha256)', '0x' + '11'.repeat(32), '128'];
  const enc = ['enc', 'cbc(aes)', '0x' + '22'.repeat(16)];
  const flags = inner.length > 1 ? ['flag', 'af-unspec'] : [];
  const state = (src, dst, spi) => [
    ...['ip', 'xfrm', 'state', 'add', 'src', src, 'dst', dst, 'proto', 'esp', 'spi', spi, 'mode', 'tunnel'],
    ...['mark', mark, ...auth, ...enc, ...flags],
  ];
  const policy = (selector, dir, src, dst) => [
    ...['ip', 'xfrm', 'policy', 'add', ...selector, 'dir', dir, 'mark', mark],
    ...['tmpl', 'src', src, 'dst', dst, 'proto', 'esp', 'mode', 'tunnel'],
  ];
  const any = (f) => (f === 'ipv4' ? '0.0.0.0/0' : '::/0');
  const families = inner.length ? inner.map((f) => ['src', any(f), 'dst', any(f)]) : [[]];
  return [
    state(me, peer, outSpi),
    state(peer, me, inSpi),
    ...families.flatMap((family) => [policy(family, 'out', me, peer), policy(family, 'in', peer, me)]),
  ];
}
