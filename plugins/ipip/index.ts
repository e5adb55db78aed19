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

interface IpipOptions extends OuterPacketOptions, UdpEncapsulationOptions {}

/** IPv4 in IPv4, the simplest tunnel. */
export const ipip: ModePlugin<IpipOptions> = {
  name: 'ipip',
  kind: 'ipip',
  description: 'IPv4 in IPv4 (ipip)',
  outer: 'ipv4',
  inner: ['ipv4'],
  remote: 'required',
  kernelModules: ['ipip'],
  fallbackDevices: ['tunl0'],
  modulesFor: (end) => udpEncapsulationModules(end.options),
  options: { ...outerPacketOptions, ...udpEncapsulationOptions },
  rules: pmtuRules,
  check: checkPmtuWithTtl,
  identity: endpointIdentity,
  receives: () => [4],
  networkd(end) {
    // IPv4 in IPv4 is IP protocol 4, which a FOU receive port hands the packets to.
    const udp = networkdUdpEncapsulation(end.options, 4);
    return {
      tunnel: [...networkdEndpoints(end), ...networkdOuterPacket(end.options), ...udp.tunnel],
      companions: udp.companions,
    };
  },
  ifupdown: (end) =>
    ifupdownTunnel(end, { method: 'tunnel', family: 'inet', options: [['mode', 'ipip']], peer: true }, 4),
  expect: (end) => ({ data: expectedOuterPacket(end), probes: udpEncapsulationProbes(end.options) }),
};
