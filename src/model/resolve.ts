import type { Family, InnerAddress, InnerRoute, ModePlugin, SpecPath, TunnelEnd } from '../contract.js';
import { coreProblem, formatPath, quote, type Problem } from '../diagnostics.js';
import type { CoreRule } from '../rules.js';
import { groupByHost } from './by-host.js';
import { caseCollisions } from './case-fold.js';
import { interfaceNameProblem } from './interface-names.js';
import { baseTunnelProperties } from '../schema/assemble.js';
import type { RawAddress, RawHost, RawRoute, RawSpec, RawTunnel } from '../spec/types.js';
import {
  canonical,
  familyOf,
  maxPrefix,
  networkCidr,
  parseCidr,
  sameSubnet,
  unusableInner,
  unusableOuter,
} from './ip.js';

const familyName = (family: Family) => (family === 'ipv4' ? 'IPv4' : 'IPv6');

/** Collects problems found while expanding the spec; a bad value yields no end rather than a half-built one. */
class Collector {
  readonly problems: Problem[] = [];
  private readonly seen = new Set<string>();
  /**
   * Where each address parsed from the spec is written. A plugin may add addresses
   * (ISATAP derives one), so an address's index in an end is not its index in the spec.
   * A Map of this run rather than a module-wide WeakMap: adding to a WeakMap costs more,
   * and nothing asks after the run.
   */
  readonly writtenAt = new Map<InnerAddress, SpecPath>();
  /** Where each route parsed from the spec is written, for the checks that need the end's addresses. */
  readonly routeWrittenAt = new Map<InnerRoute, SpecPath>();
  error(rule: CoreRule, message: string, path: SpecPath, atKey?: true): void {
    // Both ends of a tunnel read the same hosts and tunnel-wide routes: one report per problem.
    const id = `${path.join('/')}\n${message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.problems.push(coreProblem(rule, message, path, atKey ? { atKey } : {}));
  }
}

/**
 * Expands every tunnel into the ends each host renders: the two-ended form
 * becomes two mirrored ends, the one-ended form one end.
 */
export function resolveEnds(
  spec: RawSpec,
  plugins: ReadonlyMap<string, ModePlugin>,
  skip: ReadonlySet<number> = new Set(),
): { ends: TunnelEnd[]; problems: Problem[] } {
  const out = new Collector();
  checkHosts(spec, out);
  const ends: TunnelEnd[] = [];
  // Loops that run per tunnel or end index their arrays: until V8 optimizes a for-of loop it
  // allocates an iterator and a result per step, and this runs once per spec.
  for (let index = 0; index < spec.tunnels.length; index++) {
    const tunnel = spec.tunnels[index];
    // Tunnels the schema refused are not expanded: their values are not safe to reason about.
    if (skip.has(index) || !tunnel || typeof tunnel !== 'object') continue;
    const plugin = plugins.get(tunnel.mode);
    if (!plugin) continue;
    const path: SpecPath = ['tunnels', index];
    const resolved = tunnel.ends
      ? twoEnded(spec, tunnel, plugin, path, out)
      : oneEnded(spec, tunnel, plugin, path, out);
    for (let k = 0; k < resolved.length; k++) ends.push(resolved[k]!);
  }
  checkRouteIdentity(ends, out);
  return { ends, problems: out.problems };
}

/**
 * What is wrong with the hosts themselves, whether or not a tunnel uses them: names
 * that are one folder where case does not count (macOS, Windows, FAT file systems
 * under --out), and underlay addresses that cannot carry a tunnel.
 */
function checkHosts(spec: RawSpec, out: Collector): void {
  const hosts = spec.hosts ?? {};
  for (const { item: name, first } of caseCollisions(Object.keys(hosts), (host) => host))
    out.error(
      'host/case-collision',
      `host ${quote(name)} differs from host ${quote(first)} only in case; their folders under --out would be one folder on a case-insensitive file system (rename one)`,
      ['hosts', name],
      true,
    );
  for (const name of Object.keys(hosts)) {
    for (const u of underlaysOf(spec, name)) {
      const family = familyOf(u.text);
      if (family) outerUsable(canonical(u.text, family), family, u.path, out);
    }
  }
}

/** Whether the spec lists any host; without listing them all, as it is asked once per tunnel. */
function listsHosts(spec: RawSpec): boolean {
  for (const name in spec.hosts ?? {}) if (Object.hasOwn(spec.hosts!, name)) return true;
  return false;
}

/** The tunnel's keys that are its mode's options, in the spec's order. */
function modeOptions(tunnel: RawTunnel): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const keys = Object.keys(tunnel);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // No "__proto__" comes this far (it would set the prototype): the schema refuses a key the mode does not name.
    if (!Object.hasOwn(baseTunnelProperties, key) && key !== 'mode') options[key] = tunnel[key];
  }
  return options;
}

function twoEnded(spec: RawSpec, tunnel: RawTunnel, plugin: ModePlugin, path: SpecPath, out: Collector): TunnelEnd[] {
  const oneEndedKeys = ['host', 'local', 'remote', 'addresses'].filter((key) => tunnel[key] !== undefined);
  for (const key of oneEndedKeys) {
    out.error(
      'tunnel/mixed-forms',
      `${quote(key)} belongs to the one-ended form; with "ends" it comes from hosts and ends`,
      [...path, key],
    );
  }
  const [first, second] = tunnel.ends!;
  if (first.host === second.host) {
    out.error('tunnel/same-host', `both ends are on host ${quote(first.host)}; a tunnel joins two different hosts`, [
      ...path,
      'ends',
      1,
      'host',
    ]);
    return [];
  }
  const known = tunnel.ends!.map((end, k) => {
    const host = hostOf(spec, end.host);
    if (!host) out.error('host/unknown', unknownHost(spec, end.host), [...path, 'ends', k, 'host']);
    return host !== undefined;
  });
  if (oneEndedKeys.length || !known.every(Boolean)) return [];
  // Each end's outer address: the one it names, or the host's first of the mode's family.
  const underlays = tunnel.ends!.map((end, k) =>
    pickUnderlay(
      spec,
      end.host,
      plugin,
      end.underlay === undefined ? undefined : { text: end.underlay, path: [...path, 'ends', k, 'underlay'] },
      out,
    ),
  );

  const options = modeOptions(tunnel);
  const built = tunnel.ends!.map((end, k): TunnelEnd | undefined => {
    const endPath = [...path, 'ends', k];
    const other = tunnel.ends![1 - k]!;
    const ownNamePath = end.name === undefined ? undefined : [...endPath, 'name'];
    checkName(end.name ?? tunnel.name, end.name === undefined ? path : endPath, out);
    const local = underlays[k];
    const remote = plugin.remote === 'none' ? undefined : underlays[1 - k];
    const addresses = innerAddresses(end.addresses ?? [], plugin, endPath, out);
    const routes = [
      ...innerRoutes(tunnel.routes ?? [], plugin, path, out),
      ...innerRoutes(end.routes ?? [], plugin, endPath, out),
    ];
    return buildEnd(plugin, {
      host: end.host,
      name: end.name ?? tunnel.name,
      ...(ownNamePath && { namePath: ownNamePath }),
      local,
      remote,
      addresses,
      routes,
      options: k === 0 || !plugin.mirrorOptions ? options : plugin.mirrorOptions(options),
      peerHost: other.host,
      mode: plugin.name,
      plugin,
      mtu: tunnel.mtu,
      path,
    });
  });
  if (!built[0] || !built[1]) return [];
  if (built[0].remote !== undefined && built[0].local === built[0].remote) {
    out.error(
      'address/local-is-remote',
      `hosts ${quote(first.host)} and ${quote(second.host)} have the same underlay ${built[0].local}; local and remote of a tunnel must differ`,
      [...path, 'ends', 1, 'host'],
    );
    return [];
  }
  pairPeers(built[0], built[1], plugin, path, out);
  checkRoutes(built[0], out);
  checkRoutes(built[1], out);
  return [built[0], built[1]];
}

function oneEnded(spec: RawSpec, tunnel: RawTunnel, plugin: ModePlugin, path: SpecPath, out: Collector): TunnelEnd[] {
  // Each field read once: the checks below ask about host, local and remote several times each.
  const { host, local: localText, remote: remoteText, name } = tunnel;
  if (host === undefined && listsHosts(spec)) {
    out.error(
      'host/missing',
      'missing field "host": a spec that lists hosts says which host a one-ended tunnel belongs to (or use "ends")',
      path,
    );
    return [];
  }
  if (host !== undefined && !hostOf(spec, host)) {
    out.error('host/unknown', unknownHost(spec, host), [...path, 'host']);
    return [];
  }
  if (localText === undefined && host === undefined) {
    out.error('address/missing', 'missing field "local": the outer address of this machine', path);
  }
  if (plugin.remote === 'none' && remoteText !== undefined) {
    out.error('address/unexpected-remote', `mode ${plugin.name} has no remote endpoint; remove "remote"`, [
      ...path,
      'remote',
    ]);
  }
  if (plugin.remote === 'required' && remoteText === undefined) {
    out.error(
      'address/missing',
      `missing field "remote": mode ${plugin.name} needs the outer address of the other end`,
      path,
    );
  }
  const local =
    localText !== undefined
      ? outer(localText, plugin, path, out, 'local')
      : host !== undefined
        ? pickUnderlay(spec, host, plugin, undefined, out)
        : undefined;
  const remote =
    plugin.remote === 'none' || remoteText === undefined ? undefined : outer(remoteText, plugin, path, out, 'remote');
  checkName(name, path, out);
  const addresses = innerAddresses(tunnel.addresses ?? [], plugin, path, out);
  const routes = innerRoutes(tunnel.routes ?? [], plugin, path, out);
  const end = buildEnd(plugin, {
    host,
    name,
    local,
    remote,
    addresses,
    routes,
    options: modeOptions(tunnel),
    peerHost: undefined,
    mode: plugin.name,
    plugin,
    mtu: tunnel.mtu,
    path,
  });
  if (!end) return [];
  if (local === remote) out.error('address/local-is-remote', `local and remote are both ${local}`, [...path, 'remote']);
  markNeighbours(end, plugin, out);
  checkPeers(end, out);
  checkRoutes(end, out);
  return [end];
}

/** An end whose parts were each resolved on its own: undefined where that part was refused. */
type EndParts = Omit<TunnelEnd, 'local' | 'addresses' | 'routes'> & {
  local: string | undefined;
  addresses: InnerAddress[] | undefined;
  routes: Array<InnerRoute | undefined>;
};

/** The end once no part was refused, with what the mode derives; undefined when any part was refused. */
function buildEnd(plugin: ModePlugin, parts: EndParts): TunnelEnd | undefined {
  const { local, remote, addresses, routes } = parts;
  if (!local || (plugin.remote !== 'none' && !remote) || !addresses || !routes.every(Boolean)) return undefined;
  // With every part there, the parts are the end: no second object per end.
  const end = parts as TunnelEnd;
  return plugin.completeEnd ? plugin.completeEnd(end) : end;
}

/**
 * A name ip, ifupdown or networkd would read as a keyword, an option or nothing at all,
 * reported at the "name" of `owner` (the tunnel, or the end that names its own).
 */
function checkName(name: string, owner: SpecPath, out: Collector): void {
  const problem = interfaceNameProblem(name);
  if (problem) out.error(problem.rule, problem.message, [...owner, 'name']);
}

function unknownHost(spec: RawSpec, host: string): string {
  const known = Object.keys(spec.hosts ?? {});
  // A fleet's list would make one message of thousands of names.
  const shown = known.length > 10 ? `${known.slice(0, 10).join(', ')} and ${known.length - 10} more` : known.join(', ');
  return `unknown host ${quote(host)}; ${known.length ? `hosts are: ${shown}` : 'the spec lists no hosts'}`;
}

/** The host of that name, read as data: `constructor` or `toString` is a host only when the spec lists it. */
function hostOf(spec: RawSpec, name: string): RawHost | undefined {
  return spec.hosts && Object.hasOwn(spec.hosts, name) ? spec.hosts[name] : undefined;
}

/** An outer address in the family the mode runs over; a problem is reported at fieldPath(path, key). */
function outer(text: string, plugin: ModePlugin, path: SpecPath, out: Collector, key?: string): string | undefined {
  const family = familyOf(text);
  if (!family) {
    out.error('address/invalid', `${quote(text)} is not an IP address`, fieldPath(path, key));
    return undefined;
  }
  if (family !== plugin.outer) {
    out.error(
      'address/family',
      `mode ${plugin.name} runs over ${familyName(plugin.outer)}, but ${text} is ${familyName(family)}`,
      fieldPath(path, key),
    );
    return undefined;
  }
  const address = canonical(text, family);
  if (!outerUsable(address, family, path, out, key)) return undefined;
  return address;
}

/**
 * `path`, or its `key` when one is given: a tunnel's own fields pass the tunnel's path and
 * the key, so that a path for the field is made only for a problem.
 */
const fieldPath = (path: SpecPath, key: string | undefined): SpecPath => (key === undefined ? path : [...path, key]);

/** Refuses an outer address that names no single reachable machine; true when it is usable. */
function outerUsable(address: string, family: Family, path: SpecPath, out: Collector, key?: string): boolean {
  const why = unusableOuter(address, family);
  if (why === undefined) return true;
  out.error(
    'address/outer-unusable',
    `${address} is ${why}; the outer addresses of a tunnel are unicast addresses its two hosts reach each other at`,
    fieldPath(path, key),
  );
  return false;
}

interface Written {
  text: string;
  path: SpecPath;
}

/** A host's underlay addresses with where each is written. */
function underlaysOf(spec: RawSpec, host: string): Written[] {
  const found: unknown = hostOf(spec, host);
  // A host the schema refused (not a mapping, underlay not text) has nothing to read here.
  if (!found || typeof found !== 'object') return [];
  const underlay: unknown = (found as RawHost).underlay;
  if (typeof underlay !== 'string' && !Array.isArray(underlay)) return [];
  const at: SpecPath = ['hosts', host, 'underlay'];
  return typeof underlay === 'string'
    ? [{ text: underlay, path: at }]
    : underlay.flatMap((text: unknown, i) => (typeof text === 'string' ? [{ text, path: [...at, i] }] : []));
}

/**
 * The outer address a tunnel end uses on a host: the one the end names (it
 * must be one of the host's), else the host's first underlay of the family
 * the mode runs over.
 */
function pickUnderlay(
  spec: RawSpec,
  host: string,
  plugin: ModePlugin,
  named: Written | undefined,
  out: Collector,
): string | undefined {
  const listed = underlaysOf(spec, host);
  const bad = listed.filter((u) => familyOf(u.text) === undefined);
  for (const u of bad) out.error('address/invalid', `${quote(u.text)} is not an IP address`, u.path);
  if (named) {
    const family = familyOf(named.text);
    const same = (u: Written) =>
      family !== undefined &&
      familyOf(u.text) === family &&
      canonical(u.text, family) === canonical(named.text, family);
    if (family !== undefined && !listed.some(same)) {
      out.error(
        'address/underlay-unknown',
        `${named.text} is not an underlay address of host ${quote(host)}; its underlay: ${listed.map((u) => u.text).join(', ')}`,
        named.path,
      );
      return undefined;
    }
    return outer(named.text, plugin, named.path, out);
  }
  if (bad.length) return undefined;
  const fitting = listed.find((u) => familyOf(u.text) === plugin.outer);
  if (fitting) return outer(fitting.text, plugin, fitting.path, out);
  // A single underlay of the wrong family: say so at the address itself.
  if (listed.length === 1) return outer(listed[0]!.text, plugin, listed[0]!.path, out);
  out.error(
    'address/family',
    `mode ${plugin.name} runs over ${familyName(plugin.outer)}, but host ${quote(host)} has no ${familyName(plugin.outer)} underlay address (it has ${listed.map((u) => u.text).join(', ')})`,
    ['hosts', host, 'underlay'],
  );
  return undefined;
}

/** The "addresses" of `owner` (a tunnel, or an end); undefined when any is refused. */
function innerAddresses(
  raw: readonly RawAddress[],
  plugin: ModePlugin,
  owner: SpecPath,
  out: Collector,
): InnerAddress[] | undefined {
  let ok = true;
  const result: InnerAddress[] = [];
  // A single address cannot repeat: the Map is made for a list of two or more.
  const listed = raw.length > 1 ? new Map<string, InnerAddress>() : undefined;
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i]!;
    const at: SpecPath = [...owner, 'addresses', i];
    const itemPath = typeof item === 'string' ? at : [...at, 'address'];
    const cidr = parseCidr(typeof item === 'string' ? item : item.address);
    if (typeof cidr === 'string') {
      out.error('address/invalid', `${quote(typeof item === 'string' ? item : item.address)}: ${cidr}`, itemPath);
      ok = false;
      continue;
    }
    if (!plugin.inner.includes(cidr.family)) {
      out.error(
        'address/family',
        `mode ${plugin.name} carries ${plugin.inner.map(familyName).join(' and ')} only, but ${cidr.address} is ${familyName(cidr.family)}`,
        itemPath,
      );
      ok = false;
      continue;
    }
    const unusable = unusableInner(cidr.address, cidr.family);
    if (unusable !== undefined) {
      out.error(
        'address/inner-unusable',
        `${cidr.address}/${cidr.prefix} is ${unusable}; give the tunnel's own address`,
        itemPath,
      );
      ok = false;
      continue;
    }
    // One address per interface: ip addr refuses it again ("already assigned"), also with
    // another prefix for IPv6; networkd keeps one of the two.
    const earlier = listed?.get(cidr.address);
    if (earlier !== undefined) {
      out.error(
        'address/repeated',
        `address ${cidr.address} is already listed as ${earlier.address}/${earlier.prefix} (${formatPath(out.writtenAt.get(earlier)!)}); an interface has each address once, with one prefix length`,
        itemPath,
      );
      ok = false;
      continue;
    }
    const address: InnerAddress = { family: cidr.family, address: cidr.address, prefix: cidr.prefix };
    listed?.set(cidr.address, address);
    out.writtenAt.set(address, at);
    if (typeof item !== 'string' && item.peer !== undefined) {
      const peerFamily = familyOf(item.peer);
      if (peerFamily !== cidr.family) {
        out.error(
          'address/family',
          `peer ${quote(item.peer)} is not an ${familyName(cidr.family)} address like ${cidr.address}`,
          [...at, 'peer'],
        );
        ok = false;
        continue;
      }
      address.peer = canonical(item.peer, peerFamily);
    }
    result.push(address);
  }
  return ok ? result : undefined;
}

