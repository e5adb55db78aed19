import type { Family, ModePlugin } from '../../src/contract.js';
import {
  expectedEndpoints,
  ip6OuterOptions,
  type Ip6OuterOptions,
  ipLinkEndpoints,
  ipLinkIp6Outer,
  networkdEndpoints,
  networkdIp6Outer,
} from '../../src/plugin-kit.js';

/**
 * ip6_tunnel's three kernel modes as three mode names: what a tunnel carries
 * decides its inner families and the outer protocol it takes in, so each is a
 * mode of its own rather than an option that changes both.
 */
function ip6tnlMode(
  name: string,
  kernelMode: 'ip6ip6' | 'ipip6' | 'any',
  inner: readonly Family[],
): ModePlugin<Ip6OuterOptions> {
  // IPv6 inside is protocol 41, IPv4 inside protocol 4.
  const protocols = [...(inner.includes('ipv4') ? [4] : []), ...(inner.includes('ipv6') ? [41] : [])];
  const carried = inner.map((f) => (f === 'ipv4' ? 'IPv4' : 'IPv6')).join(' and ');
  return {
    name,
    kind: 'ip6tnl',
    description: `${carried} over IPv6 (ip6_tunnel, mode ${kernelMode})`,
    outer: 'ipv6',
    inner,
    remote: 'required',
    kernelModules: ['ip6_tunnel'],
    fallbackDevices: ['ip6tnl0'],
    options: ip6OuterOptions,
    rules: {
      'mtu-minimum': 'an MTU below 1280 on a tunnel that may carry IPv6, which the kernel refuses',
    },
    check(end, report) {
      // ip6_tnl_change_mtu refuses less than IPv6's minimum whenever the tunnel may carry IPv6.
      if (inner.includes('ipv6') && end.mtu !== undefined && end.mtu < 1280) {
        report.error(
          'mtu-minimum',
          `mtu ${end.mtu} is below 1280; the kernel refuses it for mode ${name}, which carries IPv6`,
          ['mtu'],
        );
      }
    },
    // The kernel finds an ip6_tunnel by its endpoints alone, whatever its mode:
    // ip6ip6 and ipip6 between the same two addresses cannot both exist.
    identity: (end) => [end.plugin.kind, end.local, end.remote].join('|'),
    receives: () => protocols,
    networkd: (end) => ({
      tunnel: [['Mode', kernelMode], ...networkdEndpoints(end), ...networkdIp6Outer(end.options)],
    }),
    // ifupdown's inet6 tunnel method knows ip6ip6 and ipip6 but not flow labels or mode any: ip link does all three.
    ifupdown: (end) => ({
      method: 'manual',
      ipLinkAdd: ['type', 'ip6tnl', 'mode', kernelMode, ...ipLinkEndpoints(end), ...ipLinkIp6Outer(end.options)],
    }),
    expect: (end) => ({ data: { ...expectedEndpoints(end), proto: kernelMode } }),
  };
}

export const ip6ip6 = ip6tnlMode('ip6ip6', 'ip6ip6', ['ipv6']);
export const ipip6 = ip6tnlMode('ipip6', 'ipip6', ['ipv4']);
export const ip6tnl = ip6tnlMode('ip6tnl', 'any', ['ipv4', 'ipv6']);
