import { ipsecTunnelMode } from '../../src/plugin-kit.js';

/** VTI over IPv6: an IPsec tunnel interface carrying IPv4 and IPv6. */
export const vti6 = ipsecTunnelMode({
  name: 'vti6',
  description:
    'IPsec virtual tunnel interface over IPv6 (ip6_vti), carrying IPv4 and IPv6; keys are the xfrm marks, IPsec state comes from your IKE daemon',
  outer: 'ipv6',
  inner: ['ipv4', 'ipv6'],
  kernelModules: ['ip6_vti'],
  // ip6_vti needs ip6_tunnel, which brings ip6tnl0.
  fallbackDevices: ['ip6_vti0', 'ip6tnl0'],
  // ESP, plus the IPv6-in-IPv6 and IPv4-in-IPv6 handlers ip6_vti registers for IPcomp, as ip_vti does over IPv4.
  receives: [50, 41, 4],
});