/** The "routes" of `owner` (a tunnel, or an end); undefined in place of each one refused. */
function innerRoutes(
  raw: readonly RawRoute[],
  plugin: ModePlugin,
  owner: SpecPath,
  out: Collector,
): Array<InnerRoute | undefined> {
  return raw.map((item, i) => {
    const text = typeof item === 'string' ? item : item.to;
    const written: SpecPath = [...owner, 'routes', i];
    const at = typeof item === 'string' ? written : [...written, 'to'];
    const cidr = parseCidr(text);
    if (typeof cidr === 'string') {
      out.error('address/invalid', `${quote(text)}: ${cidr}`, at);
      return undefined;
    }
    if (!plugin.inner.includes(cidr.family)) {
      out.error(
        'address/family',
        `mode ${plugin.name} carries ${plugin.inner.map(familyName).join(' and ')} only, but route ${text} is ${familyName(cidr.family)}`,
        at,
      );
      return undefined;
    }
    const network = networkCidr(cidr.address, cidr.prefix, cidr.family);
    if (network !== `${cidr.address}/${cidr.prefix}`) {
      out.error('route/host-bits', `route ${text} has host bits set; the network is ${network}`, at);
      return undefined;
    }
    const route: InnerRoute = { family: cidr.family, destination: network };
    if (typeof item !== 'string') {
      const attributes = routeAttributes(item, route, written, out);
      if (!attributes) return undefined;
      Object.assign(route, attributes);
    }
    out.routeWrittenAt.set(route, written);
    return route;
  });
}

