import type { ModePlugin } from '../../src/contract.js';
import {
  checkKeyOptions,
  checkPmtuWithTtl,
  expectedKeys,
  expectedOuterPacket,
  ifupdownTunnel,
  keyedIdentity,
  type KeyOptions,
  keyOptions,
  keyRules,
  networkdEndpoints,
  networkdKeys,
  networkdOuterPacket,
  networkdUdpEncapsulation,
  outerPacketOptions,
  type OuterPacketOptions,
  pmtuRules,
  swapKeys,
  udpEncapsulationModules,
  udpEncapsulationOptions,
  type UdpEncapsulationOptions,
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
  // ifupdown's tunnel method has no key option either.
  ifupdown: (end) =>
    ifupdownTunnel(end, { method: 'tunnel', family: 'inet', options: [['mode', 'gre']], peer: true }, 47),
  expect: (end) => ({
    data: { ...expectedOuterPacket(end), ...expectedKeys(end.options) },
    probes: udpEncapsulationProbes(end.options),
  }),
};
