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
} from '../../src/plugin-kit.js';

/** IPv4 in IPv4, the simplest tunnel. */
export const ipip: ModePlugin = {
  name: 'ipip',
  description: 'IPv4 in IPv4 (ipip)',
  outer: 'ipv4',
  inner: ['ipv4'],
  remote: 'required',
  kernelModules: ['ipip'],
  options: outerPacketOptions,
  rules: pmtuRules,
  check: checkPmtuWithTtl,
  identity: (end) => endpointIdentity('ipip', end),
  receives: () => [4],
  networkd: (end) => ({ kind: 'ipip', tunnel: [...networkdEndpoints(end), ...networkdOuterPacket(end.options)] }),
  ifupdown(end) {
    const primary = firstAddress(end, 'ipv4');
    if (!primary || ifupdownNeedsManual(end.options)) {
      return {
        method: 'manual',
        ipLinkAdd: ['type', 'ipip', ...ipLinkEndpoints(end), ...ipLinkOuterPacket(end.options)],
      };
    }
    return {
      method: 'tunnel',
      family: 'inet',
      primary,
      options: [['mode', 'ipip'], ...ifupdownEndpoints(end), ...ifupdownPeer(primary)],
    };
  },
  expect: (end) => ({ kind: 'ipip', data: expectedOuterPacket(end) }),
};

export default ipip;
