/**
 * Interface names that are valid for Linux but that ip, ifupdown or networkd
 * read as something else: a keyword, an option or nothing at all.
 */
import { runInvalidSpecs } from '../support/invalid-specs.js';
import type { InvalidCase } from 'tungen/testing';

const keyword = (name: string) =>
  `interface name "${name}" is a keyword of iproute2 (ip link/tunnel/addr/route): ifupdown's own methods run "ip tunnel add NAME ..." and "ip link set NAME up", which read it as that keyword; choose another name`;
const abbreviation = (name: string, of: string) =>
  `interface name "${name}" is an abbreviation iproute2 accepts for its keyword "${of}" (ip link/tunnel/addr/route): ifupdown's own methods run "ip tunnel add NAME ..." and "ip link set NAME up", which read it as that keyword; choose another name`;
const option = (name: string) =>
  `interface name "${name}" starts with '-': ifup, ifdown, networkctl and ip read it as an option ("ifup -a" brings up every interface); choose a name starting with a letter, digit or '_'`;
const digits = (name: string) =>
  `interface name "${name}" is all digits: systemd-networkd ignores such names ("Interface name is not valid") and iproute2 may read them as an interface index; add a letter`;

/** One one-ended GRE tunnel named `name`. */
const oneEnded = (name: string) =>
  `tunnels:\n  - name: "${name}"\n    mode: gre\n    local: 192.0.2.1\n    remote: 192.0.2.2\n`;

const named: Array<[name: string, rule: string, message: string]> = [
  ...['dev', 'up', 'down', 'type', 'mode', 'link', 'name', 'mtu', 'key', 'local', 'remote', 'ttl', 'help'].map(
    (n): [string, string, string] => [n, 'name/keyword', keyword(n)],
  ),
  ['a', 'name/keyword', abbreviation('a', 'address')],
  ['h', 'name/keyword', abbreviation('h', 'help')],
  ['hel', 'name/keyword', abbreviation('hel', 'help')],
  ['ty', 'name/keyword', abbreviation('ty', 'type')],
  ['-a', 'name/option', option('-a')],
  ['-n', 'name/option', option('-n')],
  ['--all', 'name/option', option('--all')],
  ['123', 'name/numeric', digits('123')],
  ['0', 'name/numeric', digits('0')],
];

const cases: InvalidCase[] = [
  ...named.map(([name, rule, message]): InvalidCase => ({
    name: `tunnel named ${name}`,
    spec: oneEnded(name),
    problems: [{ rule, at: '2:11', path: 'tunnels[0].name', message }],
  })),
  {
    name: 'an end renamed to a keyword',
    spec: [
      'hosts:',
      '  a: {underlay: 192.0.2.1}',
      '  b: {underlay: 192.0.2.2}',
      'tunnels:',
      '  - name: gre1',
      '    mode: gre',
      '    ends:',
      '      - host: a',
      '        name: up',
      '      - host: b',
      '',
    ].join('\n'),
    problems: [{ rule: 'name/keyword', at: '9:15', path: 'tunnels[0].ends[0].name', message: keyword('up') }],
  },
];

runInvalidSpecs('interface names read as names only', cases);
