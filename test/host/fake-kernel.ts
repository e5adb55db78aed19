/**
 * A small model of what the kernel, networkd and ifupdown do with tungen's
 * files, so tests can check the state in force and not only the files: links
 * are built from .netdev/.network files or interfaces.d stanzas the way the
 * real programs build them, and shown the way `ip -json` shows them.
 */
import { dottedKey } from '../../src/plugin-kit.js';

export interface ModelLink {
  name: string;
  kind: string;
  data: Record<string, string | number | boolean>;
  mtu: number;
  up: boolean;
  addresses: Array<{ family: 'inet' | 'inet6'; local: string; prefixlen: number; address?: string }>;
  routes: Array<{ family: 'inet' | 'inet6'; dst: string }>;
}

const defaultMtu: Record<string, number> = { gre: 1476, ipip: 1480, sit: 1480, vti: 1480 };

function newLink(name: string, kind: string): ModelLink {
  return {
    name,
    kind,
    data: { ttl: 0, pmtudisc: true },
    mtu: defaultMtu[kind] ?? 1480,
    up: false,
    addresses: [],
    routes: [],
  };
}

const familyOf = (address: string) => (address.includes(':') ? 'inet6' : 'inet');

function addAddress(link: ModelLink, local: string, peer?: string): void {
  const [address, prefix] = (peer ?? local).split('/');
  const own = peer ? local.split('/')[0]! : address!;
  const length = Number(prefix ?? (familyOf(own) === 'inet6' ? 128 : 32));
  link.addresses.push({
    family: familyOf(own),
    local: own,
    prefixlen: length,
    ...(peer && { address: address! }),
  });
}

/** A `key=value` INI file (networkd's) as its sections, in order. */
function sections(text: string): Array<{ name: string; keys: Array<[string, string]> }> {
  const out: Array<{ name: string; keys: Array<[string, string]> }> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) out.push({ name: header[1]!, keys: [] });
    else {
      const eq = line.indexOf('=');
      out.at(-1)?.keys.push([line.slice(0, eq), line.slice(eq + 1)]);
    }
  }
  return out;
}

/** The receive port a Kind=fou .netdev asks networkd for: its netdev name, port and receiver. */
export function fouFromNetdev(text: string): { name: string; port: number; receiver: string } | undefined {
  const all = sections(text);
  const get = (section: string, key: string) => all.find((s) => s.name === section)?.keys.find(([k]) => k === key)?.[1];
  if (get('NetDev', 'Kind') !== 'fou') return undefined;
  const gue = get('FooOverUDP', 'Encapsulation') === 'GenericUDPEncapsulation';
  return {
    name: get('NetDev', 'Name') ?? '',
    port: Number(get('FooOverUDP', 'Port')),
    receiver: gue ? 'gue' : `ipproto ${get('FooOverUDP', 'Protocol')}`,
  };
}

/** The link networkd builds from a .netdev (without its .network). */
export function linkFromNetdev(text: string): ModelLink | undefined {
  const all = sections(text);
  const get = (section: string, key: string) =>
    all.filter((s) => s.name === section).flatMap((s) => s.keys.filter(([k]) => k === key).map(([, v]) => v))[0];
  const name = get('NetDev', 'Name');
  const kind = get('NetDev', 'Kind');
  if (!name || !kind) return undefined;
  const link = newLink(name, kind);
  const mtu = get('NetDev', 'MTUBytes');
  if (mtu) link.mtu = Number(mtu);
  const local = get('Tunnel', 'Local');
  const remote = get('Tunnel', 'Remote');
  if (local) link.data['local'] = local;
  if (remote) link.data['remote'] = remote;
  const ttl = get('Tunnel', 'TTL');
  if (ttl) link.data['ttl'] = Number(ttl);
  const pmtu = get('Tunnel', 'DiscoverPathMTU');
  if (pmtu) link.data['pmtudisc'] = pmtu === 'yes';
  const key = get('Tunnel', 'Key');
  const ikey = get('Tunnel', 'InputKey') ?? key;
  const okey = get('Tunnel', 'OutputKey') ?? key;
  const dotted = (k: string) => dottedKey(/^\d+$/.test(k) ? Number(k) : k);
  if (ikey) link.data['ikey'] = dotted(ikey);
  if (okey) link.data['okey'] = dotted(okey);
  if (get('Tunnel', 'ISATAP') === 'yes') link.data['isatap'] = true;
  return link;
}

/** What networkd does to a link with its .network: addresses, routes, up. */
export function configureFromNetwork(link: ModelLink, text: string): void {
  link.addresses = [];
  link.routes = [];
  for (const section of sections(text)) {
    const get = (key: string) => section.keys.find(([k]) => k === key)?.[1];
    if (section.name === 'Address' && get('Address')) addAddress(link, get('Address')!, get('Peer'));
    if (section.name === 'Route' && get('Destination'))
      link.routes.push({ family: familyOf(get('Destination')!), dst: get('Destination')! });
  }
  link.up = true;
}

export const networkMatches = (text: string, name: string) =>
  sections(text).some((s) => s.name === 'Match' && s.keys.some(([k, v]) => k === 'Name' && v === name));

