/**
 * Invalid specs: hosts: their names, the hosts tunnels name, and the two ends of a tunnel.
 * Each case lists every problem with its rule, location and path; the tester also
 * checks that validate prints them and that emit --out writes nothing.
 */
import { dedent } from 'tungen/testing';
import { runInvalidSpecs } from '../support/invalid-specs.js';

runInvalidSpecs('hosts', [
  {
    name: 'slash in a host name',
    spec: dedent(`
      hosts:
        a/b: {underlay: 192.0.2.1}
      tunnels: []
    `),
    problems: [
      {
        rule: 'host/invalid-name',
        at: '2:3',
        path: 'hosts["a/b"]',
        message:
          "invalid name \"a/b\": expected a host name: letters, digits, '_', '.' or '-', starting with a letter or digit, at most 63",
      },
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
      {
        rule: 'host/invalid-name',
        at: '2:3',
        path: 'hosts[".."]',
        message:
          "invalid name \"..\": expected a host name: letters, digits, '_', '.' or '-', starting with a letter or digit, at most 63",
      },
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
      {
        rule: 'host/invalid-name',
        at: '6:30',
        path: 'tunnels[0].ends[1].host',
        message:
          "expected a host name: letters, digits, '_', '.' or '-', starting with a letter or digit, at most 63, got \"bé\"",
      },
    ],
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
    problems: [
      { rule: 'host/unknown', at: '6:30', path: 'tunnels[0].ends[1].host', message: 'unknown host "b"; hosts are: a' },
    ],
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
    problems: [
      {
        rule: 'tunnel/same-host',
        at: '6:30',
        path: 'tunnels[0].ends[1].host',
        message: 'both ends are on host "a"; a tunnel joins two different hosts',
      },
    ],
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
      {
        rule: 'address/local-is-remote',
        at: '7:30',
        path: 'tunnels[0].ends[1].host',
        message: 'hosts "a" and "b" have the same underlay 192.0.2.1; local and remote of a tunnel must differ',
      },
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
      {
        rule: 'host/missing',
        at: '4:5',
        path: 'tunnels[0]',
        message:
          'missing field "host": a spec that lists hosts says which host a one-ended tunnel belongs to (or use "ends")',
      },
    ],
  },
]);