/** Gateway, table, scope and source of a route, each checked on its own; undefined when any is refused. */
function routeAttributes(
  item: Exclude<RawRoute, string>,
  route: InnerRoute,
  path: SpecPath,
  out: Collector,
): Partial<InnerRoute> | undefined {
  let ok = true;
  const fail = (rule: CoreRule, message: string, field: string) => {
    out.error(rule, message, [...path, field]);
    ok = false;
  };
  const attributes: Partial<InnerRoute> = {};
  for (const field of ['via', 'source'] as const) {
    const text = item[field];
    if (text === undefined) continue;
    const family = familyOf(text);
    if (family === undefined) fail('address/invalid', `${quote(text)} is not an IP address`, field);
    else if (family !== route.family)
      fail(
        'address/family',
        `${field} ${text} is ${familyName(family)}, but route ${route.destination} is ${familyName(route.family)}`,
        field,
      );
    else attributes[field] = canonical(text, family);
  }
  if (item.onLink !== undefined) {
    if (item.via === undefined)
      fail('route/on-link', 'onLink says the gateway is on the link; it needs "via"', 'onLink');
    else if (item.onLink) attributes.onLink = true;
  }
  if (item.scope !== undefined) {
    if (route.family === 'ipv6')
      fail('route/scope', 'IPv6 routes have no scope; the kernel ignores it (remove "scope")', 'scope');
    else if (item.via !== undefined && item.scope !== 'global')
      fail(
        'route/scope',
        `a route via a gateway has scope global; the kernel refuses scope ${item.scope} with "via"`,
        'scope',
      );
    else attributes.scope = item.scope;
  }
  if (item.table !== undefined) {
    // 255 holds the kernel's local and broadcast routes; a route there makes an address local to this host.
    if (item.table === 255)
      fail('route/table', "table 255 is the kernel's local table; use another table number", 'table');
    else attributes.table = item.table;
  }
  if (item.metric !== undefined) attributes.metric = item.metric;
  return ok ? attributes : undefined;
}

