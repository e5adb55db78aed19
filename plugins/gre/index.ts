import type { ModePlugin } from '../../src/contract.js';
import {
  checkKeyOptions,
  checkPmtuWithTtl,
  expectedKeys,
  expectedOuterPacket,
  firstAddress,
  ifupdownEndpoints,
  ifupdownNeedsManual,
  ifupdownPeer,
  hasKeys,
  ipLinkEndpoints,
  ipLinkKeys,
  ipLinkOuterPacket,
  keyedIdentity,
  keyOptions,
  type KeyOptions,
  keyRules,
  networkdEndpoints,
  networkdKeys,
  networkdOuterPacket,
  outerPacketOptions,
  type OuterPacketOptions,
  pmtuRules,
  swapKeys,
  hasUdpEncapsulation,
  ifupdownUdpEncapsulation,
  ipLinkUdpEncapsulation,
  networkdUdpEncapsulation,
  udpEncapsulationOptions,
  type UdpEncapsulationOptions,
  udpEncapsulationModules,
  udpEncapsulationProbes,
} from '../../src/plugin-kit.js';

interface GreOptions extends OuterPacketOptions, KeyOptions, UdpEncapsulationOptions {}

/** GRE over IPv4: carries IPv4 and IPv6, optionally keyed. */
export const gre: ModePlugin<GreOptions> = {
  name: 'gre',
  description: 'GRE over IPv4 (ip_gre), carrying IPv4 and IPv6, with optional keys',
  kind: 'gre',
  outer: 'ipv4',
  inner: ['ipv4', 'ipv6'],
  remote: 'required',
  kernelModules: ['ip_gre'],
  fallbackDevices: ['gre0', 'gretap0', 'erspan0'],
  modulesFor: (end) => udpEncapsulationModules(end.options),
  options: { ...outerPacketOptions, ...keyOptions, ...udpEncapsulationOptions },
  mirrorOptions: swapKeys,
  rules: { ...keyRules, ...pmtuRules },
  check(end, report) {
    checkKeyOptions(end, report);
    checkPmtuWithTtl(end, report);
  },
  identity: keyedIdentity,
  // GRE is IP protocol 47.
  receives: () => [47],
  networkd(end) {
    const udp = networkdUdpEncapsulation(end.options, 47);
    return {
      tunnel: [
        ...networkdEndpoints(end),
        ...networkdOuterPacket(end.options),
        ...networkdKeys(end.options),
        ...udp.tunnel,
      ],
      companions: udp.companions,
    };
  },
  ifupdown(end) {
    const primary = firstAddress(end, 'ipv4');
    // ifupdown's tunnel method has no key option either.
    const needsManual = hasKeys(end.options) || ifupdownNeedsManual(end.options) || hasUdpEncapsulation(end.options);
    if (needsManual || !primary) {
      return {
        method: 'manual',
        ipLinkAdd: [
          'type',
          'gre',
          ...ipLinkEndpoints(end),
          ...ipLinkOuterPacket(end.options),
          ...ipLinkKeys(end.options),
          ...ipLinkUdpEncapsulation(end.options),
        ],
        ...ifupdownUdpEncapsulation(end.options, 47),
      };
    }
    return {
      method: 'tunnel',
      family: 'inet',
      primary,
      options: [['mode', 'gre'], ...ifupdownEndpoints(end), ...ifupdownPeer(primary)],
    };
  },
  expect: (end) => ({
    data: { ...expectedOuterPacket(end), ...expectedKeys(end.options) },
    probes: udpEncapsulationProbes(end.options),
  }),
};
