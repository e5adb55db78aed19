import type { ModePlugin, SpecPath, TunnelEnd } from '../contract.js';
import { coreProblem, quote, type Problem } from '../diagnostics.js';
import type { CoreRule } from '../rules.js';

/** What every check sees. */
interface CheckContext {
  ends: readonly TunnelEnd[];
  /** Every loaded mode, whether the spec uses it or not. */
  plugins: ReadonlyMap<string, ModePlugin>;
  /** Reports a problem under a core rule; a mode's own rules go through runModeChecks. */
  report: (rule: CoreRule, message: string, path: SpecPath) => void;
}

type Check = (context: CheckContext) => void;

const hostLabel = (end: TunnelEnd) => (end.host === undefined ? '' : ` on host ${end.host}`);

/** Groups ends by host so per-host rules see one machine at a time. */
function byHost(ends: readonly TunnelEnd[]): Map<string | undefined, TunnelEnd[]> {
  const groups = new Map<string | undefined, TunnelEnd[]>();
  for (const end of ends) (groups.get(end.host) ?? groups.set(end.host, []).get(end.host)!).push(end);
  return groups;
}

function namePath(end: TunnelEnd): SpecPath {
  return [...end.path, 'name'];
}

/** Linux refuses a second link with the same name. */
const uniqueInterfaceNames: Check = ({ ends, report }) => {
  for (const group of byHost(ends).values()) {
    const seen = new Map<string, TunnelEnd>();
    for (const end of group) {
      const first = seen.get(end.name);
      if (first)
        report(
          'name/duplicate',
          `interface ${end.name}${hostLabel(end)} is already used by ${describeTunnel(first)}`,
          namePath(end),
        );
      else seen.set(end.name, end);
    }
  }
};

/** Names special in /proc/sys/net/ipv{4,6}/conf, whatever modules are loaded. */
const procSysNames = ['lo', 'all', 'default'];

/**
 * Loading a mode's kernel modules creates its fallback devices (each plugin
 * lists them); a tunnel with one of these names collides with them. Any loaded
 * mode counts: its module may be loaded for another tunnel or by hand.
 */
const noReservedNames: Check = ({ ends, plugins, report }) => {
  const reserved = new Set(procSysNames);
  for (const plugin of plugins.values()) plugin.fallbackDevices.forEach((name) => reserved.add(name));
  for (const end of ends) {
    if (reserved.has(end.name)) {
      report(
        'name/reserved',
        `interface name ${quote(end.name)} is reserved by the kernel (fallback device or /proc/sys entry); choose another`,
        namePath(end),
      );
    }
  }
};

/** Two tunnels the kernel cannot tell apart (same kind, endpoints, keys) cannot both exist on a host. */
const distinctKernelIdentity: Check = ({ ends, report }) => {
  for (const group of byHost(ends).values()) {
    const seen = new Map<string, TunnelEnd>();
    for (const end of group) {
      const identity = end.plugin.identity(end);
      const first = seen.get(identity);
      if (first) {
        report(
          'tunnel/duplicate-identity',
          `${describeTunnel(end)} has the same endpoints and keys as ${describeTunnel(first)}${hostLabel(end)}; the kernel refuses the second (give a different key or endpoint)`,
          end.path,
        );
      } else seen.set(identity, end);
    }
  }
};

/**
 * Tunnels between the same outer addresses that take the same IP protocol:
 * the kernel hands those packets to one of them only. A tunnel without a
 * remote (ISATAP) loses the packets of any address another tunnel names as
 * its remote. Two tunnels of one kind with fixed remotes are told apart by
 * distinctKernelIdentity instead (e.g. GRE keys).
 */
const noSharedOuterPackets: Check = ({ ends, report }) => {
  // Both hosts of a two-ended pair see the clash; one message per pair of tunnels.
  const reported = new Set<string>();
  for (const group of byHost(ends).values()) {
    // Indexes of the tunnels seen so far, so a fleet's spec costs a lookup per tunnel, not a scan.
    const byRemote = new Map<string, Taker[]>(); // local|remote|protocol
    const anyRemote = new Map<string, Taker[]>(); // local|protocol, tunnels without a remote
    const byLocal = new Map<string, Taker[]>(); // local|protocol, all tunnels
    for (const end of group) {
      const plugin = end.plugin;
      const second: Taker = { end, kind: plugin.kind, identity: plugin.identity(end) };
      const shared = new Map<Taker, number[]>();
      for (const protocol of plugin.receives?.(end) ?? []) {
        const local = `${end.local}|${protocol}`;
        const candidates =
          end.remote === undefined
            ? (byLocal.get(local) ?? [])
            : [...(byRemote.get(`${end.local}|${end.remote}|${protocol}`) ?? []), ...(anyRemote.get(local) ?? [])];
        for (const first of candidates) {
          const bothFixed = first.end.remote !== undefined && end.remote !== undefined;
          // Same identity: distinctKernelIdentity already refuses the pair.
          if (first.kind === second.kind && (bothFixed || first.identity === second.identity)) continue;
          shared.set(first, [...(shared.get(first) ?? []), protocol]);
        }
        push(byLocal, local, second);
        if (end.remote === undefined) push(anyRemote, local, second);
        else push(byRemote, `${end.local}|${end.remote}|${protocol}`, second);
      }
      const firsts = [...shared.keys()].sort((a, b) => group.indexOf(a.end) - group.indexOf(b.end));
      for (const first of firsts) {
        const pair = `${end.path.join('/')}|${first.end.path.join('/')}`;
        if (reported.has(pair)) continue;
        reported.add(pair);
        const from = end.remote ?? first.end.remote ?? 'any address';
        report(
          'tunnel/outer-packets',
          `${describeTunnel(end)} and ${describeTunnel(first.end)}${hostLabel(end)} both take IP protocol ${shared.get(first)!.join(', ')} from ${from} to ${end.local}; the kernel gives those packets to one of them only (use another local or remote address for one)`,
          end.path,
        );
      }
    }
  }
};