/**
 * A gateway must be reachable through the tunnel: the peer of an address, or
 * on the subnet of one (or the route says onLink). A preferred source must be
 * an address of this end, or the kernel refuses the route.
 */
function checkRoutes(end: TunnelEnd, out: Collector): void {
  for (let r = 0; r < end.routes.length; r++) {
    const route = end.routes[r]!;
    const at = out.routeWrittenAt.get(route) ?? end.path;
    const mine = end.addresses.filter((a) => a.family === route.family);
    const listing = mine.length ? mine.map((a) => `${a.address}/${a.prefix}`).join(', ') : 'none';
    const where = end.host === undefined ? '' : ` on host ${end.host}`;
    if (route.via !== undefined) {
      if (mine.some((a) => a.address === route.via)) {
        out.error(
          'route/gateway-self',
          `via ${route.via} is an address of ${end.name} itself; a gateway is another machine`,
          [...at, 'via'],
        );
      } else if (!route.onLink) {
        const reachable = mine.some(
          (a) =>
            a.peer === route.via ||
            (a.prefix < maxPrefix(a.family) && sameSubnet(a.address, route.via!, a.prefix, a.family)),
        );
        if (!reachable)
          out.error(
            'route/gateway-unreachable',
            `gateway ${route.via} is not reachable through ${end.name}${where}: it is no peer of and on no subnet of its addresses (${listing}); give a gateway there or onLink: true`,
            [...at, 'via'],
          );
      }
    }
    if (route.source !== undefined && !mine.some((a) => a.address === route.source)) {
      out.error(
        'route/source',
        `source ${route.source} is not an address of ${end.name}${where} (${listing}); the kernel refuses a source the host does not have`,
        [...at, 'source'],
      );
    }
  }
}

