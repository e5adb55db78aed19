import type { ModePlugin } from '../../src/contract.js';
import {
  checkPmtuWithTtl,
  pmtuRules,
  endpointIdentity,
  expectedOuterPacket,
  firstAddress,
  ifupdownEndpoints,
  ifupdownNeedsManual,
  ifupdownPeer,
  ipLinkEndpoints,
  ipLinkOuterPacket,
  networkdEndpoints,
  networkdOuterPacket,
  outerPacketOptions,
  hasUdpEncapsulation,
  ifupdownUdpEncapsulation,
  ipLinkUdpEncapsulation,
  networkdUdpEncapsulation,
  udpEncapsulationOption,
  udpEncapsulationModules,
  udpEncapsulationProbes,
} from '../../src/plugin-kit.js';

/** IPv4 in IPv4, the simplest tunnel. */
export const ipip: ModePlugin = {
  name: 'ipip',
  description: 'IPv4 in IPv4 (ipip)',
  outer: 'ipv4',
  inner: ['ipv4'],
  remote: 'required',
  kernelModules: ['ipip'],
  modulesFor: (end) => udpEncapsulationModules(end.options),
  options: { ...outerPacketOptions, encapsulation: udpEncapsulationOption },
  rules: pmtuRules,
  check: checkPmtuWithTtl,
  identity: (end) => endpointIdentity('ipip', end),
  receives: () => [4],
  networkd(end) {
    // IPv4 in IPv4 is IP protocol 4, which a FOU receive port hands the packets to.
    const udp = networkdUdpEncapsulation(end.options, 4);
    return {
      kind: 'ipip',
      tunnel: [...networkdEndpoints(end), ...networkdOuterPacket(end.options), ...udp.tunnel],
      companions: udp.companions,
    };
  },
  ifupdown(end) {
    const primary = firstAddress(end, 'ipv4');
    if (!primary || ifupdownNeedsManual(end.options) || hasUdpEncapsulation(end.options)) {
      return {
        method: 'manual',
        ipLinkAdd: [
          'type',
          'ipip',
          ...ipLinkEndpoints(end),
          ...ipLinkOuterPacket(end.options),
          ...ipLinkUdpEncapsulation(end.options),
        ],
        ...ifupdownUdpEncapsulation(end.options, 4),
      };
    }
    return {
      method: 'tunnel',
      family: 'inet',
      primary,
      options: [['mode', 'ipip'], ...ifupdownEndpoints(end), ...ifupdownPeer(primary)],
    };
  },
  expect: (end) => ({ kind: 'ipip', data: expectedOuterPacket(end), probes: udpEncapsulationProbes(end.options) }),
};