interface Taker {
  end: TunnelEnd;
  kind: string;
  identity: string;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A netdev besides the tunnel's own (a FOU receive port) exists once per host:
 * two tunnels asking for the same one would overwrite each other's file.
 */
const uniqueCompanions: Check = ({ ends, report }) => {
  for (const group of byHost(ends).values()) {
    const seen = new Map<string, TunnelEnd>();
    for (const end of group) {
      for (const companion of end.plugin.networkd(end).companions ?? []) {
        const first = seen.get(companion.name);
        if (first)
          report(
            'tunnel/shared-companion',
            `${describeTunnel(end)} needs ${companion.purpose}${hostLabel(end)}, which ${describeTunnel(first)} already uses; give each tunnel its own`,
            end.path,
          );
        else seen.set(companion.name, end);
      }
    }
  }
};

/** Two interfaces with one address make the kernel pick one of them silently. */
const uniqueInnerAddresses: Check = ({ ends, report }) => {
  for (const group of byHost(ends).values()) {
    const seen = new Map<string, TunnelEnd>();
    for (const end of group) {
      for (const address of end.addresses) {
        const first = seen.get(address.address);
        if (first && first !== end)
          report(
            'address/duplicate',
            `address ${address.address}${hostLabel(end)} is already on ${describeTunnel(first)}`,
            [...end.path],
          );
        seen.set(address.address, end);
      }
    }
  }
};

/** IPv6 needs an MTU of at least 1280 (RFC 8200); the kernel drops IPv6 from the link below it. */
const ipv6MinimumMtu: Check = ({ ends, report }) => {
  for (const end of ends) {
    if (end.mtu !== undefined && end.mtu < 1280 && end.addresses.some((a) => a.family === 'ipv6')) {
      report('mtu/ipv6-minimum', `mtu ${end.mtu} is below 1280, the minimum for IPv6 carried on ${end.name}`, [
        ...end.path,
        'mtu',
      ]);
    }
  }
};

/**
 * Each mode's own rules, published as `<mode>/<rule>`. A rule the plugin does not
 * declare is a bug in the plugin, not in the spec: it throws rather than inventing an id.
 */
function runModeChecks(ends: readonly TunnelEnd[], add: (problem: Problem) => void): void {
  for (const end of ends) {
    const plugin = end.plugin;
    plugin.check?.(end, {
      error(rule, message, at = []) {
        if (!Object.hasOwn(plugin.rules ?? {}, rule))
          throw new Error(`mode ${plugin.name} reported rule ${quote(rule)}, which its "rules" do not declare`);
        add({ rule: `${plugin.name}/${rule}`, severity: 'error', message, path: [...end.path, ...at] });
      },
    });
  }
}

const checks: readonly Check[] = [
  uniqueInterfaceNames,
  noReservedNames,
  distinctKernelIdentity,
  noSharedOuterPackets,
  uniqueCompanions,
  uniqueInnerAddresses,
  ipv6MinimumMtu,
];

export function runChecks(ends: readonly TunnelEnd[], plugins: ReadonlyMap<string, ModePlugin>): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (problem: Problem) => {
    const id = `${problem.path.join('/')}\n${problem.message}`;
    // A two-ended tunnel can trip the same rule from both ends.
    if (!seen.has(id)) problems.push(problem);
    seen.add(id);
  };
  const report = (rule: CoreRule, message: string, path: SpecPath) => add(coreProblem(rule, message, path));
  for (const check of checks) check({ ends, plugins, report });
  runModeChecks(ends, add);
  return problems;
}

function describeTunnel(end: TunnelEnd): string {
  return `tunnel ${end.name} (tunnels[${String(end.path[1])}])`;
}