/** The kernel's main table, where a route without "table" goes. */
const mainTable = 254;

/**
 * The kernel keeps one route per network, table and metric (and refuses a second
 * with "File exists", whatever its gateway); a route without a metric gets 0 on
 * IPv4 and 1024 on IPv6, from ip and networkd alike.
 */
const routeKey = (family: Family, destination: string, table: number | undefined, metric: number | undefined) =>
  `${destination}|${table ?? mainTable}|${metric ?? (family === 'ipv4' ? 0 : 1024)}`;

/**
 * The routes the kernel adds itself for an interface's addresses (proto kernel, main
 * table): IPv4 the subnet of the peer (or of the address), metric 0, none for a /32
 * without peer; IPv6 the subnets of the address and of its peer, metric 256.
 */
function connectedRoutes(end: TunnelEnd): Map<string, InnerAddress> {
  const routes = new Map<string, InnerAddress>();
  for (const a of end.addresses) {
    const add = (on: string) =>
      routes.set(routeKey(a.family, networkCidr(on, a.prefix, a.family), mainTable, a.family === 'ipv4' ? 0 : 256), a);
    if (a.family === 'ipv4') {
      if (a.peer !== undefined || a.prefix < 32) add(a.peer ?? a.address);
    } else {
      add(a.address);
      if (a.peer !== undefined) add(a.peer);
    }
  }
  return routes;
}

