import type { InnerAddress, InnerRoute, TunnelEnd } from '../contract.js';
import type { Target } from './target.js';

type Line = { key: string; words: Array<string | number> };

/** `ip addr add` arguments: with a peer the prefix belongs to the peer, as iproute2 defines it. */
function addressWords(a: InnerAddress): string[] {
  return a.peer === undefined || a.peerIsNeighbour
    ? [`${a.address}/${a.prefix}`]
    : [a.address, 'peer', `${a.peer}/${a.prefix}`];
}

/** `ip route add` arguments after the destination, in the order iproute2 documents them. */
function routeWords(route: InnerRoute, dev: string): Array<string | number> {
  return [
    ...(route.via === undefined ? [] : ['via', route.via]),
    'dev',
    dev,
    ...(route.onLink ? ['onlink'] : []),
    ...(route.source === undefined ? [] : ['src', route.source]),
    ...(route.metric === undefined ? [] : ['metric', route.metric]),
    ...(route.table === undefined ? [] : ['table', route.table]),
    ...(route.scope === undefined ? [] : ['scope', route.scope]),
  ];
}

/**
 * Debian ifupdown: one stanza per tunnel for /etc/network/interfaces.d/. The
 * file name has no dot, as run-parts style `source-directory` skips those.
 */
export const ifupdown: Target = {
  name: 'ifupdown',
  configDir: '/etc/network/interfaces.d',
  plan(end: TunnelEnd) {
    const link = end.plugin.ifupdown(end);
    const lines: Line[] = [];
    let family: string;
    let method: string;
    let configured: InnerAddress | undefined;
    // Each name follows `name` or `dev`, so iproute2 can only read it as a name.
    if ('ipLinkAdd' in link) {
      family = end.addresses.some((a) => a.family === 'ipv4') || end.addresses.length === 0 ? 'inet' : 'inet6';
      method = 'manual';
      const mtu = end.mtu === undefined ? [] : ['mtu', end.mtu];
      for (const command of link.setup ?? []) lines.push({ key: 'pre-up', words: command });
      lines.push({ key: 'pre-up', words: ['ip', 'link', 'add', 'name', end.name, ...mtu, ...link.ipLinkAdd] });
      lines.push({ key: 'up', words: ['ip', 'link', 'set', 'dev', end.name, 'up'] });
    } else {
      ({ family, method } = link);
      configured = link.primary;
      // ifupdown 0.8's inet methods run `ip addr add %address%/%netmask%` without splitting
      // ADDRESS/PREFIX, so they fail on a missing netmask; inet6 methods take ADDRESS/PREFIX.
      if (!configured) {
        // The method configures no address; all of them come from `up` lines below.
      } else if (family === 'inet')
        lines.push({ key: 'address', words: [configured.address] }, { key: 'netmask', words: [configured.prefix] });
      else lines.push({ key: 'address', words: [`${configured.address}/${configured.prefix}`] });
      lines.push(...link.options.map(([key, value]) => ({ key, words: [value as string | number] })));
      if (end.mtu !== undefined) lines.push({ key: 'mtu', words: [end.mtu] });
    }
    for (const address of end.addresses) {
      if (address !== configured)
        lines.push({ key: 'up', words: ['ip', 'addr', 'add', ...addressWords(address), 'dev', end.name] });
    }
    for (const route of end.routes) {
      lines.push({ key: 'up', words: ['ip', 'route', 'add', route.destination, ...routeWords(route, end.name)] });
    }
    if ('ipLinkAdd' in link) {
      lines.push({ key: 'post-down', words: ['ip', 'link', 'del', 'dev', end.name] });
      for (const command of link.teardown ?? []) lines.push({ key: 'post-down', words: command });
    }
    return [
      { name: `tungen-${end.name}`, template: 'ifupdown/stanza', context: { name: end.name, family, method, lines } },
    ];
  },
};
