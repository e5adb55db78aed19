import { dedent, ModeTester } from 'tungen/testing';

new ModeTester().run('gretap', {
  invalid: [
    {
      name: 'an MTU above what the kernel allows without a key',
      spec: dedent(`
        tunnels:
          - name: tap0
            mode: gretap
            local: 192.0.2.1
            remote: 192.0.2.2
            inputKey: 1
            mtu: 65498
      `),
      problems: [
        {
          rule: 'gretap/mtu-maximum',
          at: '7:10',
          path: 'tunnels[0].mtu',
          message:
            'mtu 65498 is larger than 65497, the most the kernel allows for mode gretap (65535 minus 20 bytes of outer header, 4 of GRE and 14 of Ethernet)',
        },
      ],
    },
    {
      name: 'an MTU above what the kernel allows with a key',
      spec: dedent(`
        tunnels:
          - name: tap0
            mode: gretap
            local: 192.0.2.1
            remote: 192.0.2.2
            key: 1
            mtu: 65494
      `),
      problems: [
        {
          rule: 'gretap/mtu-maximum',
          at: '7:10',
          path: 'tunnels[0].mtu',
          message:
            'mtu 65494 is larger than 65493, the most the kernel allows for mode gretap (65535 minus 20 bytes of outer header, 8 of GRE and 14 of Ethernet)',
        },
      ],
    },
    {
      name: 'a /32 on an Ethernet tunnel',
      spec: dedent(`
        hosts:
          a: {underlay: 192.0.2.1}
          b: {underlay: 192.0.2.2}
        tunnels:
          - name: tap0
            mode: gretap
            ends: [{host: a, addresses: [10.0.0.1/32]}, {host: b, addresses: [10.0.0.2/24]}]
      `),
      problems: [
        {
          rule: 'address/neighbour-subnet',
          at: '7:34',
          path: 'tunnels[0].ends[0].addresses[0]',
          message:
            'mode gretap carries Ethernet: 10.0.0.1/32 shares no subnet with 10.0.0.2; give a prefix that covers both',
        },
      ],
    },
    {
      name: 'the two ends on different subnets',
      spec: dedent(`
        hosts:
          a: {underlay: 192.0.2.1}
          b: {underlay: 192.0.2.2}
        tunnels:
          - name: tap0
            mode: gretap
            ends: [{host: a, addresses: [10.0.0.1/24]}, {host: b, addresses: [10.0.1.2/24]}]
      `),
      problems: [
        {
          rule: 'address/peer-subnet',
          at: '7:34',
          path: 'tunnels[0].ends[0].addresses[0]',
          message: 'peer 10.0.1.2 is outside 10.0.0.0/24, the subnet of 10.0.0.1/24',
        },
        {
          rule: 'address/peer-subnet',
          at: '7:71',
          path: 'tunnels[0].ends[1].addresses[0]',
          message: 'peer 10.0.0.1 is outside 10.0.1.0/24, the subnet of 10.0.1.2/24',
        },
      ],
    },
  ],
});

new ModeTester().run('ip6gretap', {
  invalid: [
    {
      name: 'an MTU above what a new ip6gretap keeps',
      spec: dedent(`
        tunnels:
          - name: tap6
            mode: ip6gretap
            local: "2001:db8::1"
            remote: "2001:db8::2"
            mtu: 65360
      `),
      problems: [
        {
          rule: 'ip6gretap/mtu-maximum',
          at: '6:10',
          path: 'tunnels[0].mtu',
          message:
            'mtu 65360 is larger than 65359, the most the kernel allows for mode ip6gretap (65535 minus 128 bytes of link-layer headroom, 40 of outer header and 8 of GRE, which the kernel counts twice)',
        },
      ],
    },
    {
      name: 'an MTU above what a new ip6gretap keeps when it sends a key',
      spec: dedent(`
        tunnels:
          - name: tap6
            mode: ip6gretap
            local: "2001:db8::1"
            remote: "2001:db8::2"
            outputKey: 3
            mtu: 65352
      `),
      problems: [
        {
          rule: 'ip6gretap/mtu-maximum',
          at: '7:10',
          path: 'tunnels[0].mtu',
          message:
            'mtu 65352 is larger than 65351, the most the kernel allows for mode ip6gretap (65535 minus 128 bytes of link-layer headroom, 40 of outer header and 16 of GRE, which the kernel counts twice)',
        },
      ],
    },
    {
      name: 'an IPv4 remote',
      spec: dedent(`
        tunnels:
          - name: tap6
            mode: ip6gretap
            local: "2001:db8::1"
            remote: 192.0.2.2
      `),
      problems: [
        {
          rule: 'address/family',
          at: '5:13',
          path: 'tunnels[0].remote',
          message: 'mode ip6gretap runs over IPv6, but 192.0.2.2 is IPv4',
        },
      ],
    },
  ],
});
