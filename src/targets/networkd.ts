import type { InnerRoute, KeyValues, NetworkdNetdev, Scalar, TunnelEnd } from '../contract.js';
import type { FilePlan, Target } from './target.js';

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
    const files: FilePlan[] = [];
    // A companion's file carries the tunnel's name too, so apply removes it with the tunnel.
    // Index loops: see keyed.
    const companions = netdev.companions ?? [];
    for (let i = 0; i < companions.length; i++) {
      const companion = companions[i]!;
      files.push({
        name: `${base}-${companion.name}.netdev`,
        template: 'networkd/companion',
        context: {
          name: companion.name,
          kind: companion.kind,
          section: companion.section,
          keys: keyed(companion.keys),
        },
      });
    }
    const tunnel = keyed(netdev.tunnel);
    tunnel.push({ key: 'Independent', value: 'yes' });
    const addresses: Array<{ address: string; peer: string | undefined }> = [];
    for (let i = 0; i < end.addresses.length; i++) {
      const a = end.addresses[i]!;
      addresses.push({
        address: `${a.address}/${a.prefix}`,
        peer: a.peer === undefined || a.peerIsNeighbour ? undefined : `${a.peer}/${a.prefix}`,
      });
    }
    files.push(
      {
        name: `${base}.netdev`,
        template: 'networkd/netdev',
        context: { name: end.name, kind: end.plugin.kind, mtu: end.mtu, tunnel },
      },
      {
        name: `${base}.network`,
        template: 'networkd/network',
        context: { name: end.name, addresses, routes: end.routes.map(routeSection) },
      },
    );
    return files;
  },
};

type Key = { key: string; value: Scalar };

/**
 * Key-value pairs as the templates take them. Planning runs this for every tunnel, mostly in
 * a young process where V8 still interprets the code: an index loop, and no destructuring of
 * the pairs, spares an iterator and its result objects per pair there.
 */
function keyed(pairs: KeyValues): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < pairs.length; i++) keys.push({ key: pairs[i]![0], value: pairs[i]![1] });
  return keys;
}

/** A [Route] section: each key in [Route]'s own words, in the order `ip route` prints them. */
function routeSection(r: InnerRoute): { destination: string; keys: Key[] } {
  const keys: Key[] = [];
  if (r.via !== undefined) keys.push({ key: 'Gateway', value: r.via });
  if (r.onLink) keys.push({ key: 'GatewayOnLink', value: 'yes' });
  if (r.source !== undefined) keys.push({ key: 'PreferredSource', value: r.source });
  if (r.metric !== undefined) keys.push({ key: 'Metric', value: r.metric });
  if (r.table !== undefined) keys.push({ key: 'Table', value: r.table });
  if (r.scope !== undefined) keys.push({ key: 'Scope', value: r.scope });
  return { destination: r.destination, keys };
}
