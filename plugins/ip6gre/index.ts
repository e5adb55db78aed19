import type { ModePlugin } from '../../src/contract.js';
import {
  checkKeyOptions,
  checkMtuMaximum,
  expectedEndpoints,
  expectedKeys,
  greHeaderBytes,
  ip6OuterOptions,
  type Ip6OuterOptions,
  ipLinkEndpoints,
  ipLinkIp6Outer,
  ipLinkKeys,
  keyedIdentity,
  keyOptions,
  type KeyOptions,
  keyRules,
  mtuMaximumRules,
  networkdEndpoints,
  networkdIp6Outer,
  networkdKeys,
  swapKeys,
} from '../../src/plugin-kit.js';

interface Ip6greOptions extends Ip6OuterOptions, KeyOptions {}

/** GRE over IPv6: carries IPv4 and IPv6, optionally keyed. */
export const ip6gre: ModePlugin<Ip6greOptions> = {
  name: 'ip6gre',
  kind: 'ip6gre',
  description: 'GRE over IPv6 (ip6_gre), carrying IPv4 and IPv6, with optional keys',
  outer: 'ipv6',
  inner: ['ipv4', 'ipv6'],
  remote: 'required',
  kernelModules: ['ip6_gre'],
  // ip6_gre needs ip6_tunnel, which brings ip6tnl0.
  fallbackDevices: ['ip6gre0', 'ip6gretap0', 'ip6tnl0'],
  options: { ...ip6OuterOptions, ...keyOptions },
  mirrorOptions: swapKeys,
  rules: { ...keyRules, ...mtuMaximumRules },
  check(end, report) {
    checkKeyOptions(end, report);
    // Measured on Linux 6.1 (largest MTU a new link keeps): 65531, 65527 with an output key, that is
    // IPv6's largest payload (the outer header is not part of it) less GRE.
    checkMtuMaximum(end, report, 65535, [[greHeaderBytes(end.options), 'GRE']]);
  },
  identity: keyedIdentity,
  // GRE is IP protocol 47 (next header 47 over IPv6).
  receives: () => [47],
  networkd: (end) => ({
    tunnel: [...networkdEndpoints(end), ...networkdIp6Outer(end.options), ...networkdKeys(end.options)],
  }),
  // ifupdown's inet6 tunnel method takes no keys, flow label or hop limit name: ip link does it all.
  ifupdown: (end) => ({
    method: 'manual',
    ipLinkAdd: ['type', 'ip6gre', ...ipLinkEndpoints(end), ...ipLinkIp6Outer(end.options), ...ipLinkKeys(end.options)],
  }),
  expect: (end) => ({ data: { ...expectedEndpoints(end), ...expectedKeys(end.options) } }),
};
