/**
 * Bad specs, each with every problem it must produce: exact message, FILE:LINE:COL
 * and dotted path as `tungen validate` prints them, and nothing written by
 * `emit --out`. The commands run in process; one test runs the real binary on
 * all of them to show it prints the same.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedent } from './support/mode-tester.js';
import { emitOutInProcess, listFiles, tungen, validateInProcess } from './support/run-cli.js';

interface BadSpec {
  name: string;
  file?: 'spec.json';
  spec: string;
  /** [LINE:COL or '' when the whole file is meant, dotted path or '', message] */
  problems: Array<[at: string, path: string, message: string | RegExp]>;
}

const cases: BadSpec[] = [
  {
    name: 'unknown field for the mode',
    spec: dedent(`
      tunnels:
        - name: sit1
          mode: sit
          local: 192.0.2.1
          remote: 192.0.2.2
          key: 1
    `),
    problems: [
      [
        '6:5',
        'tunnels[0].key',
        'unknown field "key" for mode sit; allowed: addresses, description, ends, host, local, mode, mtu, name, pmtuDiscovery, remote, routes, tos, ttl',
      ],
    ],
  },
  {
    name: 'unknown top-level field',
    spec: dedent(`
      tunnel:
        - name: gre1
          mode: gre
    `),
    problems: [
      ['1:1', '', 'missing field "tunnels"'],
      ['1:1', 'tunnel', 'unknown field "tunnel"; allowed: $schema, hosts, plugins, tunnels, version'],
    ],
  },
  {
    name: 'ttl as a string',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          ttl: "64"
    `),
    problems: [['6:10', 'tunnels[0].ttl', 'expected a TTL 1-255 or "inherit", got "64"']],
  },
  {
    name: 'addresses as a string',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          addresses: 10.0.0.1/24
    `),
    problems: [['6:16', 'tunnels[0].addresses', 'expected a list, got "10.0.0.1/24"']],
  },
  {
    name: 'tunnels as a mapping',
    spec: dedent(`
      tunnels:
        gre1:
          mode: gre
    `),
    problems: [['2:3', 'tunnels', 'expected a list, got {"gre1":{"mode":"gre"}}']],
  },
  {
    name: 'ttl 0',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          ttl: 0
    `),
    problems: [['6:10', 'tunnels[0].ttl', 'expected a TTL 1-255 or "inherit", got 0']],
  },
  {
    name: 'ttl 256',
    spec: dedent(`
      tunnels:
        - name: ipip1
          mode: ipip
          local: 192.0.2.1
          remote: 192.0.2.2
          ttl: 256
    `),
    problems: [['6:10', 'tunnels[0].ttl', 'expected a TTL 1-255 or "inherit", got 256']],
  },
  {
    name: 'tos 256',
    spec: dedent(`
      tunnels:
        - name: sit1
          mode: sit
          local: 192.0.2.1
          remote: 192.0.2.2
          tos: 256
    `),
    problems: [['6:10', 'tunnels[0].tos', 'expected a TOS byte 0-255 or "inherit", got 256']],
  },
  {
    name: 'mtu 67',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          mtu: 67
    `),
    problems: [['6:10', 'tunnels[0].mtu', 'must be >= 68, got 67']],
  },
  {
    name: 'mtu 65536',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          mtu: 65536
    `),
    problems: [['6:10', 'tunnels[0].mtu', 'must be <= 65535, got 65536']],
  },
  {
    name: 'key 0, which networkd reads as no key',
    spec: dedent(`
      tunnels:
        - name: vti1
          mode: vti
          local: 192.0.2.1
          remote: 192.0.2.2
          key: 0
    `),
    problems: [['6:10', 'tunnels[0].key', 'must be >= 1, got 0']],
  },
  {
    name: 'key above 32 bits',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          outputKey: 4294967296
    `),
    problems: [['6:16', 'tunnels[0].outputKey', 'must be <= 4294967295, got 4294967296']],
  },
  {
    name: 'missing name',
    spec: dedent(`
      tunnels:
        - mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [['2:5', 'tunnels[0]', 'missing field "name"']],
  },
  {
    name: 'missing mode',
    spec: dedent(`
      tunnels:
        - name: gre1
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [['2:5', 'tunnels[0]', 'missing field "mode"']],
  },
  {
    name: 'unknown mode',
    spec: dedent(`
      tunnels:
        - name: wg0
          mode: wireguard
    `),
    problems: [['3:11', 'tunnels[0].mode', 'expected a mode: "gre", "ipip", "sit", "isatap", "vti", got "wireguard"']],
  },
  {
    name: 'unknown spec version',
    spec: dedent(`
      version: 2
      tunnels: []
    `),
    problems: [['1:10', 'version', 'expected 1, got 2']],
  },
  {
    name: 'host without underlay',
    spec: dedent(`
      hosts:
        a: {}
      tunnels: []
    `),
    problems: [['2:6', 'hosts.a', 'missing field "underlay"']],
  },
  {
    name: 'newline in a name',
    spec: dedent(`
      tunnels:
        - name: "tun0\\n[NetDev]"
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      [
        '2:11',
        'tunnels[0].name',
        "expected an interface name: 1-15 letters, digits, '_' or '-', got \"tun0\\n[NetDev]\"",
      ],
    ],
  },
  {
    name: 'section header as a name',
    spec: dedent(`
      tunnels:
        - name: "[Tunnel]"
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      ['2:11', 'tunnels[0].name', "expected an interface name: 1-15 letters, digits, '_' or '-', got \"[Tunnel]\""],
    ],
  },
  {
    name: '= in a name',
    spec: dedent(`
      tunnels:
        - name: "a=b"
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      ['2:11', 'tunnels[0].name', "expected an interface name: 1-15 letters, digits, '_' or '-', got \"a=b\""],
    ],
  },
  {
    name: 'space in a name',
    spec: dedent(`
      tunnels:
        - name: "tun 0"
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      ['2:11', 'tunnels[0].name', "expected an interface name: 1-15 letters, digits, '_' or '-', got \"tun 0\""],
    ],
  },
  {
    name: 'path in a name',
    spec: dedent(`
      tunnels:
        - name: "../etc"
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      ['2:11', 'tunnels[0].name', "expected an interface name: 1-15 letters, digits, '_' or '-', got \"../etc\""],
    ],
  },
  {
    name: 'unicode in a name',
    spec: dedent(`
      tunnels:
        - name: "tün0"
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      ['2:11', 'tunnels[0].name', "expected an interface name: 1-15 letters, digits, '_' or '-', got \"tün0\""],
    ],
  },
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
      [
        '6:17',
        'tunnels[0].addresses[0]',
        'expected ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64, got "10.0.0.1/24\\n[Route]"',
      ],
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
      [
        '6:17',
        'tunnels[0].addresses[0]',
        'expected ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64, got "Address=10.0.0.1/24"',
      ],
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
      ['4:12', 'tunnels[0].local', 'expected an IP address such as 10.9.29.68, got "192.0.2.1 remote 6.6.6.6"'],
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
      [
        '6:14',
        'tunnels[0].routes[0]',
        'expected ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64, got "１０.0.0.0/8"',
      ],
    ],
  },
  {
    name: 'slash in a host name',
    spec: dedent(`
      hosts:
        a/b: {underlay: 192.0.2.1}
      tunnels: []
    `),
    problems: [
      [
        '2:3',
        'hosts["a/b"]',
        "invalid name \"a/b\": expected a host name: letters, digits, '_', '.' or '-', starting with a letter or digit, at most 63",
      ],
    ],
  },
  {
    name: 'dot-dot host name',
    spec: dedent(`
      hosts:
        "..": {underlay: 192.0.2.1}
      tunnels: []
    `),
    problems: [
      [
        '2:3',
        'hosts[".."]',
        "invalid name \"..\": expected a host name: letters, digits, '_', '.' or '-', starting with a letter or digit, at most 63",
      ],
    ],
  },
  {
    name: 'unicode host name at an end',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: "bé"}]
    `),
    problems: [
      [
        '6:30',
        'tunnels[0].ends[1].host',
        "expected a host name: letters, digits, '_', '.' or '-', starting with a letter or digit, at most 63, got \"bé\"",
      ],
    ],
  },
  {
    name: 'newline in a description',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          description: "one\\r\\n[NetDev]"
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [['4:18', 'tunnels[0].description', 'expected one line of text, got "one\\r\\n[NetDev]"']],
  },
  {
    name: 'newline in a key',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          key: "1\\nKey=2"
    `),
    problems: [
      [
        '6:10',
        'tunnels[0].key',
        'expected a key: an integer 1-4294967295 or a dotted quad other than 0.0.0.0, got "1\\nKey=2"',
      ],
    ],
  },
  {
    name: 'unicode digits in a key',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          inputKey: "１.2.3.4"
          outputKey: 7
    `),
    problems: [
      [
        '6:15',
        'tunnels[0].inputKey',
        'expected a key: an integer 1-4294967295 or a dotted quad other than 0.0.0.0, got "１.2.3.4"',
      ],
    ],
  },
  {
    name: 'path in a plugin name',
    spec: dedent(`
      plugins: ["../../evil"]
      tunnels: []
    `),
    problems: [['1:11', 'plugins[0]', 'expected an npm package name, got "../../evil"']],
  },
  {
    name: 'interface name too long',
    spec: dedent(`
      tunnels:
        - name: tunnel-to-branch1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      [
        '2:11',
        'tunnels[0].name',
        "expected an interface name: 1-15 letters, digits, '_' or '-', got \"tunnel-to-branch1\"",
      ],
    ],
  },
  {
    name: 'reserved names',
    spec: dedent(`
      tunnels:
        - name: gre0
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
        - name: tunl0
          mode: ipip
          local: 192.0.2.1
          remote: 192.0.2.5
        - name: sit0
          mode: sit
          local: 192.0.2.1
          remote: 192.0.2.4
        - name: ip_vti0
          mode: vti
          key: 1
          local: 192.0.2.1
          remote: 192.0.2.3
    `),
    problems: [
      [
        '2:11',
        'tunnels[0].name',
        'interface name "gre0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      ],
      [
        '6:11',
        'tunnels[1].name',
        'interface name "tunl0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      ],
      [
        '10:11',
        'tunnels[2].name',
        'interface name "sit0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      ],
      [
        '14:11',
        'tunnels[3].name',
        'interface name "ip_vti0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      ],
    ],
  },
  {
    name: 'one name twice on a host',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
        c: {underlay: 192.0.2.3}
      tunnels:
        - name: tun0
          mode: gre
          ends: [{host: a}, {host: b}]
        - name: tun0
          mode: gre
          ends: [{host: a}, {host: c}]
    `),
    problems: [['9:11', 'tunnels[1].name', 'interface tun0 on host a is already used by tunnel tun0 (tunnels[0])']],
  },
  {
    name: 'unknown host',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: b}]
    `),
    problems: [['6:30', 'tunnels[0].ends[1].host', 'unknown host "b"; hosts are: a']],
  },
  {
    name: 'both ends on one host',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: a}]
    `),
    problems: [['6:30', 'tunnels[0].ends[1].host', 'both ends are on host "a"; a tunnel joins two different hosts']],
  },
  {
    name: 'two hosts with one underlay',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.1}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: b}]
    `),
    problems: [
      [
        '7:30',
        'tunnels[0].ends[1].host',
        'hosts "a" and "b" have the same underlay 192.0.2.1; local and remote of a tunnel must differ',
      ],
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
      [
        '2:17',
        'hosts.a.underlay',
        'mode gre runs over IPv4, but 2001:db8::1 is IPv6',
      ],
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
    problems: [['6:17', 'tunnels[0].addresses[0]', 'mode ipip carries IPv4 only, but fd00::1 is IPv6']],
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
    problems: [['6:14', 'tunnels[0].routes[0]', 'mode sit carries IPv6 only, but route 10.0.0.0/8 is IPv4']],
  },
  {
    name: 'vti without key',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: vti1
          mode: vti
          ends: [{host: a}, {host: b}]
    `),
    problems: [
      [
        '5:5',
        'tunnels[0]',
        'mode vti needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies',
      ],
    ],
  },
  {
    name: 'key with inputKey',
    spec: dedent(`
      tunnels:
        - name: vti1
          mode: vti
          local: 192.0.2.1
          remote: 192.0.2.2
          key: 1
          inputKey: 2
          outputKey: 3
    `),
    problems: [
      ['6:10', 'tunnels[0].key', '"key" sets both directions; give either key or inputKey/outputKey, not both'],
    ],
  },
  {
    name: 'pmtuDiscovery false with a fixed ttl',
    spec: dedent(`
      tunnels:
        - name: sit1
          mode: sit
          local: 192.0.2.1
          remote: 192.0.2.2
          pmtuDiscovery: false
          ttl: 1
    `),
    problems: [
      [
        '6:20',
        'tunnels[0].pmtuDiscovery',
        'pmtuDiscovery: false needs ttl "inherit"; the kernel refuses it with ttl 1',
      ],
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
    problems: [['5:13', 'tunnels[0].remote', 'mode isatap has no remote endpoint; remove "remote"']],
  },
  {
    name: 'isatap with a /56 prefix',
    spec: dedent(`
      tunnels:
        - name: isatap1
          mode: isatap
          local: 192.0.2.1
          prefix: "2001:db8::/56"
    `),
    problems: [['5:13', 'tunnels[0].prefix', 'prefix "2001:db8::/56": ISATAP addresses need a /64 prefix']],
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
      ['8:31', 'tunnels[0].ends[0].addresses[0]', 'peer 10.0.0.5 is outside 10.0.0.0/30, the subnet of 10.0.0.1/30'],
      ['9:31', 'tunnels[0].ends[1].addresses[0]', 'peer 10.0.0.1 is outside 10.0.0.4/30, the subnet of 10.0.0.5/30'],
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
      [
        '8:31',
        'tunnels[0].ends[0].addresses[0]',
        'peer 10.0.0.9 is not 10.0.0.2, the address of the other end on host b',
      ],
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
      ['6:17', 'tunnels[0].addresses[0]', 'address 10.0.0.1 is its own peer; the two ends need different addresses'],
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
    problems: [['6:46', 'tunnels[0].addresses[0].peer', 'peer "fd00::2" is not an IPv4 address like 10.0.0.1']],
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
    problems: [['6:14', 'tunnels[0].routes[0]', 'route fd00:1::1/64 has host bits set; the network is fd00:1::/64']],
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
      [
        '6:17',
        'tunnels[0].addresses[0]',
        'expected ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64, got "10.0.0.1"',
      ],
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
    problems: [['6:17', 'tunnels[0].addresses[0]', '"10.0.0.1/33": prefix length must be 0-32']],
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
    problems: [['6:17', 'tunnels[0].addresses[0]', '"10.0.0.300/24": "10.0.0.300" is not an IPv4 or IPv6 address']],
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
    problems: [['7:5', 'tunnels[1]', 'address 10.0.0.1 is already on tunnel gre1 (tunnels[0])']],
  },
  {
    name: 'tunnels the kernel cannot tell apart',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: b}]
        - name: gre2
          mode: gre
          ends: [{host: b, name: gre9}, {host: a}]
    `),
    problems: [
      [
        '8:5',
        'tunnels[1]',
        'tunnel gre2 (tunnels[1]) has the same endpoints and keys as tunnel gre1 (tunnels[0]) on host a; the kernel refuses the second (give a different key or endpoint)',
      ],
      [
        '8:5',
        'tunnels[1]',
        'tunnel gre9 (tunnels[1]) has the same endpoints and keys as tunnel gre1 (tunnels[0]) on host b; the kernel refuses the second (give a different key or endpoint)',
      ],
    ],
  },
  {
    name: 'one-ended tunnel without host in a spec with hosts',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [
      [
        '4:5',
        'tunnels[0]',
        'missing field "host": a spec that lists hosts says which host a one-ended tunnel belongs to (or use "ends")',
      ],
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
    problems: [['4:5', 'tunnels[0]', 'missing field "remote": mode gre needs the outer address of the other end']],
  },
  {
    name: 'missing local',
    spec: dedent(`
      tunnels:
        - name: ipip1
          mode: ipip
          remote: 192.0.2.2
    `),
    problems: [['2:5', 'tunnels[0]', 'missing field "local": the outer address of this machine']],
  },
  {
    name: 'one-ended fields beside ends',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
      tunnels:
        - name: gre1
          mode: gre
          remote: 192.0.2.9
          ends: [{host: a}, {host: b}]
    `),
    problems: [
      ['7:13', 'tunnels[0].remote', '"remote" belongs to the one-ended form; with "ends" it comes from hosts and ends'],
    ],
  },
  {
    name: 'a single end',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}]
    `),
    problems: [['6:11', 'tunnels[0].ends', 'must have at least 2 items']],
  },
  {
    name: 'duplicate YAML key',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          local: 192.0.2.3
          remote: 192.0.2.2
    `),
    problems: [['5:5', '', 'syntax error: duplicated mapping key']],
  },
  {
    name: 'YAML syntax error',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          addresses: [10.0.0.1/24
          remote: 192.0.2.2
    `),
    problems: [['5:5', '', 'syntax error: missed comma between flow collection entries']],
  },
  {
    name: 'bad indentation',
    spec: dedent(`
      tunnels:
        - name: gre1
         mode: gre
    `),
    problems: [['3:4', '', 'syntax error: bad indentation of a sequence entry']],
  },
  {
    name: 'empty file',
    spec: dedent(`
    `),
    problems: [['', '', 'the spec must be a mapping with a "tunnels" list']],
  },
  {
    name: 'a list instead of a mapping',
    spec: dedent(`
      - name: gre1
        mode: gre
    `),
    problems: [['1:1', '', 'the spec must be a mapping with a "tunnels" list']],
  },
  {
    name: 'three independent problems',
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          ttl: 300
        - name: sit0
          mode: sit
          local: 192.0.2.1
          remote: 192.0.2.3
        - name: ipip1
          mode: ipip
          local: 192.0.2.1
          remote: 192.0.2.4
          routes: [10.1.2.3/16]
    `),
    problems: [
      ['6:10', 'tunnels[0].ttl', 'expected a TTL 1-255 or "inherit", got 300'],
      ['15:14', 'tunnels[2].routes[0]', 'route 10.1.2.3/16 has host bits set; the network is 10.1.0.0/16'],
      [
        '7:11',
        'tunnels[1].name',
        'interface name "sit0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      ],
    ],
  },
  {
    name: 'JSON spec with a schema error',
    file: 'spec.json',
    spec: dedent(`
      {
        "tunnels": [
          {
            "name": "gre1",
            "mode": "gre",
            "local": "192.0.2.1",
            "remote": "192.0.2.2",
            "tos": "low"
          }
        ]
      }
    `),
    problems: [['8:14', 'tunnels[0].tos', 'expected a TOS byte 0-255 or "inherit", got "low"']],
  },
  {
    name: 'JSON spec with semantic errors',
    file: 'spec.json',
    spec: dedent(`
      {"tunnels": [
        {"name": "vti1", "mode": "vti", "local": "192.0.2.1", "remote": "192.0.2.1"}
      ]}
    `),
    problems: [
      ['2:67', 'tunnels[0].remote', 'local and remote are both 192.0.2.1'],
      [
        '2:3',
        'tunnels[0]',
        'mode vti needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies',
      ],
    ],
  },
  {
    name: 'JSON syntax error',
    file: 'spec.json',
    spec: dedent(`
      {
        "tunnels": [
          {"name": "gre1", "mode": "gre",}
        ]
      }
    `),
    problems: [['3:36', '', 'syntax error: Expected double-quoted property name']],
  },
];

let root: string;
const specFiles = new Map<string, string>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tungen-bad-input-'));
  for (const [index, c] of cases.entries()) {
    const dir = join(root, String(index));
    await mkdir(dir);
    const file = join(dir, c.file ?? 'spec.yaml');
    await writeFile(file, c.spec);
    specFiles.set(c.name, file);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The lines `validate` must print for a case. */
function expectedLines(c: BadSpec, file: string): Array<{ prefix: string; suffix: string; message: string | RegExp }> {
  return c.problems.map(([at, path, message]) => ({
    prefix: `${file}${at ? `:${at}` : ''}: `,
    suffix: path ? ` (${path})` : '',
    message,
  }));
}

describe('bad input', () => {
  it('has at least 40 distinct specs', () => {
    expect(new Set(cases.map((c) => c.spec)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name', async (c) => {
    const file = specFiles.get(c.name)!;
    const run = await validateInProcess(file);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter(Boolean);
    const expected = expectedLines(c, file);
    expect(lines, run.stderr).toHaveLength(expected.length);
    expected.forEach(({ prefix, suffix, message }, i) => {
      const line = lines[i]!;
      expect(line.startsWith(prefix) && line.endsWith(suffix), `${line}\nshould be ${prefix}...${suffix}`).toBe(true);
      const text = line.slice(prefix.length, line.length - suffix.length);
      if (typeof message === 'string') expect(text).toBe(message);
      else expect(text).toMatch(message);
    });

    for (const target of ['networkd', 'ifupdown']) {
      const out = join(root, `out-${target}`);
      await mkdir(out, { recursive: true });
      const emitted = await emitOutInProcess(file, target, out);
      expect(await listFiles(out), `emit -t ${target} --out must write nothing`).toEqual([]);
      expect(emitted.code).toBe(1);
      expect(emitted.stderr).toContain(lines.join('\n'));
      await rm(out, { recursive: true });
    }
  });

  it('reports every problem of a spec at once', () => {
    const three = cases.find((c) => c.name === 'three independent problems')!;
    expect(new Set(three.problems.map(([, path]) => path.split('.')[0])).size).toBe(3);
  });

  it('prints the same from the real binary, for all specs in one run', async () => {
    const files = cases.map((c) => specFiles.get(c.name)!);
    let inProcess = '';
    // One at a time: the in-process runner swaps the output streams while it runs.
    for (const file of files) inProcess += (await validateInProcess(file)).stderr;
    const run = await tungen(['validate', ...files]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(inProcess);
  });
});
