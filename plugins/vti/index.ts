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

/** VTI: an IPsec tunnel interface; its keys are the marks the xfrm policies match. */
export const vti: ModePlugin = {
  name: 'vti',
  description:
    'IPsec virtual tunnel interface over IPv4 (ip_vti); keys are the xfrm marks, IPsec state comes from your IKE daemon',
  outer: 'ipv4',
  inner: ['ipv4'],
  remote: 'required',
  kernelModules: ['ip_vti'],
  options: keyOptions,
  mirrorOptions: swapKeys,
  rules: {
    ...keyRules,
    'missing-key': 'a VTI without a key in both directions, which would match IPsec policies meant for other traffic',
  },
  check(end, report) {
    checkKeyOptions(end, report);
    // Both directions need a mark: a missing one is 0, which matches IPsec policies meant for other traffic.
    const { input, output } = effectiveKeys(end.options);
    if (input === undefined || output === undefined) {
      report.error(
        'missing-key',
        'mode vti needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies',
      );
    }
  },
  identity: (end) => endpointIdentity('vti', end, true),
  // ESP, plus the IPIP and IPv6-in-IPv4 handlers ip_vti registers for IPcomp, ahead of ipip and sit.
  receives: () => [50, 4, 41],
  networkd: (end) => ({ kind: 'vti', tunnel: [...networkdEndpoints(end), ...networkdKeys(end.options)] }),
  // ifupdown has no VTI method and its tunnel method takes no keys.
  ifupdown: (end) => ({
    method: 'manual',
    ipLinkAdd: ['type', 'vti', ...ipLinkEndpoints(end), ...ipLinkKeys(end.options)],
  }),
  expect(end) {
    const { input, output } = effectiveKeys(end.options);
    return {
      kind: 'vti',
      data: { local: end.local!, remote: end.remote!, ...(input && { ikey: input }), ...(output && { okey: output }) },
      probes: output ? [ipsecStateProbe(output)] : [],
    };
  },
};
