/**
 * Checks a generated .netdev or .network file against what systemd-networkd
 * 252 accepts: known sections and keys, tunnel keys only on kinds that use
 * them, and value syntax for the keys tungen writes.
 */
import { isIPv4, isIPv6 } from 'node:net';
import {
  netdevKeys,
  networkKeys,
  requiredKeys,
  tunnelKeyKinds,
  tunnelKeySince,
  tunnelKinds,
} from './systemd-252-keys.js';
import { parseUnitFile } from './unit-file.js';

type ValueCheck = (value: string) => boolean;

const booleanWords = ['1', 'yes', 'y', 'true', 't', 'on', '0', 'no', 'n', 'false', 'f', 'off'];
const isBoolean: ValueCheck = (v) => booleanWords.includes(v.toLowerCase());
const inRange =
  (min: number, max: number): ValueCheck =>
  (v) =>
    /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const isIp = (v: string) => isIPv4(v) || isIPv6(v);
/** ADDRESS or ADDRESS/PREFIX with a prefix that fits the family. */
const isIpPrefix =
  (needPrefix: boolean): ValueCheck =>
  (v) => {
    const [address = '', prefix, extra] = v.split('/');
    if (extra !== undefined || !isIp(address)) return false;
    if (prefix === undefined) return !needPrefix;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIPv4(address) ? 32 : 128);
  };
/** What the kernel takes as an interface name (dev_valid_name). */
const isInterfaceName: ValueCheck = (v) =>
  v.length >= 1 && v.length <= 15 && v !== '.' && v !== '..' && !/[/:\s]/.test(v);
const isKey: ValueCheck = (v) => isIPv4(v) || inRange(0, 4294967295)(v);

/** Value syntax of the keys tungen writes, from the same man pages. */
const valueChecks: Readonly<Record<string, ValueCheck>> = {
  'NetDev.Name': isInterfaceName,
  'NetDev.Kind': (v) => (tunnelKinds as readonly string[]).includes(v) || v === 'fou',
  'NetDev.MTUBytes': (v) => /^\d+[KMG]?$/.test(v),
  'Tunnel.Local': (v) =>
    isIp(v) || ['any', 'ipv4_link_local', 'ipv6_link_local', 'dhcp4', 'dhcp6', 'slaac'].includes(v),
  'Tunnel.Remote': (v) => isIp(v) || v === 'any',
  'Tunnel.TTL': inRange(0, 255),
  'Tunnel.TOS': inRange(0, 255),
  'Tunnel.DiscoverPathMTU': isBoolean,
  'Tunnel.Independent': isBoolean,
  'Tunnel.ISATAP': isBoolean,
  'Tunnel.Key': isKey,
  'Tunnel.InputKey': isKey,
  'Tunnel.OutputKey': isKey,
  'Match.Name': isInterfaceName,
  'Network.LinkLocalAddressing': (v) => isBoolean(v) || ['ipv4', 'ipv6', 'fallback', 'ipv4-fallback'].includes(v),
  'Network.IPv6AcceptRA': isBoolean,
  'Network.ConfigureWithoutCarrier': isBoolean,
  'Address.Address': isIpPrefix(false),
  'Address.Peer': isIpPrefix(false),
  'Route.Destination': isIpPrefix(true),
  'Route.Gateway': isIpPrefix(false),
  'Route.GatewayOnLink': isBoolean,
  'Route.PreferredSource': isIpPrefix(false),
  'Route.Metric': inRange(0, 4294967295),
  'Route.Table': (v) => inRange(1, 4294967295)(v) || ['default', 'main', 'local'].includes(v),
  'Route.Scope': (v) => ['global', 'site', 'link', 'host', 'nowhere'].includes(v),
  'Tunnel.Mode': (v) => ['ip6ip6', 'ipip6', 'any'].includes(v),
  'Tunnel.EncapsulationLimit': (v) => inRange(0, 255)(v) || v === 'none',
  'Tunnel.IPv6FlowLabel': (v) => inRange(0, 1048575)(v) || v === 'inherit',
  'Tunnel.FooOverUDP': isBoolean,
  'Tunnel.FOUDestinationPort': inRange(1, 65535),
  'Tunnel.FOUSourcePort': inRange(0, 65535),
  'Tunnel.Encapsulation': (v) => ['FooOverUDP', 'GenericUDPEncapsulation'].includes(v),
  'FooOverUDP.Port': inRange(1, 65535),
  'FooOverUDP.Protocol': (v) => inRange(1, 255)(v) || ['ipip', 'gre', 'ipv6'].includes(v),
  'FooOverUDP.Encapsulation': (v) => ['FooOverUDP', 'GenericUDPEncapsulation'].includes(v),
};

