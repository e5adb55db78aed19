import { isIPv4, isIPv6 } from 'node:net';
import type { Family } from '../contract.js';

/** Family of an address, or undefined when it is not an IP address. */
export function familyOf(address: string): Family | undefined {
  if (isIPv4(address)) return 'ipv4';
  if (isIPv6(address) && !address.includes('%')) return 'ipv6';
  return undefined;
}

export const maxPrefix = (family: Family): number => (family === 'ipv4' ? 32 : 128);

/** Address as a bigint, for subnet arithmetic. */
export function toBigInt(address: string, family: Family): bigint {
  if (family === 'ipv4') {
    return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  }
  return ipv6Groups(address).reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

/** The eight 16-bit groups of an IPv6 address, expanding '::' and a trailing dotted quad. */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const fill = new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...fill, ...back];
}

export function fromBigInt(value: bigint, family: Family): string {
  if (family === 'ipv4') {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  return compressIPv6(groups);
}

/** RFC 5952 text form: lower case, longest run of zero groups (length >= 2) as '::'. */
function compressIPv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

/** Canonical text of an address (e.g. 'FD00::0001' -> 'fd00::1'). */
export function canonical(address: string, family: Family): string {
  return family === 'ipv4' ? address : fromBigInt(toBigInt(address, family), family);
}

export interface Cidr {
  family: Family;
  address: string;
  prefix: number;
}

/** Parses 'ADDRESS/PREFIX'; returns a reason string when it is not one. */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) return 'a prefix length is missing (ADDRESS/PREFIX)';
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = familyOf(address);
  if (!family) return `"${address}" is not an IPv4 or IPv6 address`;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix(family)) {
    return `prefix length must be 0-${maxPrefix(family)}`;
  }
  return { family, address: canonical(address, family), prefix: Number(prefixText) };
}

function networkOf(address: string, prefix: number, family: Family): bigint {
  const bits = BigInt(maxPrefix(family));
  const mask = ((1n << BigInt(prefix)) - 1n) << (bits - BigInt(prefix));
  return toBigInt(address, family) & mask;
}

/** Whether two addresses share the first `prefix` bits. */
export function sameSubnet(a: string, b: string, prefix: number, family: Family): boolean {
  return networkOf(a, prefix, family) === networkOf(b, prefix, family);
}

/** CIDR text of the network an address belongs to, e.g. 192.168.10.0/24. */
export function networkCidr(address: string, prefix: number, family: Family): string {
  return `${fromBigInt(networkOf(address, prefix, family), family)}/${prefix}`;
}

/** Whether `address` lies in `network`/`prefix` (same family). */
function within(address: bigint, network: string, prefix: number, family: Family): boolean {
  return networkOf(fromBigInt(address, family), prefix, family) === networkOf(network, prefix, family);
}

/**
 * Why an address cannot be a tunnel's outer (underlay) address, or undefined
 * when it can: it must name one machine reachable beyond this one.
 */
export function unusableOuter(address: string, family: Family): string | undefined {
  const value = toBigInt(address, family);
  if (value === 0n) return 'the unspecified address, which names no machine';
  if (family === 'ipv4') {
    if (value === 0xffffffffn) return 'the broadcast address, which names every machine on the link';
    if (within(value, '127.0.0.0', 8, family)) return 'a loopback address, which never leaves the host';
    if (within(value, '224.0.0.0', 4, family)) return 'a multicast address, which names a group, not one machine';
    if (within(value, '169.254.0.0', 16, family))
      return 'a link-local address, which hosts pick for themselves and routers do not forward';
    return undefined;
  }
  if (value === 1n) return 'the loopback address, which never leaves the host';
  if (within(value, 'ff00::', 8, family)) return 'a multicast address, which names a group, not one machine';
  if (within(value, 'fe80::', 10, family))
    return 'a link-local address, which is only valid together with an interface that a tunnel cannot name';
  return undefined;
}

/**
 * Why an address cannot be an interface's own (inner) address, or undefined when
 * it can: networkd ignores the unspecified address ("Null address") and `ip addr`
 * adds nothing for 0.0.0.0 and refuses ::; the kernel refuses IPv6 loopback and
 * multicast addresses on a tunnel.
 */
export function unusableInner(address: string, family: Family): string | undefined {
  const value = toBigInt(address, family);
  if (value === 0n) return 'the unspecified address, which networkd and ip ignore or refuse as an interface address';
  if (family === 'ipv6' && value === 1n) return 'the IPv6 loopback address, which the kernel keeps for lo';
  if (family === 'ipv6' && within(value, 'ff00::', 8, family))
    return 'an IPv6 multicast address, which the kernel refuses as an interface address';
  return undefined;
}
