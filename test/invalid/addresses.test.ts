/**
 * Invalid specs: outer and inner addresses, peers and routes.
 * Each case lists every problem with its rule, location and path; the tester also
 * checks that validate prints them and that emit --out writes nothing.
 */
import { dedent } from 'tungen/testing';
import { runInvalidSpecs } from '../support/invalid-specs.js';

runInvalidSpecs('addresses', [
  {
    name: 'newline in an address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["10.0.0.1/24\\n[Route]"]
    `),
    problems: [
      {
        rule: 'schema/format',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message: 'expected ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64, got "10.0.0.1/24\\n[Route]"',
      },
    ],
  },
  {
    name: 'key=value in an address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["Address=10.0.0.1/24"]
    `),
    problems: [
      {
        rule: 'schema/format',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message: 'expected ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64, got "Address=10.0.0.1/24"',
      },
    ],
  },
  {
    name: 'space in an outer address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: "192.0.2.1 remote 6.6.6.6"
          remote: 192.0.2.2
    `),
    problems: [
      {
        rule: 'schema/format',
        at: '4:12',
        path: 'tunnels[0].local',
        message: 'expected an IP address such as 10.9.29.68, got "192.0.2.1 remote 6.6.6.6"',
      },
    ],
  },
  {
    name: 'unicode digits in an address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          routes: ["１０.0.0.0/8"]
    `),
    problems: [
      {
        rule: 'schema/format',
        at: '6:14',
        path: 'tunnels[0].routes[0]',
        message: 'expected ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64, got "１０.0.0.0/8"',
      },
    ],
  },
  {
    name: 'IPv6 underlay',
    spec: dedent(`
      hosts:
        a: {underlay: "2001:db8::1"}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: b}]
    `),
    problems: [
      {
        rule: 'address/family',
        at: '2:17',
        path: 'hosts.a.underlay',
        message: 'mode gre runs over IPv4, but 2001:db8::1 is IPv6',
      },
    ],
  },
  {
    name: 'ipip carrying IPv6',
    spec: dedent(`
      tunnels:
        - name: ipip1
          mode: ipip
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: ["fd00::1/64"]
    `),
    problems: [
      {
        rule: 'address/family',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message: 'mode ipip carries IPv4 only, but fd00::1 is IPv6',
      },
    ],
  },
  {
    name: 'sit carrying IPv4',
    spec: dedent(`
      tunnels:
        - name: sit1
          mode: sit
          local: 192.0.2.1
          remote: 192.0.2.2
          routes: [10.0.0.0/8]
    `),
    problems: [
      {
        rule: 'address/family',
        at: '6:14',
        path: 'tunnels[0].routes[0]',
        message: 'mode sit carries IPv6 only, but route 10.0.0.0/8 is IPv4',
      },
    ],
  },
  {
    name: 'isatap with a remote',
    spec: dedent(`
      tunnels:
        - name: isatap1
          mode: isatap
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      {
        rule: 'address/unexpected-remote',
        at: '5:13',
        path: 'tunnels[0].remote',
        message: 'mode isatap has no remote endpoint; remove "remote"',
      },
    ],
  },
  {
    name: 'peer outside the subnet',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: gre1
          mode: gre
          ends:
            - {host: a, addresses: [10.0.0.1/30]}
            - {host: b, addresses: [10.0.0.5/30]}
    `),
    problems: [
      {
        rule: 'address/peer-subnet',
        at: '8:31',
        path: 'tunnels[0].ends[0].addresses[0]',
        message: 'peer 10.0.0.5 is outside 10.0.0.0/30, the subnet of 10.0.0.1/30',
      },
      {
        rule: 'address/peer-subnet',
        at: '9:31',
        path: 'tunnels[0].ends[1].addresses[0]',
        message: 'peer 10.0.0.1 is outside 10.0.0.4/30, the subnet of 10.0.0.5/30',
      },
    ],
  },
  {
    name: "a peer that is not the other end's address",
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: gre1
          mode: gre
          ends:
            - {host: a, addresses: [{address: 10.0.0.1/24, peer: 10.0.0.9}]}
            - {host: b, addresses: [10.0.0.2/24]}
    `),
    problems: [
      {
        rule: 'address/peer-mismatch',
        at: '8:31',
        path: 'tunnels[0].ends[0].addresses[0]',
        message: 'peer 10.0.0.9 is not 10.0.0.2, the address of the other end on host b',
      },
    ],
  },
  {
    name: 'address equal to its peer',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [{address: 10.0.0.1/30, peer: 10.0.0.1}]
    `),
    problems: [
      {
        rule: 'address/own-peer',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message: 'address 10.0.0.1 is its own peer; the two ends need different addresses',
      },
    ],
  },
  {
    name: 'peer of the other family',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [{address: 10.0.0.1/30, peer: "fd00::2"}]
    `),
    problems: [
      {
        rule: 'address/family',
        at: '6:46',
        path: 'tunnels[0].addresses[0].peer',
        message: 'peer "fd00::2" is not an IPv4 address like 10.0.0.1',
      },
    ],
  },
  {
    name: 'route with host bits',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          routes: ["fd00:1::1/64"]
    `),
    problems: [
      {
        rule: 'route/host-bits',
        at: '6:14',
        path: 'tunnels[0].routes[0]',
        message: 'route fd00:1::1/64 has host bits set; the network is fd00:1::/64',
      },
    ],
  },
  {
    name: 'address without prefix',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1]
    `),
    problems: [
      {
        rule: 'schema/format',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message: 'expected ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64, got "10.0.0.1"',
      },
    ],
  },
  {
    name: 'prefix too long',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/33]
    `),
    problems: [
      {
        rule: 'address/invalid',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message: '"10.0.0.1/33": prefix length must be 0-32',
      },
    ],
  },
  {
    name: 'not an IP address',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.300/24]
    `),
    problems: [
      {
        rule: 'address/invalid',
        at: '6:17',
        path: 'tunnels[0].addresses[0]',
        message: '"10.0.0.300/24": "10.0.0.300" is not an IPv4 or IPv6 address',
      },
    ],
  },
  {
    name: 'one address on two tunnels of a host',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: [10.0.0.1/30]
        - name: gre2
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.3
          addresses: [10.0.0.1/30]
    `),
    problems: [
      {
        rule: 'address/duplicate',
        at: '7:5',
        path: 'tunnels[1]',
        message: 'address 10.0.0.1 is already on tunnel gre1 (tunnels[0])',
      },
    ],
  },
  {
    name: 'missing remote',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
      tunnels:
        - name: gre1
          mode: gre
          host: a
    `),
    problems: [
      {
        rule: 'address/missing',
        at: '4:5',
        path: 'tunnels[0]',
        message: 'missing field "remote": mode gre needs the outer address of the other end',
      },
    ],
  },
  {
    name: 'missing local',
    spec: dedent(`
      tunnels:
        - name: ipip1
          mode: ipip
          remote: 192.0.2.2
    `),
    problems: [
      {
        rule: 'address/missing',
        at: '2:5',
        path: 'tunnels[0]',
        message: 'missing field "local": the outer address of this machine',
      },
    ],
  },
]);