/** Every problem networkd 252 would have with the file, as readable lines; empty when it is fine. */
export function lintNetworkdFile(fileName: string, text: string): string[] {
  const type = fileName.endsWith('.netdev') ? 'netdev' : fileName.endsWith('.network') ? 'network' : undefined;
  if (!type) return [`${fileName}: not a .netdev or .network file`];
  const problems: string[] = [];
  if (!text.endsWith('\n')) problems.push('does not end with a newline');
  const unit = parseUnitFile(text);
  problems.push(...unit.problems);
  const allowed = type === 'netdev' ? netdevKeys : networkKeys;
  const kind = unit.sections.find((s) => s.name === 'NetDev')?.entries.find((e) => e.key === 'Kind')?.value;

  for (const section of unit.sections) {
    const keys = allowed[section.name];
    if (!keys) {
      problems.push(`line ${section.line}: section [${section.name}] is not one a .${type} file takes`);
      continue;
    }
    if (section.name === 'Tunnel' && !(tunnelKinds as readonly string[]).includes(kind ?? '')) {
      problems.push(`line ${section.line}: [Tunnel] on Kind=${kind ?? '(none)'}, which has no [Tunnel] section`);
    }
    if (section.name === 'FooOverUDP' && kind !== 'fou') {
      problems.push(`line ${section.line}: [FooOverUDP] on Kind=${kind ?? '(none)'}; only Kind=fou has it`);
    }
    const seen = new Set<string>();
    for (const { key, value, line } of section.entries) {
      const where = `line ${line}: ${section.name}.${key}`;
      if (!keys.includes(key)) {
        const since = section.name === 'Tunnel' ? tunnelKeySince[key] : undefined;
        problems.push(
          since ? `${where} needs systemd ${since}, newer than 252` : `${where} is not a key systemd 252 accepts`,
        );
        continue;
      }
      if (seen.has(key)) problems.push(`${where} is set twice in one section`);
      seen.add(key);
      const kinds = section.name === 'Tunnel' ? tunnelKeyKinds[key] : undefined;
      if (kinds && !kinds.includes(kind ?? ''))
        problems.push(`${where} is not used by Kind=${kind ?? '(none)'} (only ${kinds.join(', ')})`);
      if (value === '') problems.push(`${where} is empty, which resets it`);
      const check = valueChecks[`${section.name}.${key}`];
      if (check && value !== '' && !check(value))
        problems.push(`${where}=${JSON.stringify(value)} is not a valid value`);
    }
  }
  for (const [sectionName, keys] of Object.entries(requiredKeys[type])) {
    const sections = unit.sections.filter((s) => s.name === sectionName);
    if (sections.length !== 1) problems.push(`needs exactly one [${sectionName}] section, found ${sections.length}`);
    for (const key of keys as readonly string[]) {
      if (!sections.some((s) => s.entries.some((e) => e.key === key))) problems.push(`[${sectionName}] lacks ${key}=`);
    }
  }
  for (const section of unit.sections.filter((s) => s.name === 'Address' || s.name === 'Route')) {
    const key = section.name === 'Address' ? 'Address' : 'Destination';
    if (!section.entries.some((e) => e.key === key))
      problems.push(`line ${section.line}: [${section.name}] without ${key}=`);
  }
  return problems;
}
