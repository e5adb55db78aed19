import type { Family } from '../contract.js';

// Address text is checked here rather than with node:net's isIPv4/isIPv6, which accept the same
// texts (test/ip-text.test.ts compares them): loading node:net was about 3 ms of every start of
// the command line, a sixth of what `tungen validate` of a small spec adds to Node's own start.

/** Family of an address, or undefined when it is not an IP address (an IPv6 zone, %eth0, is not). */
export function familyOf(address: string): Family | undefined {
  if (isDottedQuad(address)) return 'ipv4';
  if (isIPv6Text(address)) return 'ipv6';
  return undefined;
}

/** Four decimal numbers 0-255 joined by dots, none with a leading zero. */
const dottedQuad =
  /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

const isDottedQuad = (text: string): boolean => dottedQuad.test(text);

const isHexDigit = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/**
 * IPv6 text (RFC 4291 2.2): eight groups of 1-4 hex digits joined by ':', where one '::' stands
 * for one or more groups of zeros and the last two groups may be written as a dotted quad.
 * One pass over the characters, building nothing: checks call it for every address.
 */
function isIPv6Text(text: string): boolean {
  const end = text.length;
  let groups = 0;
  let compressed = false;
  let digits = 0;
  let i = 0;
  if (text.startsWith('::')) {
    if (end === 2) return true;
    compressed = true;
    i = 2;
  }
  let groupStart = i;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isHexDigit(c)) {
      if (++digits > 4) return false;
    } else if (c === 58) {
      // ':' ends a group, which must not be empty; '::' may follow a group once.
      if (digits === 0) return false;
      groups++;
      digits = 0;
      if (text.charCodeAt(i + 1) === 58) {
        if (compressed) return false;
        compressed = true;
        i++;
        if (i === end - 1) return groups <= 7;
      } else if (i === end - 1) return false;
      groupStart = i + 1;
    } else if (c === 46) {
      // '.': the rest, from this group on, is a dotted quad, two groups' worth.
      if (!isDottedQuad(text.slice(groupStart))) return false;
      groups += 2;
      return compressed ? groups <= 7 : groups === 8;
    } else return false;
  }
  if (digits === 0) return false;
  groups++;
  return compressed ? groups <= 7 : groups === 8;
}

export const maxPrefix = (family: Family): number => (family === 'ipv4' ? 32 : 128);

/** Address as a bigint, for subnet arithmetic. */
export function toBigInt(address: string, family: Family): bigint {
  if (family === 'ipv4') return BigInt(ipv4Number(address));
  return ipv6Groups(address).reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

// IPv4 arithmetic in plain numbers (0 to 2^32 - 1, exact in a double): every tunnel has
// IPv4 addresses to check, and bigints cost several times as much for 32 bits.

/** A dotted quad (as familyOf accepts it) as a number, read digit by digit: no array of parts to build. */
function ipv4Number(address: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 46) {
      value = value * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return value * 256 + octet;
}

const ipv4Text = (value: number): string =>
  `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;

/** The first `prefix` bits of an IPv4 address as a number, the rest zero. */
function ipv4Network(value: number, prefix: number): number {
  // Shifts work on 32 bits (>>> 0 reads them unsigned again); a shift by 32 is one by 0, hence /0 apart.
  return prefix === 0 ? 0 : ((value >>> (32 - prefix)) << (32 - prefix)) >>> 0;
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

/** The first `prefix` bits of an IPv6 address as a bigint, the rest zero. */
function ipv6Network(value: bigint, prefix: number): bigint {
  const hostBits = BigInt(128 - prefix);
  return (value >> hostBits) << hostBits;
}

/** Whether two addresses share the first `prefix` bits. */
export function sameSubnet(a: string, b: string, prefix: number, family: Family): boolean {
  if (family === 'ipv4') return ipv4Network(ipv4Number(a), prefix) === ipv4Network(ipv4Number(b), prefix);
  return ipv6Network(toBigInt(a, family), prefix) === ipv6Network(toBigInt(b, family), prefix);
}

/** CIDR text of the network an address belongs to, e.g. 192.168.10.0/24. */
export function networkCidr(address: string, prefix: number, family: Family): string {
  if (family === 'ipv4') return `${ipv4Text(ipv4Network(ipv4Number(address), prefix))}/${prefix}`;
  return `${fromBigInt(ipv6Network(toBigInt(address, family), prefix), family)}/${prefix}`;
}

/** An IPv6 network to test addresses against: its bits and prefix length. */
const ipv6Range = (network: string, prefix: number) => ({ bits: toBigInt(network, 'ipv6'), prefix });
const ipv6Multicast = ipv6Range('ff00::', 8);
const ipv6LinkLocal = ipv6Range('fe80::', 10);
const inIpv6Range = (value: bigint, range: { bits: bigint; prefix: number }) =>
  ipv6Network(value, range.prefix) === range.bits;

/**
 * Why an address cannot be a tunnel's outer (underlay) address, or undefined
 * when it can: it must name one machine reachable beyond this one.
 */
export function unusableOuter(address: string, family: Family): string | undefined {
  if (family === 'ipv4') {
    const value = ipv4Number(address);
    if (value === 0) return 'the unspecified address, which names no machine';
    if (value === 0xffffffff) return 'the broadcast address, which names every machine on the link';
    if (ipv4Network(value, 8) === 0x7f000000) return 'a loopback address, which never leaves the host';
    if (ipv4Network(value, 4) === 0xe0000000) return 'a multicast address, which names a group, not one machine';
    if (ipv4Network(value, 16) === 0xa9fe0000)
      return 'a link-local address, which hosts pick for themselves and routers do not forward';
    return undefined;
  }
  const value = toBigInt(address, family);
  if (value === 0n) return 'the unspecified address, which names no machine';
  if (value === 1n) return 'the loopback address, which never leaves the host';
  if (inIpv6Range(value, ipv6Multicast)) return 'a multicast address, which names a group, not one machine';
  if (inIpv6Range(value, ipv6LinkLocal))
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
  const unspecified = 'the unspecified address, which networkd and ip ignore or refuse as an interface address';
  if (family === 'ipv4') return ipv4Number(address) === 0 ? unspecified : undefined;
  const value = toBigInt(address, family);
  if (value === 0n) return unspecified;
  if (value === 1n) return 'the IPv6 loopback address, which the kernel keeps for lo';
  if (inIpv6Range(value, ipv6Multicast))
    return 'an IPv6 multicast address, which the kernel refuses as an interface address';
  return undefined;
}
