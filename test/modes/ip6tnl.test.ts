import { dedent, ModeTester } from 'tungen/testing';

new ModeTester().run('ip6ip6', {
  invalid: [
    {
      name: 'an IPv4 address inside',
      spec: dedent(`
        tunnels:
          - name: t66
            mode: ip6ip6
            local: "2001:db8::1"
            remote: "2001:db8::2"
            addresses: [10.0.0.1/30]
      `),
      problems: [
        {
          rule: 'address/family',
          at: '6:17',
          path: 'tunnels[0].addresses[0]',
          message: 'mode ip6ip6 carries IPv6 only, but 10.0.0.1 is IPv4',
        },
      ],
    },
    {
      name: 'an MTU below 1280 without IPv6 addresses',
      spec: dedent(`
        tunnels:
          - name: t66
            mode: ip6ip6
            local: "2001:db8::1"
            remote: "2001:db8::2"
            mtu: 1279
      `),
      problems: [
        {
          rule: 'ip6ip6/mtu-minimum',
          at: '6:10',
          path: 'tunnels[0].mtu',
          message: 'mtu 1279 is below 1280; the kernel refuses it for mode ip6ip6, which carries IPv6',
        },
      ],
    },
  ],
});

new ModeTester().run('ipip6', {
  valid: [
    {
      name: 'an MTU below 1280 is fine when only IPv4 is carried',
      spec: dedent(`
        tunnels:
          - name: t46
            mode: ipip6
            local: "2001:db8::1"
            remote: "2001:db8::2"
            mtu: 1000
      `),
    },
  ],
  invalid: [
    {
      name: 'a key, which ip6tnl has not',
      spec: dedent(`
        tunnels:
          - name: t46
            mode: ipip6
            local: "2001:db8::1"
            remote: "2001:db8::2"
            key: 1
      `),
      problems: [
        {
          rule: 'schema/unknown-key',
          at: '6:5',
          path: 'tunnels[0].key',
          message:
            'unknown field "key" for mode ipip6; allowed: addresses, description, encapsulationLimit, ends, flowLabel, host, local, mode, mtu, name, remote, routes, ttl',
        },
      ],
    },
    {
      name: 'an IPv6 route',
      spec: dedent(`
        tunnels:
          - name: t46
            mode: ipip6
            local: "2001:db8::1"
            remote: "2001:db8::2"
            routes: ["fd00::/64"]
      `),
      problems: [
        {
          rule: 'address/family',
          at: '6:14',
          path: 'tunnels[0].routes[0]',
          message: 'mode ipip6 carries IPv4 only, but route fd00::/64 is IPv6',
        },
      ],
    },
    {
      name: 'an ip6ip6 beside an ipip6 between the same addresses',
      spec: dedent(`
        tunnels:
          - name: t46
            mode: ipip6
            local: "2001:db8::1"
            remote: "2001:db8::2"
          - name: t66
            mode: ip6ip6
            local: "2001:db8::1"
            remote: "2001:db8:0:0::2"
      `),
      problems: [
        {
          rule: 'tunnel/duplicate-identity',
          at: '6:5',
          path: 'tunnels[1]',
          message:
            'tunnel t66 (tunnels[1]) has the same endpoints and keys as tunnel t46 (tunnels[0]); the kernel refuses the second (give a different key or endpoint)',
        },
      ],
    },
  ],
});

new ModeTester().run('ip6tnl', {
  invalid: [
    {
      name: 'mode any beside a vti6 between the same addresses',
      spec: dedent(`
        tunnels:
          - name: tany
            mode: ip6tnl
            local: "2001:db8::1"
            remote: "2001:db8::2"
          - name: v6
            mode: vti6
            key: 1
            local: "2001:db8::1"
            remote: "2001:db8::2"
      `),
      problems: [
        {
          rule: 'tunnel/outer-packets',
          at: '6:5',
          path: 'tunnels[1]',
          message:
            'tunnel v6 (tunnels[1]) and tunnel tany (tunnels[0]) both take IP protocol 41, 4 from 2001:db8::2 to 2001:db8::1; the kernel gives those packets to one of them only (use another local or remote address for one)',
        },
      ],
    },
  ],
});
