import type { ModePlugin } from '../../src/contract.js';
import {
  checkPmtuWithTtl,
  pmtuRules,
  endpointIdentity,
  expectedOuterPacket,
  firstAddress,
  ifupdownEndpoints,
  ifupdownNeedsManual,
  ipLinkEndpoints,
  ipLinkOuterPacket,
  networkdEndpoints,
  networkdOuterPacket,
  outerPacketOptions,
  type OuterPacketOptions,
  hasUdpEncapsulation,
  ifupdownUdpEncapsulation,
  ipLinkUdpEncapsulation,
  networkdUdpEncapsulation,
  udpEncapsulationOptions,
  type UdpEncapsulationOptions,
  udpEncapsulationModules,
  udpEncapsulationProbes,
} from '../../src/plugin-kit.js';

interface SitOptions extends OuterPacketOptions, UdpEncapsulationOptions {}

/** IPv6 in IPv4 (6in4), point to point. */
export const sit: ModePlugin<SitOptions> = {
  name: 'sit',
  kind: 'sit',
  description: 'IPv6 in IPv4 (sit, 6in4)',
  outer: 'ipv4',
  inner: ['ipv6'],
  remote: 'required',
  kernelModules: ['sit'],
  fallbackDevices: ['sit0'],
  modulesFor: (end) => udpEncapsulationModules(end.options),
  options: { ...outerPacketOptions, ...udpEncapsulationOptions },
  rules: pmtuRules,
  check: checkPmtuWithTtl,
  identity: endpointIdentity,
  // IPv6 in IPv4 is IP protocol 41.
  receives: () => [41],
  networkd(end) {
    const udp = networkdUdpEncapsulation(end.options, 41);
    return {
      tunnel: [...networkdEndpoints(end), ...networkdOuterPacket(end.options), ...udp.tunnel],
      companions: udp.companions,
    };
  },
  ifupdown(end) {
    const primary = firstAddress(end, 'ipv6');
    if (!primary || ifupdownNeedsManual(end.options) || hasUdpEncapsulation(end.options)) {
      return {
        method: 'manual',
        ipLinkAdd: [
          'type',
          'sit',
          ...ipLinkEndpoints(end),
          ...ipLinkOuterPacket(end.options),
          ...ipLinkUdpEncapsulation(end.options),
        ],
        ...ifupdownUdpEncapsulation(end.options, 41),
      };
    }
    return {
      method: 'v4tunnel',
      family: 'inet6',
      // v4tunnel has no peer option: an address with a peer is added by an `up` line instead.
      primary: primary.peer === undefined ? primary : undefined,
      options: [...ifupdownEndpoints(end)],
    };
  },
  expect: (end) => ({ data: expectedOuterPacket(end), probes: udpEncapsulationProbes(end.options) }),
};