/** `ip link add NAME [mtu N] type KIND ...`: the link it creates. */
export function linkFromIpLinkAdd(words: readonly string[]): ModelLink {
  const name = words[3] === 'name' ? words[4]! : words[3]!;
  const at = (word: string) => words.indexOf(word);
  const link = newLink(name, words[at('type') + 1]!);
  if (at('mtu') > 0 && at('mtu') < at('type')) link.mtu = Number(words[at('mtu') + 1]);
  for (let i = at('type') + 2; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    if (word === 'local' || word === 'remote') link.data[word] = next!;
    else if (word === 'ttl') link.data['ttl'] = next === 'inherit' ? 0 : Number(next);
    else if (word === 'tos') link.data['tos'] = next!;
    else if (word === 'ikey' || word === 'okey') link.data[word] = next!;
    else if (word === 'key') link.data['ikey'] = link.data['okey'] = next!;
    else if (word === 'nopmtudisc' || word === 'pmtudisc') {
      link.data['pmtudisc'] = word === 'pmtudisc';
      continue;
    } else if (word === 'isatap') {
      link.data['isatap'] = true;
      continue;
    } else continue;
    i++;
  }
  return link;
}

/** One interfaces(5) stanza: method and options, and the pre-up/up commands. */
export interface Stanza {
  name: string;
  family: string;
  method: string;
  options: Map<string, string>;
  commands: Array<{ when: string; words: string[] }>;
}

export function stanzaOf(text: string, name: string): Stanza | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^iface\\s+${name}\\s`).test(l));
  if (start < 0) return undefined;
  const [, , family, method] = lines[start]!.trim().split(/\s+/);
  const stanza: Stanza = { name, family: family!, method: method!, options: new Map(), commands: [] };
  for (const raw of lines.slice(start + 1)) {
    if (!/^\s/.test(raw) || !raw.trim()) break;
    const [key, ...rest] = raw.trim().split(/\s+/);
    if (['pre-up', 'up', 'post-up', 'down', 'pre-down', 'post-down'].includes(key!))
      stanza.commands.push({ when: key!, words: rest });
    else stanza.options.set(key!, rest.join(' '));
  }
  return stanza;
}

/** The link ifupdown's own tunnel methods (tunnel, v4tunnel) create. */
export function linkFromTunnelMethod(stanza: Stanza): ModelLink {
  const kind = stanza.method === 'v4tunnel' ? 'sit' : stanza.options.get('mode')!;
  const link = newLink(stanza.name, kind);
  const option = (key: string) => stanza.options.get(key);
  if (option('local')) link.data['local'] = option('local')!;
  if (option('endpoint')) link.data['remote'] = option('endpoint')!;
  if (option('ttl')) link.data['ttl'] = option('ttl') === 'inherit' ? 0 : Number(option('ttl'));
  if (option('mtu')) link.mtu = Number(option('mtu'));
  if (option('address')) {
    const prefix = option('netmask') ?? (stanza.family === 'inet6' ? '128' : '32');
    addAddress(link, `${option('address')}/${prefix}`, option('dstaddr'));
  }
  link.up = true;
  return link;
}

/** Runs an `ip addr add`, `ip route add` or `ip link set up` of an up line on the model. */
export function runUpCommand(link: ModelLink, words: readonly string[]): void {
  if (words[0] !== 'ip') return;
  if (words[1] === 'link' && words[2] === 'set' && words.includes('up')) link.up = true;
  if (words[1] === 'addr' && words[2] === 'add') {
    const peer = words.indexOf('peer');
    addAddress(link, words[3]!, peer > 0 ? words[peer + 1] : undefined);
  }
  if (words[1] === 'route' && words[2] === 'add') link.routes.push({ family: familyOf(words[3]!), dst: words[3]! });
}

/** `ip -details -json link show` of a link. */
export function linkJson(link: ModelLink): string {
  return JSON.stringify([
    {
      ifindex: 9,
      ifname: link.name,
      link: null,
      flags: ['POINTOPOINT', 'NOARP', ...(link.up ? ['UP', 'LOWER_UP'] : [])],
      mtu: link.mtu,
      operstate: link.up ? 'UNKNOWN' : 'DOWN',
      linkinfo: { info_kind: link.kind, info_data: link.data },
    },
  ]);
}

export function addrJson(link: ModelLink): string {
  return JSON.stringify([
    { ifindex: 9, ifname: link.name, addr_info: link.addresses.map((a) => ({ ...a, scope: 'global' })) },
  ]);
}

/** Routes as `ip -json route show dev NAME` lists them: host routes without /32 or /128, the default as "default". */
export function routesJson(link: ModelLink, family: 'inet' | 'inet6'): string {
  return JSON.stringify(
    link.routes
      .filter((r) => r.family === family)
      .map((r) => ({
        dst: /^(0\.0\.0\.0|::)\/0$/.test(r.dst) ? 'default' : r.dst.replace(family === 'inet' ? /\/32$/ : /\/128$/, ''),
        dev: link.name,
        scope: 'link',
      })),
  );
}
