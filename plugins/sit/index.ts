import type { ModePlugin } from '../../src/contract.js';
import {
  checkPmtuWithTtl,
  endpointIdentity,
  expectedOuterPacket,
  ifupdownTunnel,
  networkdEndpoints,
  networkdOuterPacket,
  networkdUdpEncapsulation,
  type OuterPacketOptions,
  outerPacketOptions,
  pmtuRules,
  udpEncapsulationModules,
  udpEncapsulationOptions,
  type UdpEncapsulationOptions,
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
  // v4tunnel has no peer option: an address with a peer is added by an `up` line instead.
  ifupdown: (end) => ifupdownTunnel(end, { method: 'v4tunnel', family: 'inet6', peer: false }, 41),
  expect: (end) => ({ data: expectedOuterPacket(end), probes: udpEncapsulationProbes(end.options) }),
};
