/**
 * 6rd (IPv6 rapid deployment, RFC 5969) as a tungen mode, written the way a
 * third-party package is: against the published contract (`tungen`) and
 * tested with the published tester (`tungen/testing`).
 *
 * A 6rd tunnel is a sit device without a fixed remote: the provider's 6rd
 * prefix followed by an IPv4 address is an IPv6 network, and the kernel sends
 * packets for it to that IPv4 address. This machine's own network is the 6rd
 * prefix followed by its local address; the tunnel gets address ::1 of it,
 * with the 6rd prefix's length so every other 6rd site is on the link.
 */
import { pluginKit, type InnerAddress, type ModePlugin, type Reporter, type TunnelEnd } from 'tungen';

const {
  checkPmtuWithTtl,
  cidrSchema,
  endpointIdentity,
  expectedOuterPacket,
  fromBigInt,
  ipLinkEndpoints,
  ipLinkOuterPacket,
  networkCidr,
  networkdEndpoints,
  networkdOuterPacket,
  outerPacketOptions,
  parseCidr,
  pmtuRules,
  toBigInt,
} = pluginKit;

/** The prefix and this site's address leave at least 64 bits: the 6rd prefix is at most /32 (RFC 5969, 4). */
const longestPrefix = 32;

interface SixrdPrefix {
  address: string;
  prefix: number;
}

/** The 6rd prefix, or what is wrong with it. */
function sixrdPrefix(text: string): SixrdPrefix | string {
  const cidr = parseCidr(text);
  if (typeof cidr === 'string') return cidr;
  if (cidr.family !== 'ipv6') return 'a 6rd prefix is an IPv6 network';
  if (cidr.prefix > longestPrefix)
    return `/${cidr.prefix} leaves no room for the IPv4 address and a /64: a 6rd prefix is at most /${longestPrefix}`;
  const network = networkCidr(cidr.address, cidr.prefix, 'ipv6');
  if (network !== `${cidr.address}/${cidr.prefix}`) return `host bits are set; the prefix is ${network}`;
  return { address: cidr.address, prefix: cidr.prefix };
}

/** Address ::1 of this site's 6rd network: the prefix, then the 32 bits of the local IPv4 address. */
export function siteAddress(prefix: SixrdPrefix, local: string): string {
  const site = toBigInt(prefix.address, 'ipv6') | (toBigInt(local, 'ipv4') << BigInt(96 - prefix.prefix));
  return fromBigInt(site | 1n, 'ipv6');
}

/** The mode's options: the kit's outer-packet options and the 6rd prefix. */
export interface SixrdOptions extends pluginKit.OuterPacketOptions {
  prefix: string;
}

type SixrdEnd = TunnelEnd<SixrdOptions>;

const prefixOf = (end: SixrdEnd) => sixrdPrefix(end.options.prefix);

/** The prefix in canonical form (as written while the checks have not refused it yet). */
function prefixText(end: SixrdEnd): string {
  const prefix = prefixOf(end);
  return typeof prefix === 'string' ? end.options.prefix : `${prefix.address}/${prefix.prefix}`;
}

export const sixrd: ModePlugin<SixrdOptions> = {
  name: 'sixrd',
  description: "6rd (RFC 5969): IPv6 over IPv4 to every site of the provider's 6rd prefix, no fixed remote",
  // A 6rd tunnel is a sit device.
  kind: 'sit',
  outer: 'ipv4',
  inner: ['ipv6'],
  remote: 'none',
  kernelModules: ['sit'],
  fallbackDevices: ['sit0'],
  options: {
    ...outerPacketOptions,
    prefix: { ...cidrSchema, description: "The provider's 6rd prefix, IPv6, at most /32" },
  },
  requiredOptions: ['prefix'],
  rules: {
    ...pmtuRules,
    'invalid-prefix': 'a 6rd prefix that is not an IPv6 network of at most /32 without host bits',
  },
  completeEnd(end) {
    const prefix = prefixOf(end);
    if (typeof prefix === 'string') return end;
    const derived: InnerAddress = { family: 'ipv6', address: siteAddress(prefix, end.local), prefix: prefix.prefix };
    return { ...end, addresses: [derived, ...end.addresses] };
  },
  check(end: SixrdEnd, report: Reporter) {
    checkPmtuWithTtl(end, report);
    const prefix = prefixOf(end);
    if (typeof prefix === 'string')
      report.error('invalid-prefix', `prefix ${JSON.stringify(end.options.prefix)}: ${prefix}`, ['prefix']);
  },
  // A sit device without a remote: the kernel tells it apart from another by its local address only.
  identity: endpointIdentity,
  // IPv6 in IPv4 is IP protocol 41.
  receives: () => [41],
  networkd: (end) => ({
    tunnel: [
      ...networkdEndpoints(end),
      ...networkdOuterPacket(end.options),
      ['IPv6RapidDeploymentPrefix', prefixText(end)],
    ],
  }),
  // ifupdown has no 6rd method; iproute2 takes the prefix when it creates the link.
  ifupdown: (end) => ({
    method: 'manual',
    ipLinkAdd: [
      'type',
      'sit',
      ...ipLinkEndpoints(end),
      ...ipLinkOuterPacket(end.options),
      '6rd-prefix',
      prefixText(end),
    ],
  }),
  expect: (end) => ({ data: expectedOuterPacket(end) }),
};

export default sixrd;
