import type { ModePlugin, Reporter, TunnelEnd } from '../../src/contract.js';
import {
  checkKeyOptions,
  checkPmtuWithTtl,
  effectiveKeys,
  endpointIdentity,
  expectedOuterPacket,
  ip6OuterOptions,
  ipLinkEndpoints,
  ipLinkIp6Outer,
  ipLinkKeys,
  ipLinkOuterPacket,
  keyOptions,
  keyRules,
  networkdEndpoints,
  networkdIp6Outer,
  networkdKeys,
  networkdOuterPacket,
  outerPacketOptions,
  pmtuRules,
  swapKeys,
} from '../../src/plugin-kit.js';

/** The largest packet IPv4 (and the kernel's IP_MAX_MTU) allows. */
const ipMaxPacket = 65535;
const ethernetHeader = 14;
const ipv4Header = 20;

const mtuRules = { 'mtu-maximum': 'an MTU larger than the kernel allows once the outer headers are added' } as const;

/**
 * The kernel caps a GRE tap over IPv4 at 65535 minus the outer IP header, the
 * GRE header (4 bytes, 4 more with a key) and the Ethernet header it carries
 * (__ip_tunnel_change_mtu; measured: `ip link set` takes 65497, 65493 with a
 * key, and refuses one more). Beyond it ifupdown's ip link add fails.
 */
function checkTapMtu(end: TunnelEnd, report: Reporter): void {
  if (end.mtu === undefined) return;
  const { input, output } = effectiveKeys(end.options);
  const greHeader = 4 + (input !== undefined || output !== undefined ? 4 : 0);
  const max = ipMaxPacket - ipv4Header - greHeader - ethernetHeader;
  if (end.mtu > max) {
    report.error(
      'mtu-maximum',
      `mtu ${end.mtu} is larger than ${max}, the most the kernel allows for mode gretap (65535 minus ${ipv4Header} bytes of outer header, ${greHeader} of GRE and ${ethernetHeader} of Ethernet)`,
      ['mtu'],
    );
  }
}

/** Ethernet over GRE over IPv4: a layer-2 link, its addresses shared with the other end's subnet. */
export const gretap: ModePlugin = {
  name: 'gretap',
  description: 'Ethernet over GRE over IPv4 (ip_gre), a layer-2 link; addresses sit on the tap itself',
  outer: 'ipv4',
  inner: ['ipv4', 'ipv6'],
  remote: 'required',
  ethernet: true,
  kernelModules: ['ip_gre'],
  options: { ...outerPacketOptions, ...keyOptions },
  mirrorOptions: swapKeys,
  rules: { ...keyRules, ...pmtuRules, ...mtuRules },
  check(end, report) {
    checkKeyOptions(end, report);
    checkPmtuWithTtl(end, report);
    checkTapMtu(end, report);
  },
  identity: (end) => endpointIdentity('gretap', end, true),
  // No receives(): the kernel gives a tap only GRE packets that carry Ethernet
  // (protocol type 0x6558) and a gre tunnel only the others, so the two share
  // protocol 47 between the same addresses without taking each other's packets.
  networkd: (end) => ({
    kind: 'gretap',
    tunnel: [...networkdEndpoints(end), ...networkdOuterPacket(end.options), ...networkdKeys(end.options)],
  }),
  ifupdown: (end) => ({
    method: 'manual',
    ipLinkAdd: [
      'type',
      'gretap',
      ...ipLinkEndpoints(end),
      ...ipLinkOuterPacket(end.options),
      ...ipLinkKeys(end.options),
    ],
  }),
  expect(end) {
    const { input, output } = effectiveKeys(end.options);
    return {
      kind: 'gretap',
      data: { ...expectedOuterPacket(end), ...(input && { ikey: input }), ...(output && { okey: output }) },
    };
  },
};

/** Ethernet over GRE over IPv6. */
export const ip6gretap: ModePlugin = {
  name: 'ip6gretap',
  description: 'Ethernet over GRE over IPv6 (ip6_gre), a layer-2 link; addresses sit on the tap itself',
  outer: 'ipv6',
  inner: ['ipv4', 'ipv6'],
  remote: 'required',
  ethernet: true,
  kernelModules: ['ip6_gre'],
  options: { ...ip6OuterOptions, ...keyOptions },
  mirrorOptions: swapKeys,
  rules: keyRules,
  // No MTU cap here: measured on Linux 6.1, ip6gretap refuses `ip link set mtu`
  // well below 65535 - 40 - 4 - 14 and clamps an MTU given at creation to its
  // default, so no formula of the headers alone holds.
  check: checkKeyOptions,
  identity: (end) => endpointIdentity('ip6gretap', end, true),
  // See gretap: Ethernet-carrying GRE goes to the tap, the rest to ip6gre.
  networkd: (end) => ({
    kind: 'ip6gretap',
    tunnel: [...networkdEndpoints(end), ...networkdIp6Outer(end.options), ...networkdKeys(end.options)],
  }),
  ifupdown: (end) => ({
    method: 'manual',
    ipLinkAdd: [
      'type',
      'ip6gretap',
      ...ipLinkEndpoints(end),
      ...ipLinkIp6Outer(end.options),
      ...ipLinkKeys(end.options),
    ],
  }),
  expect(end) {
    const { input, output } = effectiveKeys(end.options);
    return {
      kind: 'ip6gretap',
      data: { local: end.local!, remote: end.remote!, ...(input && { ikey: input }), ...(output && { okey: output }) },
    };
  },
};
