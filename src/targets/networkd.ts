import type { NetworkdNetdev, TunnelEnd } from '../contract.js';
import type { Target } from './target.js';

const netdevs = new WeakMap<TunnelEnd, NetworkdNetdev>();

/**
 * The end's netdev as its mode's networkd() gives it, asked once per end: the checks read
 * every end's companions from it before the files are planned.
 */
export function networkdNetdev(end: TunnelEnd): NetworkdNetdev {
  let netdev = netdevs.get(end);
  if (!netdev) netdevs.set(end, (netdev = end.plugin.networkd(end)));
  return netdev;
}

/**
 * systemd-networkd: a .netdev and a .network per tunnel. The 10- prefix sorts
 * them before catch-all .network files, where the first match wins.
 *
 * The netdev says Independent=yes: the alternative, Tunnel= in the underlay's
 * .network, would make tungen edit a file it does not own, and a tunnel with
 * neither is silently never created.
 */
export const networkd: Target = {
  name: 'networkd',
  configDir: '/etc/systemd/network',
  plan(end: TunnelEnd) {
    const netdev = networkdNetdev(end);
    const base = `10-tungen-${end.name}`;
    // A companion's file carries the tunnel's name too, so apply removes it with the tunnel.
    const companions = (netdev.companions ?? []).map((companion) => ({
      name: `${base}-${companion.name}.netdev`,
      template: 'networkd/companion',
      context: {
        name: companion.name,
        kind: companion.kind,
        section: companion.section,
        keys: companion.keys.map(([key, value]) => ({ key, value })),
      },
    }));
    return [
      ...companions,
      {
        name: `${base}.netdev`,
        template: 'networkd/netdev',
        context: {
          name: end.name,
          kind: end.plugin.kind,
          mtu: end.mtu,
          tunnel: [...netdev.tunnel, ['Independent', 'yes']].map(([key, value]) => ({ key, value })),
        },
      },
      {
        name: `${base}.network`,
        template: 'networkd/network',
        context: {
          name: end.name,
          addresses: end.addresses.map((a) => ({
            address: `${a.address}/${a.prefix}`,
            peer: a.peer === undefined || a.peerIsNeighbour ? undefined : `${a.peer}/${a.prefix}`,
          })),
          routes: end.routes.map((r) => ({
            destination: r.destination,
            // Each key in [Route]'s own words, in the order `ip route` prints them.
            keys: [
              ...(r.via === undefined ? [] : [['Gateway', r.via]]),
              ...(r.onLink ? [['GatewayOnLink', 'yes']] : []),
              ...(r.source === undefined ? [] : [['PreferredSource', r.source]]),
              ...(r.metric === undefined ? [] : [['Metric', r.metric]]),
              ...(r.table === undefined ? [] : [['Table', r.table]]),
              ...(r.scope === undefined ? [] : [['Scope', r.scope]]),
            ].map(([key, value]) => ({ key, value })),
          })),
        },
      },
    ];
  },
};
