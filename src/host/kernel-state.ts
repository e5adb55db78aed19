import { kernelModules, type ValidSpec } from '../api.js';
import type { InnerAddress, InnerRoute, Scalar } from '../contract.js';
import { canonical, familyOf, parseCidr } from '../model/ip.js';
import type { HostContext } from './context.js';
import { HostError } from './errors.js';
import type { IpAddress, IpAddressList, IpLink } from './ip-json.js';
import { complaint, showCommand, type CommandResult } from './runner.js';
import { addressChecks, linkDataChecks, mtuCheck, stateCheck, type CheckResult } from './verify-checks.js';

/** One tunnel link as the kernel should show it once the host's config is in force. */
export interface DesiredLink {
  name: string;
  mode: string;
  /** linkinfo.info_kind */
  kind: string;
  /** Entries of linkinfo.info_data that must match, as the mode's plugin expects them. */
  data: Readonly<Record<string, Scalar>>;
  mtu?: number;
  addresses: InnerAddress[];
  routes: InnerRoute[];
  /** Tunnels are always brought up. */
  up: true;
}

/** What the kernel of one host should have: the links of its tunnel ends and the modules they need. */
export interface DesiredKernelState {
  host: string | undefined;
  modules: string[];
  links: DesiredLink[];
}

/**
 * The kernel state a host of the spec should end up in, from the same data
 * `verify` checks (each plugin's `expect()`): usable without a host at hand,
 * e.g. to check a fleet from a controller.
 */
export function desiredKernelState(spec: ValidSpec, host: string | undefined): DesiredKernelState {
  const ends = spec.ends.filter((end) => end.host === host);
  return {
    host,
    modules: kernelModules(spec, host),
    links: ends.map((end) => {
      const expectation = end.plugin.expect(end);
      return {
        name: end.name,
        mode: end.mode,
        kind: end.plugin.kind,
        data: expectation.data,
        ...(end.mtu !== undefined && { mtu: end.mtu }),
        addresses: end.addresses,
        routes: end.routes,
        up: true,
      };
    }),
  };
}

/** One entry of `ip -json route show dev NAME`: `dst` is a CIDR, a bare address for a host route, or "default". */
export interface IpRoute {
  dst: string;
}

/** A link as the kernel shows it, with its addresses and routes. */
export interface ObservedLink {
  link: IpLink;
  addresses: IpAddress[];
  routes: IpRoute[];
}

/** Where the kernel differs from what is wanted: `netdev` needs the link built anew, `network` only reconfigured. */
export interface Drift {
  link: string;
  level: 'netdev' | 'network';
  /** "CHECK: expected X, found Y" */
  detail: string;
}

const readFailed = (argv: readonly string[], result: CommandResult) =>
  new HostError(
    `reading the kernel's state failed: ${showCommand(argv)}: ${complaint(result)}; nothing was changed; check that iproute2 is installed and run again`,
  );

function parse<T>(argv: readonly string[], result: CommandResult): T[] {
  try {
    return JSON.parse(result.stdout || '[]') as T[];
  } catch {
    throw readFailed(argv, { ...result, stderr: `unreadable JSON: ${result.stdout.slice(0, 60)}` });
  }
}

/** A route as `ip -json route show` lists them all: with the device it goes out of. */
interface IpRouteOfDevice extends IpRoute {
  dev?: string;
}

/**
 * The kernel's view of every link, with its addresses and routes (main
 * table), by name. Four commands whatever the number of tunnels: on a slow
 * machine each one costs. Any failure to read is a HostError.
 */
export async function observeLinks(context: HostContext): Promise<Map<string, ObservedLink>> {
  const read = async <T>(argv: string[]): Promise<T[]> => {
    const result = await context.runner.run(argv);
    if (result.code !== 0) throw readFailed(argv, result);
    return parse<T>(argv, result);
  };
  const links = await read<IpLink>(['ip', '-details', '-json', 'link', 'show']);
  const addresses = await read<IpAddressList>(['ip', '-json', 'addr', 'show']);
  const observed = new Map<string, ObservedLink>(
    links.map((link) => [link.ifname, { link, addresses: [], routes: [] }]),
  );
  for (const entry of addresses) observed.get(entry.ifname)?.addresses.push(...(entry.addr_info ?? []));
  for (const family of ['-4', '-6'] as const) {
    for (const route of await read<IpRouteOfDevice>(['ip', family, '-json', 'route', 'show'])) {
      const dst = route.dst === 'default' ? (family === '-4' ? '0.0.0.0/0' : '::/0') : route.dst;
      if (route.dev !== undefined) observed.get(route.dev)?.routes.push({ dst });
    }
  }
  return observed;
}

const canonicalCidr = (text: string): string => {
  const withPrefix = text.includes('/') ? text : `${text}/${familyOf(text) === 'ipv6' ? 128 : 32}`;
  const cidr = parseCidr(withPrefix);
  return typeof cidr === 'string' ? text : `${canonical(cidr.address, cidr.family)}/${cidr.prefix}`;
};

/** Each route of the link in the main table, by destination (`ip route show dev` lists only that table). */
export function routeChecks(want: readonly InnerRoute[], found: readonly IpRoute[]): CheckResult[] {
  const have = new Set(found.map((r) => canonicalCidr(r.dst)));
  const all = found.map((r) => r.dst).join(', ') || 'no routes';
  return want
    .filter((route) => route.table === undefined || route.table === 254)
    .map((route) => {
      const ok = have.has(canonicalCidr(route.destination));
      return {
        check: `route ${route.destination}`,
        status: ok ? 'pass' : 'fail',
        expected: `a route to ${route.destination}`,
        found: ok ? 'present' : `not there (${all})`,
      };
    });
}

/** Every way the kernel's link differs from the wanted one, one entry each; empty when it is in force. */
export function kernelDrift(want: DesiredLink, found: ObservedLink | null): Drift[] {
  if (found === null)
    return [{ link: want.name, level: 'netdev', detail: `link: expected a ${want.kind} link, found none` }];
  const end = { mtu: want.mtu, addresses: want.addresses };
  const netdev = [...linkDataChecks({ kind: want.kind, data: want.data }, found.link), ...mtuCheck(end, found.link)];
  const network = [
    stateCheck(found.link),
    ...addressChecks(end, found.addresses),
    ...routeChecks(want.routes, found.routes),
  ];
  const failures = (checks: CheckResult[], level: Drift['level']) =>
    checks
      .filter((c) => c.status === 'fail')
      .map((c): Drift => ({ link: want.name, level, detail: `${c.check}: expected ${c.expected}, found ${c.found}` }));
  return [...failures(netdev, 'netdev'), ...failures(network, 'network')];
}
