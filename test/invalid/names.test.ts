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
  {
    name: 'two names on one machine that differ only in case',
    spec: dedent(`
      tunnels:
        - name: tun0
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
        - name: Tun0
          mode: ipip
          local: 192.0.2.1
          remote: 192.0.2.3
    `),
    problems: [
      {
        rule: 'name/case-collision',
        at: '6:11',
        path: 'tunnels[1].name',
        message:
          'interface Tun0 differs only in case from tunnel tun0 (tunnels[0]); their files would be one file on a case-insensitive file system, e.g. under --out on macOS or Windows (rename one)',
      },
    ],
  },
  {
    name: 'names that differ only in case on the host both tunnels share',
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
        c: {underlay: 192.0.2.3}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: b}]
        - name: GRE1
          mode: gre
          ends: [{host: c}, {host: a}]
    `),
    problems: [
      {
        rule: 'name/case-collision',
        at: '9:11',
        path: 'tunnels[1].name',
        message:
          'interface GRE1 on host a differs only in case from tunnel gre1 (tunnels[0]); their files would be one file on a case-insensitive file system, e.g. under --out on macOS or Windows (rename one)',
      },
    ],
  },
  {
    name: 'three names that fold to one, and an exact duplicate among them',
    spec: dedent(`
      tunnels:
        - name: vti-x
          mode: vti
          local: 192.0.2.1
          remote: 192.0.2.2
          key: 1
        - name: VTI-X
          mode: vti
          local: 192.0.2.1
          remote: 192.0.2.2
          key: 2
        - name: VTI-X
          mode: vti
          local: 192.0.2.1
          remote: 192.0.2.2
          key: 3
        - name: Vti-x
          mode: vti
          local: 192.0.2.1
          remote: 192.0.2.2
          key: 4
    `),
    problems: [
      {
        rule: 'name/duplicate',
        at: '12:11',
        path: 'tunnels[2].name',
        message: 'interface VTI-X is already used by tunnel VTI-X (tunnels[1])',
      },
      {
        rule: 'name/case-collision',
        at: '7:11',
        path: 'tunnels[1].name',
        message:
          'interface VTI-X differs only in case from tunnel vti-x (tunnels[0]); their files would be one file on a case-insensitive file system, e.g. under --out on macOS or Windows (rename one)',
      },
      {
        rule: 'name/case-collision',
        at: '17:11',
        path: 'tunnels[3].name',
        message:
          'interface Vti-x differs only in case from tunnel vti-x (tunnels[0]); their files would be one file on a case-insensitive file system, e.g. under --out on macOS or Windows (rename one)',
      },
    ],
  },
  {
    name: "an end's own name that differs only in case from a name on its host",
    spec: dedent(`
      hosts:
        a: {underlay: 192.0.2.1}
        b: {underlay: 192.0.2.2}
        c: {underlay: 192.0.2.3}
      tunnels:
        - name: gre1
          mode: gre
          ends: [{host: a}, {host: b}]
        - name: gre2
          mode: gre
          ends:
            - host: c
            - host: a
              name: Gre1
    `),
    problems: [
      {
        rule: 'name/case-collision',
        at: '14:15',
        path: 'tunnels[1].ends[1].name',
        message:
          'interface Gre1 on host a differs only in case from tunnel gre1 (tunnels[0]); their files would be one file on a case-insensitive file system, e.g. under --out on macOS or Windows (rename one)',
      },
    ],
  },
  {
    name: "a name that is the file name of another tunnel's FOU receive port",
    spec: dedent(`
      tunnels:
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          encapsulation: {type: fou, port: 5555}
        - name: gre1-fou5555
          mode: ipip
          local: 192.0.2.1
          remote: 192.0.2.3
    `),
    problems: [
      {
        rule: 'name/file-collision',
        at: '7:11',
        path: 'tunnels[1].name',
        message:
          'tunnel gre1-fou5555 (tunnels[1]) and tunnel gre1 (tunnels[0]) both need the networkd file 10-tungen-gre1-fou5555.netdev; one would overwrite the other (rename one)',
      },
    ],
  },
  {
    name: "a name that is the file name of another tunnel's FOU receive port but for case",
    spec: dedent(`
      tunnels:
        - name: GRE1-Fou5555
          mode: ipip
          local: 192.0.2.1
          remote: 192.0.2.3
        - name: gre1
          mode: gre
          local: 192.0.2.1
          remote: 192.0.2.2
          encapsulation: {type: fou, port: 5555}
    `),
    problems: [
      {
        rule: 'name/file-collision',
        at: '6:11',
        path: 'tunnels[1].name',
        message:
          'tunnel gre1 (tunnels[1]) and tunnel GRE1-Fou5555 (tunnels[0]) both need the networkd files 10-tungen-GRE1-Fou5555.netdev and 10-tungen-gre1-fou5555.netdev, one file on a case-insensitive file system; one would overwrite the other (rename one)',
      },
    ],
  },
]);
