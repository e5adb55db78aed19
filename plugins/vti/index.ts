import { ipsecTunnelMode } from '../../src/plugin-kit.js';

/** VTI: an IPsec tunnel interface over IPv4. */
export const vti = ipsecTunnelMode({
  name: 'vti',
  description:
    'IPsec virtual tunnel interface over IPv4 (ip_vti); keys are the xfrm marks, IPsec state comes from your IKE daemon',
  outer: 'ipv4',
  inner: ['ipv4'],
  kernelModules: ['ip_vti'],
  fallbackDevices: ['ip_vti0'],
  // ESP, plus the IPIP and IPv6-in-IPv4 handlers ip_vti registers for IPcomp, ahead of ipip and sit.
  receives: [50, 4, 41],
});
