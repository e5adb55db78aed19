import type { ModePlugin } from '../../src/contract.js';
import {
  checkKeyOptions,
  checkPmtuWithTtl,
  effectiveKeys,
  endpointIdentity,
  expectedOuterPacket,
  firstAddress,
  ifupdownEndpoints,
  ifupdownNeedsManual,
  ifupdownPeer,
  hasKeys,
  ipLinkEndpoints,
  ipLinkKeys,
  ipLinkOuterPacket,
  keyOptions,
  keyRules,
  networkdEndpoints,
  networkdKeys,
  networkdOuterPacket,
  outerPacketOptions,
  pmtuRules,
  swapKeys,
  hasUdpEncapsulation,
  ifupdownUdpEncapsulation,
  ipLinkUdpEncapsulation,
  networkdUdpEncapsulation,
  udpEncapsulationOption,
  udpEncapsulationModules,
  udpEncapsulationProbes,
} from '../../src/plugin-kit.js';

/** GRE over IPv4: carries IPv4 and IPv6, optionally keyed. */
export const gre: ModePlugin = {
  name: 'gre',
  description: 'GRE over IPv4 (ip_gre), carrying IPv4 and IPv6, with optional keys',
  outer: 'ipv4',
  inner: ['ipv4', 'ipv6'],
  remote: 'required',
  kernelModules: ['ip_gre'],
  modulesFor: (end) => udpEncapsulationModules(end.options),
  options: { ...outerPacketOptions, ...keyOptions, encapsulation: udpEncapsulationOption },
  mirrorOptions: swapKeys,
  rules: { ...keyRules, ...pmtuRules },
  check(end, report) {
    checkKeyOptions(end, report);
    checkPmtuWithTtl(end, report);
  },
  identity: (end) => endpointIdentity('gre', end, true),
  // GRE is IP protocol 47.
  receives: () => [47],
  networkd(end) {
    const udp = networkdUdpEncapsulation(end.options, 47);
    return {
      kind: 'gre',
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
  expect(end) {
    const { input, output } = effectiveKeys(end.options);
    return {
      kind: 'gre',
      data: { ...expectedOuterPacket(end), ...(input && { ikey: input }), ...(output && { okey: output }) },
      probes: udpEncapsulationProbes(end.options),
    };
  },
};
