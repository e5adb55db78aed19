/**
 * Invalid specs: the shape of a spec: keys, types, required fields and known modes.
 * Each case lists every problem with its rule, location and path; the tester also
 * checks that validate prints them and that emit --out writes nothing.
 */
import { dedent } from 'tungen/testing';
import { runInvalidSpecs } from '../support/invalid-specs.js';

runInvalidSpecs('schema', [
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
      {
        rule: 'schema/unknown-key',
        at: '6:5',
        path: 'tunnels[0].key',
        message:
          'unknown field "key" for mode sit; allowed: addresses, description, encapsulation, ends, host, local, mode, mtu, name, pmtuDiscovery, remote, routes, tos, ttl',
      },
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
      { rule: 'schema/missing-key', at: '1:1', path: '', message: 'missing field "tunnels"' },
      {
        rule: 'schema/unknown-key',
        at: '1:1',
        path: 'tunnel',
        message: 'unknown field "tunnel"; allowed: $schema, hosts, plugins, tunnels, version',
      },
    ],
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
    problems: [
      { rule: 'schema/type', at: '6:16', path: 'tunnels[0].addresses', message: 'expected a list, got "10.0.0.1/24"' },
    ],
  },
  {
    name: 'tunnels as a mapping',
    spec: dedent(`
      tunnels:
        gre1:
          mode: gre
    `),
    problems: [
      { rule: 'schema/type', at: '2:3', path: 'tunnels', message: 'expected a list, got {"gre1":{"mode":"gre"}}' },
    ],
  },
  {
    name: 'missing name',
    spec: dedent(`
      tunnels:
        - mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [{ rule: 'schema/missing-key', at: '2:5', path: 'tunnels[0]', message: 'missing field "name"' }],
  },
  {
    name: 'missing mode',
    spec: dedent(`
      tunnels:
        - name: gre1
          local: 192.0.2.1
          remote: 192.0.2.2
    `),
    problems: [{ rule: 'schema/missing-key', at: '2:5', path: 'tunnels[0]', message: 'missing field "mode"' }],
  },
  {
    name: 'unknown mode',
    spec: dedent(`
      tunnels:
        - name: wg0
          mode: wireguard
    `),
    problems: [
      {
        rule: 'schema/unknown-mode',
        at: '3:11',
        path: 'tunnels[0].mode',
        message:
          'expected a mode: "gre", "ipip", "sit", "isatap", "vti", "ip6gre", "gretap", "ip6gretap", "ip6ip6", "ipip6", "ip6tnl", "vti6", got "wireguard"',
      },
    ],
  },
  {
    name: 'unknown spec version',
    spec: dedent(`
      version: 2
      tunnels: []
    `),
    problems: [{ rule: 'schema/value', at: '1:10', path: 'version', message: 'expected 1, got 2' }],
  },
  {
    name: 'host without underlay',
    spec: dedent(`
      hosts:
        a: {}
      tunnels: []
    `),
    problems: [{ rule: 'schema/missing-key', at: '2:6', path: 'hosts.a', message: 'missing field "underlay"' }],
  },
  {
    name: 'path in a plugin name',
    spec: dedent(`
      plugins: ["../../evil"]
      tunnels: []
    `),
    problems: [
      {
        rule: 'schema/format',
        at: '1:11',
        path: 'plugins[0]',
        message: 'expected an npm package name, got "../../evil"',
      },
    ],
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
      {
        rule: 'tunnel/mixed-forms',
        at: '7:13',
        path: 'tunnels[0].remote',
        message: '"remote" belongs to the one-ended form; with "ends" it comes from hosts and ends',
      },
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
    problems: [{ rule: 'schema/range', at: '6:11', path: 'tunnels[0].ends', message: 'must have at least 2 items' }],
  },
]);
