/**
 * Invalid specs: tunnel options: TTL, TOS, MTU, path MTU discovery, descriptions and mode-specific values.
 * Each case lists every problem with its rule, location and path; the tester also
 * checks that validate prints them and that emit --out writes nothing.
 */
import { dedent } from 'tungen/testing';
import { runInvalidSpecs } from '../support/invalid-specs.js';

runInvalidSpecs('options', [
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
    problems: [
      {
        rule: 'schema/value',
        at: '6:10',
        path: 'tunnels[0].ttl',
        message: 'expected a TTL 1-255 or "inherit", got "64"',
      },
    ],
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
    problems: [
      { rule: 'schema/range', at: '6:10', path: 'tunnels[0].ttl', message: 'expected a TTL 1-255 or "inherit", got 0' },
    ],
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
    problems: [
      {
        rule: 'schema/range',
        at: '6:10',
        path: 'tunnels[0].ttl',
        message: 'expected a TTL 1-255 or "inherit", got 256',
      },
    ],
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
    problems: [
      {
        rule: 'schema/range',
        at: '6:10',
        path: 'tunnels[0].tos',
        message: 'expected a TOS byte 0-255 or "inherit", got 256',
      },
    ],
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
    problems: [{ rule: 'schema/range', at: '6:10', path: 'tunnels[0].mtu', message: 'must be >= 68, got 67' }],
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
    problems: [{ rule: 'schema/range', at: '6:10', path: 'tunnels[0].mtu', message: 'must be <= 65535, got 65536' }],
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
    problems: [
      {
        rule: 'schema/format',
        at: '4:18',
        path: 'tunnels[0].description',
        message: 'expected one line of text, got "one\\r\\n[NetDev]"',
      },
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
      {
        rule: 'sit/pmtu-needs-ttl-inherit',
        at: '6:20',
        path: 'tunnels[0].pmtuDiscovery',
        message: 'pmtuDiscovery: false needs ttl "inherit"; the kernel refuses it with ttl 1',
      },
    ],
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
    problems: [
      {
        rule: 'isatap/invalid-prefix',
        at: '5:13',
        path: 'tunnels[0].prefix',
        message: 'prefix "2001:db8::/56": ISATAP addresses need a /64 prefix',
      },
    ],
  },
]);
