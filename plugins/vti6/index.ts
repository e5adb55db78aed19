import type { ModePlugin } from '../../src/contract.js';
import {
  checkKeyOptions,
  effectiveKeys,
  endpointIdentity,
  ipLinkEndpoints,
  ipLinkKeys,
  ipsecStateProbe,
  keyOptions,
  keyRules,
  networkdEndpoints,
  networkdKeys,
  swapKeys,
} from '../../src/plugin-kit.js';

/** VTI over IPv6: an IPsec tunnel interface; its keys are the marks the xfrm policies match. */
export const vti6: ModePlugin = {
  name: 'vti6',
  description:
    'IPsec virtual tunnel interface over IPv6 (ip6_vti), carrying IPv4 and IPv6; keys are the xfrm marks, IPsec state comes from your IKE daemon',
  outer: 'ipv6',
  inner: ['ipv4', 'ipv6'],
  remote: 'required',
  kernelModules: ['ip6_vti'],
  options: keyOptions,
  mirrorOptions: swapKeys,
  rules: {
    ...keyRules,
    'missing-key': 'a VTI without a key in both directions, which would match IPsec policies meant for other traffic',
  },
  check(end, report) {
    checkKeyOptions(end, report);
    const { input, output } = effectiveKeys(end.options);
    if (input === undefined || output === undefined) {
      report.error(
        'missing-key',
        'mode vti6 needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies',
      );
    }
  },
  identity: (end) => endpointIdentity('vti6', end, true),
  // ESP, plus the IPv6-in-IPv6 and IPv4-in-IPv6 handlers ip6_vti registers for IPcomp, as ip_vti does over IPv4.
  receives: () => [50, 41, 4],
  networkd: (end) => ({ kind: 'vti6', tunnel: [...networkdEndpoints(end), ...networkdKeys(end.options)] }),
  // ifupdown has no VTI method.
  ifupdown: (end) => ({
    method: 'manual',
    ipLinkAdd: ['type', 'vti6', ...ipLinkEndpoints(end), ...ipLinkKeys(end.options)],
  }),
  expect(end) {
    const { input, output } = effectiveKeys(end.options);
    return {
      kind: 'vti6',
      data: { local: end.local!, remote: end.remote!, ...(input && { ikey: input }), ...(output && { okey: output }) },
      probes: output ? [ipsecStateProbe(output)] : [],
    };
  },
};