/**
 * A host keeps one route per network, table and metric, whatever interface it goes
 * through: a second `ip route add` of the same route, through the same interface or
 * another, or of a route the kernel added for an address, answers "File exists"
 * (measured on IPv4 and IPv6 alike). Each route is compared with the earlier routes
 * of its own interface, the kernel's routes for that interface's addresses, and the
 * routes and kernel routes of the host's earlier interfaces.
 */
function checkRouteIdentity(ends: readonly TunnelEnd[], out: Collector): void {
  // Only a route can clash, and most specs' tunnels carry addresses only: then there is nothing to group.
  if (!ends.some((end) => end.routes.length)) return;
  for (const [host, hostEnds] of groupByHost(ends)) {
    // Nor on a host without a route.
    if (!hostEnds.some((end) => end.routes.length)) continue;
    const where = host === undefined ? '' : ` on host ${host}`;
    // What the host's earlier interfaces hold, in the words a message names it with.
    const claimed = new Map<string, { rule: CoreRule; what: string }>();
    for (const end of hostEnds) {
      const connected = connectedRoutes(end);
      const seen = new Map<string, SpecPath>();
      for (const route of end.routes) {
        const at = out.routeWrittenAt.get(route) ?? end.path;
        const key = routeKey(route.family, route.destination, route.table, route.metric);
        const first = seen.get(key);
        const address = connected.get(key);
        const other = claimed.get(key);
        if (first)
          out.error(
            'route/duplicate',
            `route ${route.destination} is already listed at ${formatPath(first)} with the same table and metric; the kernel refuses the second ("File exists"), whatever its gateway (remove one, or give it another metric)`,
            at,
          );
        else if (address)
          out.error(
            'route/connected',
            `route ${route.destination} is the route the kernel adds itself for address ${addressText(address)} of ${end.name}; ip route add answers "File exists" (remove the route, or give it another metric or table)`,
            at,
          );
        else if (other)
          out.error(
            other.rule,
            `route ${route.destination} of ${end.name} is ${other.what}${where}, with the same table and metric: a host keeps one such route whatever its interface, and ip route add answers "File exists" (remove one, or give it another metric or table)`,
            at,
          );
        else seen.set(key, at);
      }
      for (const [key, at] of seen)
        if (!claimed.has(key))
          claimed.set(key, { rule: 'route/duplicate', what: `already listed for ${end.name} at ${formatPath(at)}` });
      for (const [key, address] of connected)
        if (!claimed.has(key))
          claimed.set(key, {
            rule: 'route/connected',
            what: `the route the kernel adds itself for address ${addressText(address)} of ${end.name}`,
          });
    }
  }
}

