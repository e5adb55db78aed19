import type { ModePlugin, Reporter, TunnelEnd } from '../../src/contract.js';
import {
  checkKeyOptions,
  checkMtuMaximum,
  checkPmtuWithTtl,
  expectedEndpoints,
  expectedKeys,
  expectedOuterPacket,
  greHeaderBytes,
  ip6OuterOptions,
  type Ip6OuterOptions,
  ipLinkEndpoints,
  ipLinkIp6Outer,
  ipLinkKeys,
  ipLinkOuterPacket,
  keyedIdentity,
  keyOptions,
  type KeyOptions,
  keyRules,
  mtuMaximumRules,
  networkdEndpoints,
  networkdIp6Outer,
  networkdKeys,
  networkdOuterPacket,
  outerPacketOptions,
  type OuterPacketOptions,
  pmtuRules,
  swapKeys,
} from '../../src/plugin-kit.js';

/**
 * The kernel's MTU caps for a GRE tap, measured on Linux 6.1 by bisection of
 * `ip link add NAME mtu N type gretap|ip6gretap ...` (the largest N the new
 * link keeps): gretap 65497, 65493 with an output key (IP_MAX_MTU less the
 * outer IPv4 header, GRE and the Ethernet header it carries); ip6gretap 65359,
 * 65351 with an output key, whatever the encapsulation limit or the underlay's
 * MTU (at creation the kernel reserves 128 bytes of link-layer headroom and
 * counts the GRE header twice; `ip link set mtu` later allows up to 65473).
 * Those are Debian's 6.1.176; its 6.1.192 keeps up to 65517 (65513) for ip6gretap.
 * The cap stays the smaller: above it the older kernel silently drops the MTU.
 */
const checkGretapMtu = (end: TunnelEnd<GretapOptions>, report: Reporter) =>
  checkMtuMaximum(end, report, 65535, [
    [20, 'outer header'],
    [greHeaderBytes(end.options), 'GRE'],
    [14, 'Ethernet'],
  ]);
const checkIp6gretapMtu = (end: TunnelEnd<Ip6gretapOptions>, report: Reporter) =>
  checkMtuMaximum(end, report, 65535, [
    [128, 'link-layer headroom'],
    [40, 'outer header'],
    [2 * greHeaderBytes(end.options), 'GRE, which the kernel counts twice'],
  ]);

interface GretapOptions extends OuterPacketOptions, KeyOptions {}

/** Ethernet over GRE over IPv4: a layer-2 link, its addresses shared with the other end's subnet. */
export const gretap: ModePlugin<GretapOptions> = {
  name: 'gretap',
  kind: 'gretap',
  description: 'Ethernet over GRE over IPv4 (ip_gre), a layer-2 link; addresses sit on the tap itself',
  outer: 'ipv4',
  inner: ['ipv4', 'ipv6'],
  remote: 'required',
  ethernet: true,
  kernelModules: ['ip_gre'],
  fallbackDevices: ['gre0', 'gretap0', 'erspan0'],
  options: { ...outerPacketOptions, ...keyOptions },
  mirrorOptions: swapKeys,
  rules: { ...keyRules, ...pmtuRules, ...mtuMaximumRules },
  check(end, report) {
    checkKeyOptions(end, report);
    checkPmtuWithTtl(end, report);
    checkGretapMtu(end, report);
  },
  identity: keyedIdentity,
  // No receives(): the kernel gives a tap only GRE packets that carry Ethernet
  // (protocol type 0x6558) and a gre tunnel only the others, so the two share
  // protocol 47 between the same addresses without taking each other's packets.
  networkd: (end) => ({
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
  expect: (end) => ({ data: { ...expectedOuterPacket(end), ...expectedKeys(end.options) } }),
};

interface Ip6gretapOptions extends Ip6OuterOptions, KeyOptions {}

/** Ethernet over GRE over IPv6. */
export const ip6gretap: ModePlugin<Ip6gretapOptions> = {
  name: 'ip6gretap',
  kind: 'ip6gretap',
  description: 'Ethernet over GRE over IPv6 (ip6_gre), a layer-2 link; addresses sit on the tap itself',
  outer: 'ipv6',
  inner: ['ipv4', 'ipv6'],
  remote: 'required',
  ethernet: true,
  kernelModules: ['ip6_gre'],
  // ip6_gre needs ip6_tunnel, which brings ip6tnl0.
  fallbackDevices: ['ip6gre0', 'ip6gretap0', 'ip6tnl0'],
  options: { ...ip6OuterOptions, ...keyOptions },
  mirrorOptions: swapKeys,
  rules: { ...keyRules, ...mtuMaximumRules },
  check(end, report) {
    checkKeyOptions(end, report);
    checkIp6gretapMtu(end, report);
  },
  identity: keyedIdentity,
  // See gretap: Ethernet-carrying GRE goes to the tap, the rest to ip6gre.
  networkd: (end) => ({
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
  expect: (end) => ({ data: { ...expectedEndpoints(end), ...expectedKeys(end.options) } }),
};
