/**
 * Invalid specs: interface names: what the targets can carry, what the kernel reserves, one name per host.
 * Each case lists every problem with its rule, location and path; the tester also
 * checks that validate prints them and that emit --out writes nothing.
 */
import { dedent } from 'tungen/testing';
import { runInvalidSpecs } from '../support/invalid-specs.js';

runInvalidSpecs('names', [
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
      {
        rule: 'name/invalid',
        at: '2:11',
        path: 'tunnels[0].name',
        message: "expected an interface name: 1-15 letters, digits, '_' or '-', got \"tun0\\n[NetDev]\"",
      },
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
      {
        rule: 'name/invalid',
        at: '2:11',
        path: 'tunnels[0].name',
        message: "expected an interface name: 1-15 letters, digits, '_' or '-', got \"[Tunnel]\"",
      },
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
      {
        rule: 'name/invalid',
        at: '2:11',
        path: 'tunnels[0].name',
        message: "expected an interface name: 1-15 letters, digits, '_' or '-', got \"a=b\"",
      },
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
      {
        rule: 'name/invalid',
        at: '2:11',
        path: 'tunnels[0].name',
        message: "expected an interface name: 1-15 letters, digits, '_' or '-', got \"tun 0\"",
      },
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
      {
        rule: 'name/invalid',
        at: '2:11',
        path: 'tunnels[0].name',
        message: "expected an interface name: 1-15 letters, digits, '_' or '-', got \"../etc\"",
      },
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
      {
        rule: 'name/invalid',
        at: '2:11',
        path: 'tunnels[0].name',
        message: "expected an interface name: 1-15 letters, digits, '_' or '-', got \"tün0\"",
      },
    ],
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
      {
        rule: 'name/invalid',
        at: '2:11',
        path: 'tunnels[0].name',
        message: "expected an interface name: 1-15 letters, digits, '_' or '-', got \"tunnel-to-branch1\"",
      },
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
      {
        rule: 'name/reserved',
        at: '2:11',
        path: 'tunnels[0].name',
        message: 'interface name "gre0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      },
      {
        rule: 'name/reserved',
        at: '6:11',
        path: 'tunnels[1].name',
        message:
          'interface name "tunl0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      },
      {
        rule: 'name/reserved',
        at: '10:11',
        path: 'tunnels[2].name',
        message: 'interface name "sit0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      },
      {
        rule: 'name/reserved',
        at: '14:11',
        path: 'tunnels[3].name',
        message:
          'interface name "ip_vti0" is reserved by the kernel (fallback device or /proc/sys entry); choose another',
      },
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
    problems: [
      {
        rule: 'name/duplicate',
        at: '9:11',
        path: 'tunnels[1].name',
        message: 'interface tun0 on host a is already used by tunnel tun0 (tunnels[0])',
      },
    ],
  },
]);
