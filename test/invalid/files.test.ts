/**
 * Invalid specs: whole files: YAML and JSON syntax, a spec that is not a mapping, several problems at once.
 * Each case lists every problem with its rule, location and path; the tester also
 * checks that validate prints them and that emit --out writes nothing.
 */
import { dedent } from 'tungen/testing';
import { runInvalidSpecs } from '../support/invalid-specs.js';

runInvalidSpecs('files', [
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
    problems: [{ rule: 'spec/syntax', at: '5:5', path: '', message: 'syntax error: duplicated mapping key' }],
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
    problems: [
      {
        rule: 'spec/syntax',
        at: '5:5',
        path: '',
        message: 'syntax error: missed comma between flow collection entries',
      },
    ],
  },
  {
    name: 'bad indentation',
    spec: dedent(`
      tunnels:
        - name: gre1
         mode: gre
    `),
    problems: [
      { rule: 'spec/syntax', at: '3:4', path: '', message: 'syntax error: bad indentation of a sequence entry' },
    ],
  },
  {
    name: 'empty file',
    spec: dedent(`
    `),
    problems: [
      {
        rule: 'schema/type',
        at: '1:1',
        path: '',
        message: 'the spec is empty; it must be a mapping with a "tunnels" list',
      },
    ],
  },
  {
    name: 'a list instead of a mapping',
    spec: dedent(`
      - name: gre1
        mode: gre
    `),
    problems: [
      { rule: 'schema/type', at: '1:1', path: '', message: 'the spec must be a mapping with a "tunnels" list' },
    ],
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
      {
        rule: 'schema/range',
        at: '6:10',
        path: 'tunnels[0].ttl',
        message: 'expected a TTL 1-255 or "inherit", got 300',
      },
      {
        rule: 'route/host-bits',
        at: '15:14',
        path: 'tunnels[2].routes[0]',
        message: 'route 10.1.2.3/16 has host bits set; the network is 10.1.0.0/16',
      },
      {
        rule: 'name/reserved',
        at: '7:11',
        path: 'tunnels[1].name',
        message: 'interface name "sit0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      },
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
    problems: [
      {
        rule: 'schema/value',
        at: '8:14',
        path: 'tunnels[0].tos',
        message: 'expected a TOS byte 0-255 or "inherit", got "low"',
      },
    ],
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
      {
        rule: 'address/local-is-remote',
        at: '2:67',
        path: 'tunnels[0].remote',
        message: 'local and remote are both 192.0.2.1',
      },
      {
        rule: 'vti/missing-key',
        at: '2:3',
        path: 'tunnels[0]',
        message:
          'mode vti needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies',
      },
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
    problems: [
      { rule: 'spec/syntax', at: '3:36', path: '', message: 'syntax error: Expected double-quoted property name' },
    ],
  },
]);