const addressText = (a: InnerAddress) => `${a.address}/${a.prefix}${a.peer === undefined ? '' : ` peer ${a.peer}`}`;

/**
 * On an Ethernet tunnel an address has no point-to-point peer: the peer is the
 * other end's address on a subnet both share, which needs a subnet prefix.
 */
function markNeighbours(end: TunnelEnd, plugin: ModePlugin, out: Collector): void {
  if (!plugin.ethernet) return;
  for (const a of end.addresses) {
    if (a.peer === undefined) continue;
    a.peerIsNeighbour = true;
    if (a.prefix === maxPrefix(a.family)) {
      out.error(
        'address/neighbour-subnet',
        `mode ${plugin.name} carries Ethernet: ${a.address}/${a.prefix} shares no subnet with ${a.peer}; give a prefix that covers both`,
        out.writtenAt.get(a) ?? end.path,
      );
    }
  }
}

/** Pairs each address with the other end's address of the same family and position. */
function pairPeers(a: TunnelEnd, b: TunnelEnd, plugin: ModePlugin, path: SpecPath, out: Collector): void {
  for (const family of ['ipv4', 'ipv6'] as const) {
    const mine = a.addresses.filter((x) => x.family === family);
    const theirs = b.addresses.filter((x) => x.family === family);
    mine.forEach((x, i) => {
      const y = theirs[i];
      if (!y) return;
      // Both ends describe one link: a peer given by hand must be the other end's address.
      for (const [address, other, host, end] of [
        [x, y, b.host, a],
        [y, x, a.host, b],
      ] as const) {
        if (address.peer !== undefined && address.peer !== other.address) {
          out.error(
            'address/peer-mismatch',
            `peer ${address.peer} is not ${other.address}, the address of the other end on host ${String(host)}`,
            out.writtenAt.get(address) ?? end.path,
          );
        }
      }
      x.peer ??= y.address;
      y.peer ??= x.address;
    });
  }
  markNeighbours(a, plugin, out);
  markNeighbours(b, plugin, out);
  checkPeers(a, out);
  checkPeers(b, out);
}

/** An address and its peer must be on one subnet, or the kernel routes the peer elsewhere. */
function checkPeers(end: TunnelEnd, out: Collector): void {
  for (let a = 0; a < end.addresses.length; a++) {
    const x = end.addresses[a]!;
    if (x.peer === undefined) continue;
    // A derived address has no place of its own in the spec: its tunnel stands for it.
    const at = out.writtenAt.get(x) ?? end.path;
    if (x.peer === x.address) {
      out.error('address/own-peer', `address ${x.address} is its own peer; the two ends need different addresses`, at);
    } else if (x.prefix < maxPrefix(x.family) && !sameSubnet(x.address, x.peer, x.prefix, x.family)) {
      out.error(
        'address/peer-subnet',
        `peer ${x.peer} is outside ${networkCidr(x.address, x.prefix, x.family)}, the subnet of ${x.address}/${x.prefix}`,
        at,
      );
    }
  }
}
