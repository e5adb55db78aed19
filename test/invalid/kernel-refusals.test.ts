/**
 * Invalid specs: what the kernel, networkd or ip would refuse or silently ignore
 * although each value is well formed on its own: an address or route twice,
 * addresses that cannot be an interface's or a tunnel's outer address, and host
 * names that are one folder on a case-insensitive file system.
 * Each case lists every problem with its rule, location and path; the tester also
 * checks that validate prints them and that emit --out writes nothing.
 */
import { dedent } from 'tungen/testing';
import { runInvalidSpecs } from '../support/invalid-specs.js';

runInvalidSpecs('kernel refusals', [
  {
    name: 'the same address twice',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/24, 10.0.0.1/24]
    `),
    problems: [
      {
        rule: 'address/repeated',
        at: '6:30',
        path: 'tunnels[0].addresses[1]',
        message:
          'address 10.0.0.1 is already listed as 10.0.0.1/24 (tunnels[0].addresses[0]); an interface has each address once, with one prefix length',
      },
    ],
  },
  {
    name: 'the same address with another prefix length',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/24, 10.0.0.1/30]
    `),
    problems: [
      {
        rule: 'address/repeated',
        at: '6:30',
        path: 'tunnels[0].addresses[1]',
        message:
          'address 10.0.0.1 is already listed as 10.0.0.1/24 (tunnels[0].addresses[0]); an interface has each address once, with one prefix length',
      },
    ],
  },
  {
    name: 'the same IPv6 address in another notation',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["2001:db8::1/64", "2001:DB8:0::1/64"]
    `),
    problems: [
      {
        rule: 'address/repeated',
        at: '6:35',
        path: 'tunnels[0].addresses[1]',
        message:
          'address 2001:db8::1 is already listed as 2001:db8::1/64 (tunnels[0].addresses[0]); an interface has each address once, with one prefix length',
      },
    ],
  },
  {
    name: 'the same address at one end of a two-ended tunnel',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: gre1
          mode: gre
          ends:
            - {host: a, addresses: [10.0.0.1/24]}
            - {host: b, addresses: [10.0.0.2/24, {address: 10.0.0.2/24}]}
    `),
    problems: [
      {
        rule: 'address/repeated',
        at: '9:54',
        path: 'tunnels[0].ends[1].addresses[1].address',
        message:
          'address 10.0.0.2 is already listed as 10.0.0.2/24 (tunnels[0].ends[1].addresses[0]); an interface has each address once, with one prefix length',
      },
    ],
  },
  {
    name: '0.0.0.0/0 as an address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [0.0.0.0/0]
    `),
    problems: [
      {
        rule: 'address/inner-unusable',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message:
          "0.0.0.0/0 is the unspecified address, which networkd and ip ignore or refuse as an interface address; give the tunnel's own address",
      },
    ],
  },
  {
    name: '::/0 as an address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["::/0"]
    `),
    problems: [
      {
        rule: 'address/inner-unusable',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message:
          "::/0 is the unspecified address, which networkd and ip ignore or refuse as an interface address; give the tunnel's own address",
      },
    ],
  },
  {
    name: 'the unspecified address with a prefix',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [0.0.0.0/24]
    `),
    problems: [
      {
        rule: 'address/inner-unusable',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message:
          "0.0.0.0/24 is the unspecified address, which networkd and ip ignore or refuse as an interface address; give the tunnel's own address",
      },
    ],
  },
  {
    name: 'IPv6 loopback as an address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["::1/128"]
    `),
    problems: [
      {
        rule: 'address/inner-unusable',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message: "::1/128 is the IPv6 loopback address, which the kernel keeps for lo; give the tunnel's own address",
      },
    ],
  },
  {
    name: 'IPv6 multicast as an address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["ff02::1/64"]
    `),
    problems: [
      {
        rule: 'address/inner-unusable',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message:
          "ff02::1/64 is an IPv6 multicast address, which the kernel refuses as an interface address; give the tunnel's own address",
      },
    ],
  },
  {
    name: 'a multicast remote',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 239.1.1.1
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '5:13',
        path: 'tunnels[0].remote',
        message:
          '239.1.1.1 is a multicast address, which names a group, not one machine; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'a loopback local',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 127.0.0.1
          remote: 192.0.2.2
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '4:12',
        path: 'tunnels[0].local',
        message:
          '127.0.0.1 is a loopback address, which never leaves the host; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'the unspecified local',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 0.0.0.0
          remote: 192.0.2.2
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '4:12',
        path: 'tunnels[0].local',
        message:
          '0.0.0.0 is the unspecified address, which names no machine; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'the broadcast remote',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 255.255.255.255
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '5:13',
        path: 'tunnels[0].remote',
        message:
          '255.255.255.255 is the broadcast address, which names every machine on the link; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'an IPv4 link-local remote',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 169.254.10.1
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '5:13',
        path: 'tunnels[0].remote',
        message:
          '169.254.10.1 is a link-local address, which hosts pick for themselves and routers do not forward; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'an IPv6 link-local remote',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: ip6gre
          local: "2001:db8::1"
          remote: "fe80::2"
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '5:13',
        path: 'tunnels[0].remote',
        message:
          'fe80::2 is a link-local address, which is only valid together with an interface that a tunnel cannot name; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'an IPv6 multicast local',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: ip6gre
          local: "ff05::1"
          remote: "2001:db8::2"
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '4:12',
        path: 'tunnels[0].local',
        message:
          'ff05::1 is a multicast address, which names a group, not one machine; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'the IPv6 unspecified remote',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: ip6gre
          local: "2001:db8::1"
          remote: "::"
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '5:13',
        path: 'tunnels[0].remote',
        message:
          ':: is the unspecified address, which names no machine; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'a loopback underlay a tunnel uses',
    spec: dedent(`
      hosts:
        a: {underlay: 127.0.1.1}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: b}]
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '2:17',
        path: 'hosts.a.underlay',
        message:
          '127.0.1.1 is a loopback address, which never leaves the host; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'a multicast underlay no tunnel uses',
    spec: dedent(`
      hosts:
        a: {underlay: [192.0.2.1, 224.0.0.9]}
      tunnels: []
    `),
    problems: [
      {
        rule: 'address/outer-unusable',
        at: '2:29',
        path: 'hosts.a.underlay[1]',
        message:
          '224.0.0.9 is a multicast address, which names a group, not one machine; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at',
      },
    ],
  },
  {
    name: 'a route twice',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/24]
          routes: [10.9.0.0/16, 10.9.0.0/16]
    `),
    problems: [
      {
        rule: 'route/duplicate',
        at: '7:27',
        path: 'tunnels[0].routes[1]',
        message:
          'route 10.9.0.0/16 is already listed at tunnels[0].routes[0] with the same table and metric; the kernel refuses the second ("File exists"), whatever its gateway (remove one, or give it another metric)',
      },
    ],
  },
  {
    name: 'a route twice with another gateway',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/24]
          routes: [10.9.0.0/16, {to: 10.9.0.0/16, via: 10.0.0.2}]
    `),
    problems: [
      {
        rule: 'route/duplicate',
        at: '7:27',
        path: 'tunnels[0].routes[1]',
        message:
          'route 10.9.0.0/16 is already listed at tunnels[0].routes[0] with the same table and metric; the kernel refuses the second ("File exists"), whatever its gateway (remove one, or give it another metric)',
      },
    ],
  },
  {
    name: 'an IPv6 route twice in another notation',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["2001:db8::1/64"]
          routes: ["2001:db8:1::/48", "2001:DB8:1:0::/48"]
    `),
    problems: [
      {
        rule: 'route/duplicate',
        at: '7:33',
        path: 'tunnels[0].routes[1]',
        message:
          'route 2001:db8:1::/48 is already listed at tunnels[0].routes[0] with the same table and metric; the kernel refuses the second ("File exists"), whatever its gateway (remove one, or give it another metric)',
      },
    ],
  },
  {
    name: 'a route in the tunnel and again at an end',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: gre1
          mode: gre
          routes: [10.9.0.0/16]
          ends:
            - {host: a, addresses: [10.0.0.1/24], routes: [10.9.0.0/16]}
            - {host: b, addresses: [10.0.0.2/24]}
    `),
    problems: [
      {
        rule: 'route/duplicate',
        at: '9:54',
        path: 'tunnels[0].ends[0].routes[0]',
        message:
          'route 10.9.0.0/16 is already listed at tunnels[0].routes[0] with the same table and metric; the kernel refuses the second ("File exists"), whatever its gateway (remove one, or give it another metric)',
      },
    ],
  },
  {
    name: 'the same route through two tunnels of one host',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
        c: {underlay: 192.0.2.3}
      tunnels:
        - name: gre1
          mode: gre
          ends:
            - {host: a, addresses: [10.0.0.1/24], routes: [10.9.0.0/16]}
            - {host: b, addresses: [10.0.0.2/24], routes: [10.9.0.0/16]}
        - name: gre2
          mode: gre
          ends:
            - {host: a, addresses: [10.1.0.1/24], routes: [10.9.0.0/16, {to: 10.9.0.0/16, metric: 5}]}
            - {host: c, addresses: [10.1.0.2/24], routes: [10.9.0.0/16]}
    `),
    problems: [
      {
        rule: 'route/duplicate',
        at: '14:54',
        path: 'tunnels[1].ends[0].routes[0]',
        message:
          'route 10.9.0.0/16 of gre2 is already listed for gre1 at tunnels[0].ends[0].routes[0] on host a, with the same table and metric: a host keeps one such route whatever its interface, and ip route add answers "File exists" (remove one, or give it another metric or table)',
      },
    ],
  },
  {
    name: "a route to another tunnel's subnet on the same host",
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/24]
        - name: gre2
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.3
          addresses: [10.1.0.1/24]
          routes: [10.0.0.0/24, {to: 10.0.0.0/24, table: 100}]
    `),
    problems: [
      {
        rule: 'route/connected',
        at: '12:14',
        path: 'tunnels[1].routes[0]',
        message:
          'route 10.0.0.0/24 of gre2 is the route the kernel adds itself for address 10.0.0.1/24 of gre1, with the same table and metric: a host keeps one such route whatever its interface, and ip route add answers "File exists" (remove one, or give it another metric or table)',
      },
    ],
  },
  {
    name: 'a route in the main table named and unnamed',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/24]
          routes: [10.9.0.0/16, {to: 10.9.0.0/16, table: 254, metric: 0}]
    `),
    problems: [
      {
        rule: 'route/duplicate',
        at: '7:27',
        path: 'tunnels[0].routes[1]',
        message:
          'route 10.9.0.0/16 is already listed at tunnels[0].routes[0] with the same table and metric; the kernel refuses the second ("File exists"), whatever its gateway (remove one, or give it another metric)',
      },
    ],
  },
  {
    name: "a route to the tunnel's own subnet",
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/24]
          routes: [10.0.0.0/24]
    `),
    problems: [
      {
        rule: 'route/connected',
        at: '7:14',
        path: 'tunnels[0].routes[0]',
        message:
          'route 10.0.0.0/24 is the route the kernel adds itself for address 10.0.0.1/24 of gre1; ip route add answers "File exists" (remove the route, or give it another metric or table)',
      },
    ],
  },
  {
    name: 'a route to the peer of a /32 address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [{address: 10.0.0.1/32, peer: 10.0.0.2}]
          routes: [10.0.0.2/32]
    `),
    problems: [
      {
        rule: 'route/connected',
        at: '7:14',
        path: 'tunnels[0].routes[0]',
        message:
          'route 10.0.0.2/32 is the route the kernel adds itself for address 10.0.0.1/32 peer 10.0.0.2 of gre1; ip route add answers "File exists" (remove the route, or give it another metric or table)',
      },
    ],
  },
  {
    name: "an IPv6 route to the own subnet at the kernel's metric",
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["2001:db8::1/64"]
          routes: [{to: "2001:db8::/64", metric: 256}]
    `),
    problems: [
      {
        rule: 'route/connected',
        at: '7:14',
        path: 'tunnels[0].routes[0]',
        message:
          'route 2001:db8::/64 is the route the kernel adds itself for address 2001:db8::1/64 of gre1; ip route add answers "File exists" (remove the route, or give it another metric or table)',
      },
    ],
  },
  {
    name: 'host names that differ only in case',
    spec: dedent(`
      hosts:
        gw: {underlay: 192.0.2.1}
        GW: {underlay: 192.0.2.2}
      tunnels: []
    `),
    problems: [
      {
        rule: 'host/case-collision',
        at: '3:3',
        path: 'hosts.GW',
        message:
          'host "GW" differs from host "gw" only in case; their folders under --out would be one folder on a case-insensitive file system (rename one)',
      },
    ],
  },
  {
    name: 'three host names that fold to one',
    spec: dedent(`
      hosts:
        edge: {underlay: 192.0.2.1}
        Edge: {underlay: 192.0.2.2}
        EDGE: {underlay: 192.0.2.3}
      tunnels: []
    `),
    problems: [
      {
        rule: 'host/case-collision',
        at: '3:3',
        path: 'hosts.Edge',
        message:
          'host "Edge" differs from host "edge" only in case; their folders under --out would be one folder on a case-insensitive file system (rename one)',
      },
      {
        rule: 'host/case-collision',
        at: '4:3',
        path: 'hosts.EDGE',
        message:
          'host "EDGE" differs from host "edge" only in case; their folders under --out would be one folder on a case-insensitive file system (rename one)',
      },
    ],
  },
]);
