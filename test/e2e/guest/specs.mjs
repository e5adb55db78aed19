// The specs the end-to-end cases apply, the same on both guests: every
// built-in mode between the two hosts of the seed example.
export const hosts = {
  'host-a': { underlay: '10.9.29.68' },
  'host-b': { underlay: '10.9.142.136' },
};

/** More underlay addresses: tunnels that would take each other's packets need their own. */
export const vtiAddress = { a: '10.9.29.69', b: '10.9.142.137' };
export const sitAddress = { a: '10.9.29.70', b: '10.9.142.138' };

const ends = (a, b, extra = {}) => [
  { host: 'host-a', addresses: a, ...extra },
  { host: 'host-b', addresses: b, ...extra },
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
    // local, so it runs between third addresses; one-ended, once per host.
    {
      name: 'sit1',
      mode: 'sit',
      ttl: 64,
      host: 'host-a',
      local: sitAddress.a,
      remote: sitAddress.b,
      addresses: [{ address: 'fd00:13::1/64', peer: 'fd00:13::2' }],
    },
    {
      name: 'sit1',
      mode: 'sit',
      ttl: 64,
      host: 'host-b',
      local: sitAddress.b,
      remote: sitAddress.a,
      addresses: [{ address: 'fd00:13::2/64', peer: 'fd00:13::1' }],
    },
    { name: 'isa1', mode: 'isatap', prefix: 'fd00:14::/64', ends: ends([], []) },
    // A VTI takes ipip and 6in4 packets between its own endpoints, so it runs
    // between second addresses; written one-ended, once per host.
    {
      name: 'vti1',
      mode: 'vti',
      key: 42,
      host: 'host-a',
      local: vtiAddress.a,
      remote: vtiAddress.b,
      addresses: [{ address: '192.168.15.1/24', peer: '192.168.15.2' }],
    },
    {
      name: 'vti1',
      mode: 'vti',
      key: 42,
      host: 'host-b',
      local: vtiAddress.b,
      remote: vtiAddress.a,
      addresses: [{ address: '192.168.15.2/24', peer: '192.168.15.1' }],
    },
  ]
    .filter((t) => !without.includes(t.name))
    .map((t) => ({ ...t, ...(changes[t.name] ?? {}) }));
  return { version: 1, hosts, tunnels };
}

/** Static IPsec for vti1 (mark 42): what an IKE daemon would install. */
export function xfrmCommands(role) {
  const [me, peer] = role === 'a' ? [vtiAddress.a, vtiAddress.b] : [vtiAddress.b, vtiAddress.a];
  const [outSpi, inSpi] = role === 'a' ? ['0x1001', '0x2002'] : ['0x2002', '0x1001'];
  const auth = ['auth-trunc', 'hmac(sha256)', '0x' + '11'.repeat(32), '128'];
  const enc = ['enc', 'cbc(aes)', '0x' + '22'.repeat(16)];
  return [
    [
      'ip',
      'xfrm',
      'state',
      'add',
      'src',
      me,
      'dst',
      peer,
      'proto',
      'esp',
      'spi',
      outSpi,
      'mode',
      'tunnel',
      'mark',
      '42',
      ...auth,
      ...enc,
    ],
    [
      'ip',
      'xfrm',
      'state',
      'add',
      'src',
      peer,
      'dst',
      me,
      'proto',
      'esp',
      'spi',
      inSpi,
      'mode',
      'tunnel',
      'mark',
      '42',
      ...auth,
      ...enc,
    ],
    [
      'ip',
      'xfrm',
      'policy',
      'add',
      'dir',
      'out',
      'mark',
      '42',
      'tmpl',
      'src',
      me,
      'dst',
      peer,
      'proto',
      'esp',
      'mode',
      'tunnel',
    ],
    [
      'ip',
      'xfrm',
      'policy',
      'add',
      'dir',
      'in',
      'mark',
      '42',
      'tmpl',
      'src',
      peer,
      'dst',
      me,
      'proto',
      'esp',
      'mode',
      'tunnel',
    ],
  ];
}
