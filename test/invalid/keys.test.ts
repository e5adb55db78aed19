/**
 * Invalid specs: gRE and VTI keys, and tunnels the kernel tells apart by endpoints and keys.
 * Each case lists every problem with its rule, location and path; the tester also
 * checks that validate prints them and that emit --out writes nothing.
 */
import { dedent } from 'tungen/testing';
import { runInvalidSpecs } from '../support/invalid-specs.js';

runInvalidSpecs('keys', [
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
    problems: [{ rule: 'schema/range', at: '6:10', path: 'tunnels[0].key', message: 'must be >= 1, got 0' }],
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
    problems: [
      {
        rule: 'schema/range',
        at: '6:16',
        path: 'tunnels[0].outputKey',
        message: 'must be <= 4294967295, got 4294967296',
      },
    ],
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
      {
        rule: 'schema/format',
        at: '6:10',
        path: 'tunnels[0].key',
        message: 'expected a key: an integer 1-4294967295 or a dotted quad other than 0.0.0.0, got "1\\nKey=2"',
      },
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
      {
        rule: 'schema/format',
        at: '6:15',
        path: 'tunnels[0].inputKey',
        message: 'expected a key: an integer 1-4294967295 or a dotted quad other than 0.0.0.0, got "１.2.3.4"',
      },
    ],
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
      {
        rule: 'vti/missing-key',
        at: '5:5',
        path: 'tunnels[0]',
        message:
          'mode vti needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies',
      },
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
      {
        rule: 'vti/key-conflict',
        at: '6:10',
        path: 'tunnels[0].key',
        message: '"key" sets both directions; give either key or inputKey/outputKey, not both',
      },
    ],
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
      {
        rule: 'tunnel/duplicate-identity',
        at: '8:5',
        path: 'tunnels[1]',
        message:
          'tunnel gre2 (tunnels[1]) has the same endpoints and keys as tunnel gre1 (tunnels[0]) on host a; the kernel refuses the second (give a different key or endpoint)',
      },
      {
        rule: 'tunnel/duplicate-identity',
        at: '8:5',
        path: 'tunnels[1]',
        message:
          'tunnel gre9 (tunnels[1]) has the same endpoints and keys as tunnel gre1 (tunnels[0]) on host b; the kernel refuses the second (give a different key or endpoint)',
      },
    ],
  },
]);
