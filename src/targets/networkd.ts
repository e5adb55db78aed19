import type { ModePlugin, TunnelEnd } from '../contract.js';
import type { Target } from './target.js';

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
  plan(end: TunnelEnd, plugin: ModePlugin) {
    const netdev = plugin.networkd(end);
    const base = `10-tungen-${end.name}`;
    return [
      {
        name: `${base}.netdev`,
        template: 'networkd/netdev',
        context: {
          name: end.name,
          kind: netdev.kind,
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
            peer: a.peer === undefined ? undefined : `${a.peer}/${a.prefix}`,
          })),
          routes: end.routes.map((r) => ({ destination: r.destination })),
        },
      },
    ];
  },
};
