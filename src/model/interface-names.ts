import { quote } from '../diagnostics.js';
import type { CoreRule } from '../rules.js';

/**
 * Interface names that a tool reads as something other than a name.
 *
 * tungen writes `name NAME` and `dev NAME` wherever it builds a command itself, but
 * ifupdown's own methods run `ip tunnel add %iface% mode ...` and `ip link set
 * %iface% up`, where the name stands alone; and ifup, ifdown and networkctl read a
 * leading '-' as an option. There the name must not look like anything else.
 */

/**
 * Words iproute2 compares exactly (strcmp) in the argument loops of `ip link`
 * (iplink_parse), `ip tunnel` (parse_args), `ip addr` (ipaddr_modify) and
 * `ip route` (iproute_modify), as of iproute2 6.1.
 */
const exactKeywords = [
  // ip link
  ...['allmulticast', 'arp', 'brd', 'carrier', 'dev', 'down', 'group', 'gso_ipv4_max_size', 'gso_max_segs'],
  ...['gso_max_size', 'gro_max_size', 'index', 'inet', 'mode', 'mtu', 'multicast', 'name', 'netns'],
  ...['parentdev', 'promisc', 'protodown', 'protodown_reason', 'qlen', 'state', 'trailers', 'up', 'vf', 'vrf'],
  ...['xdp', 'xdpdrv', 'xdpgeneric', 'xdpoffload'],
  // ip tunnel
  ...['csum', 'hlim', 'hoplimit', 'icsum', 'ikey', 'iseq', 'key', 'local', 'nopmtudisc', 'ocsum', 'okey'],
  ...['oseq', 'pmtudisc', 'remote', 'seq', 'tclass', 'tos', 'ttl'],
  // ip addr
  ...['anycast', 'label', 'peer', 'proto', 'scope'],
  // ip route
  ...['advmss', 'as', 'encap', 'expires', 'from', 'nexthop', 'nhid', 'oif', 'onlink', 'rto_min', 'rtt'],
  ...['src', 'to', 'ttl-propagate', 'via'],
];

/**
 * Words iproute2 compares with matches(): any leading part of them is read as
 * the word itself (`a` is `address`, `h` is `help`).
 */
const abbreviatedKeywords = [
  // ip link
  ...['address', 'addrgenmode', 'alias', 'broadcast', 'dynamic', 'help', 'link', 'link-netns', 'link-netnsid'],
  ...['master', 'nomaster', 'numrxqueues', 'numtxqueues', 'txqlen', 'txqueuelen', 'type'],
  // ip tunnel
  'dsfield',
  // ip addr
  ...['metric', 'preference', 'preferred_lft', 'priority', 'valid_lft'],
  // ip route
  ...['congctl', 'cwnd', 'features', 'fastopen_no_cookie', 'initcwnd', 'initrwnd', 'pref', 'protocol'],
  ...['quickack', 'realms', 'reordering', 'rttvar', 'ssthresh', 'table', 'window'],
];

/** Each keyword a name can be mistaken for, and the keyword it stands for. */
const readAs = new Map<string, string>();
for (const word of abbreviatedKeywords) {
  for (let length = word.length; length >= 1; length--) {
    const part = word.slice(0, length);
    if (!readAs.has(part)) readAs.set(part, word);
  }
}
for (const word of exactKeywords) readAs.set(word, word);

/** Why `name` cannot be an interface name tungen hands to ip, ifupdown and networkd; undefined when it can. */
export function interfaceNameProblem(name: string): { rule: CoreRule; message: string } | undefined {
  if (name.startsWith('-')) {
    const shown = quote(name);
    const message = `interface name ${shown} starts with '-': ifup, ifdown, networkctl and ip read it as an option ("ifup -a" brings up every interface); choose a name starting with a letter, digit or '_'`;
    return { rule: 'name/option', message };
  }
  if (/^[0-9]+$/.test(name)) {
    const shown = quote(name);
    const message = `interface name ${shown} is all digits: systemd-networkd ignores such names ("Interface name is not valid") and iproute2 may read them as an interface index; add a letter`;
    return { rule: 'name/numeric', message };
  }
  const keyword = readAs.get(name);
  if (keyword === undefined) return undefined;
  const shown = quote(name);
  const what =
    keyword === name ? 'a keyword of iproute2' : `an abbreviation iproute2 accepts for its keyword "${keyword}"`;
  const message = `interface name ${shown} is ${what} (ip link/tunnel/addr/route): ifupdown's own methods run "ip tunnel add NAME ..." and "ip link set NAME up", which read it as that keyword; choose another name`;
  return { rule: 'name/keyword', message };
}
