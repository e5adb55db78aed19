import type { CompanionNetdev, ModePlugin, SpecPath, TunnelEnd } from '../contract.js';
import { coreProblem, quote, type Problem } from '../diagnostics.js';
import { groupByHost } from '../model/by-host.js';
import { caseCollisions } from '../model/case-fold.js';
import type { CoreRule } from '../rules.js';
import { targets } from '../targets/index.js';
import { networkdNetdev } from '../targets/networkd.js';

/** What every check sees. */
interface CheckContext {
  ends: readonly TunnelEnd[];
  /** The ends of each host, hosts in order of their first end, so per-host rules see one machine at a time. */
  byHost: ReadonlyMap<string | undefined, readonly TunnelEnd[]>;
  /** Every loaded mode, whether the spec uses it or not. */
  plugins: ReadonlyMap<string, ModePlugin>;
  /** Reports a problem under a core rule; a mode's own rules go through runModeChecks. */
  report: (rule: CoreRule, message: string, path: SpecPath) => void;
  /** The extra netdevs an end needs (its mode's networkd() works them out once, for the checks and the files). */
  companions: (end: TunnelEnd) => readonly CompanionNetdev[];
}

type Check = (context: CheckContext) => void;

const hostLabel = (end: TunnelEnd) => (end.host === undefined ? '' : ` on host ${end.host}`);

// Loops over ends, and over each end's lists, index the arrays: until V8 optimizes a for-of
// loop it allocates an iterator and a result per step, and a run over thousands of ends is
// mostly over before that (about 1.4 MB of the checks' 7 MB for 2,000 tunnels).

function namePath(end: TunnelEnd): SpecPath {
  return end.namePath ?? [...end.path, 'name'];
}

/** Linux refuses a second link with the same name. */
const uniqueInterfaceNames: Check = ({ byHost, report }) => {
  for (const group of byHost.values()) {
    const seen = new Map<string, TunnelEnd>();
    for (let i = 0; i < group.length; i++) {
      const end = group[i]!;
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

/**
 * Linux tells Tun0 and tun0 apart, but their files (one host's folder under --out)
 * are one file where case does not count, as on macOS or Windows: one tunnel's files
 * would overwrite the other's.
 */
const interfaceNamesDistinctInCase: Check = ({ byHost, report }) => {
  for (const group of byHost.values()) {
    for (const { item: end, first } of caseCollisions(group, (e) => e.name))
      report(
        'name/case-collision',
        `interface ${end.name}${hostLabel(end)} differs only in case from ${describeTunnel(first)}; their files would be one file on a case-insensitive file system, e.g. under --out on macOS or Windows (rename one)`,
        namePath(end),
      );
  }
};

/**
 * Every file a target writes in a host's folder is one tunnel's. An interface name can
 * still give a file the name of another tunnel's file: gre1-fou5555's .netdev is the
 * file of gre1's FOU receive port 5555, and one would overwrite the other on any file
 * system (on a case-insensitive one also when only case differs). Names equal but for
 * case are reported by interfaceNamesDistinctInCase, and the same name by uniqueInterfaceNames.
 */
const distinctFileNames: Check = ({ byHost, report, companions }) => {
  for (const group of byHost.values()) {
    // The targets name every other file after its tunnel alone: without companions, names decide (see above).
    if (!group.some((end) => companions(end).length)) continue;
    const reported = new Set<TunnelEnd>();
    for (const target of Object.values(targets)) {
      const firsts = new Map<string, { end: TunnelEnd; file: string }>();
      for (const end of group) {
        for (const { name: file } of target.plan(end)) {
          const first = firsts.get(file.toLowerCase());
          if (!first) firsts.set(file.toLowerCase(), { end, file });
          else if (first.end.name.toLowerCase() !== end.name.toLowerCase() && !reported.has(end)) {
            reported.add(end);
            const same =
              first.file === file
                ? `the ${target.name} file ${file}`
                : `the ${target.name} files ${first.file} and ${file}, one file on a case-insensitive file system`;
            report(
              'name/file-collision',
              `${describeTunnel(end)}${hostLabel(end)} and ${describeTunnel(first.end)} both need ${same}; one would overwrite the other (rename one)`,
              namePath(end),
            );
          }
        }
      }
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
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
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
const distinctKernelIdentity: Check = ({ byHost, report }) => {
  for (const group of byHost.values()) {
    const seen = new Map<string, TunnelEnd>();
    for (let i = 0; i < group.length; i++) {
      const end = group[i]!;
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
const noSharedOuterPackets: Check = ({ byHost, report }) => {
  // Both hosts of a two-ended pair see the clash; one message per pair of tunnels.
  const reported = new Set<string>();
  for (const group of byHost.values()) {
    // Only a tunnel without a remote reads byLocal and fills anyRemote: without one on the host
    // (most hosts), a tunnel is looked up by its remote alone.
    const remoteless = group.some((end) => end.remote === undefined);
    // Indexes of the tunnels seen so far, by kind, so a tunnel skips a whole kind it cannot
    // clash with at once: a fleet of one kind between the same addresses is not a scan per tunnel.
    const byRemote = new Map<string, Map<string, Taker[]>>(); // local|remote|protocol
    const anyRemote = new Map<string, Map<string, Taker[]>>(); // local|protocol, tunnels without a remote
    const byLocal = new Map<string, Map<string, Taker[]>>(); // local|protocol, all tunnels
    for (let index = 0; index < group.length; index++) {
      const end = group[index]!;
      const second: Taker = { end, kind: end.plugin.kind, index, identity: undefined };
      let shared: Map<Taker, number[]> | undefined;
      const protocols = end.plugin.receives?.(end) ?? [];
      for (let p = 0; p < protocols.length; p++) {
        const protocol = protocols[p]!;
        const local = remoteless ? `${end.local}|${protocol}` : '';
        if (end.remote === undefined) {
          shared = sharing(byLocal.get(local), second, protocol, shared);
          push(anyRemote, local, second);
        } else {
          const remote = `${end.local}|${end.remote}|${protocol}`;
          shared = sharing(byRemote.get(remote), second, protocol, shared);
          if (remoteless) shared = sharing(anyRemote.get(local), second, protocol, shared);
          push(byRemote, remote, second);
        }
        if (remoteless) push(byLocal, local, second);
      }
      if (!shared) continue;
      const firsts = [...shared.keys()].sort((a, b) => a.index - b.index);
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

/** A tunnel as noSharedOuterPackets indexes it. */
interface Taker {
  end: TunnelEnd;
  kind: string;
  /** Its place among its host's ends, to report clashes in spec order. */
  index: number;
  /** Its mode's identity(), asked only when two tunnels of one kind meet. */
  identity: string | undefined;
}

const identityOf = (taker: Taker) => (taker.identity ??= taker.end.plugin.identity(taker.end));

/**
 * Adds to `shared` (made when first needed) the earlier tunnels among `kinds` that take
 * `protocol` from the same addresses as `second`; returns it.
 */
function sharing(
  kinds: Map<string, Taker[]> | undefined,
  second: Taker,
  protocol: number,
  shared: Map<Taker, number[]> | undefined,
): Map<Taker, number[]> | undefined {
  if (!kinds) return shared;
  const fixed = second.end.remote !== undefined;
  for (const [kind, takers] of kinds) {
    // Same kind with fixed remotes on both: distinctKernelIdentity tells those apart.
    if (kind === second.kind && fixed && takers[0]?.end.remote !== undefined) continue;
    for (const first of takers) {
      const bothFixed = first.end.remote !== undefined && fixed;
      // Same identity: distinctKernelIdentity already refuses the pair.
      if (first.kind === second.kind && (bothFixed || identityOf(first) === identityOf(second))) continue;
      shared ??= new Map();
      const protocols = shared.get(first);
      if (protocols) protocols.push(protocol);
      else shared.set(first, [protocol]);
    }
  }
  return shared;
}

function push(map: Map<string, Map<string, Taker[]>>, key: string, taker: Taker): void {
  const kinds = map.get(key) ?? map.set(key, new Map()).get(key)!;
  const list = kinds.get(taker.kind);
  if (list) list.push(taker);
  else kinds.set(taker.kind, [taker]);
}

/**
 * A netdev besides the tunnel's own (a FOU receive port) exists once per host:
 * two tunnels asking for the same one would overwrite each other's file.
 */
const uniqueCompanions: Check = ({ byHost, report, companions }) => {
  for (const group of byHost.values()) {
    const seen = new Map<string, TunnelEnd>();
    for (let i = 0; i < group.length; i++) {
      const end = group[i]!;
      const needed = companions(end);
      for (let c = 0; c < needed.length; c++) {
        const companion = needed[c]!;
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
const uniqueInnerAddresses: Check = ({ byHost, report }) => {
  for (const group of byHost.values()) {
    const seen = new Map<string, TunnelEnd>();
    for (let i = 0; i < group.length; i++) {
      const end = group[i]!;
      for (let a = 0; a < end.addresses.length; a++) {
        const address = end.addresses[a]!;
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
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
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
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
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
  interfaceNamesDistinctInCase,
  distinctFileNames,
  noReservedNames,
  distinctKernelIdentity,
  noSharedOuterPackets,
  uniqueCompanions,
  uniqueInnerAddresses,
  ipv6MinimumMtu,
];

/**
 * Most problems the checks report. Clashes grow with pairs of tunnels: 8,000 VTIs beside
 * 8,000 ipip tunnels on one pair of addresses are 64 million, which nobody reads past the
 * first hundred. At this many the checks stop.
 */
export const maxCheckProblems = 1000;

const noCompanions: readonly CompanionNetdev[] = [];

/** Thrown inside the checks once they have reported enough. */
class Enough extends Error {}

/** The semantic problems of the ends, at most maxCheckProblems of them (then the checks stopped early). */
export function runChecks(ends: readonly TunnelEnd[], plugins: ReadonlyMap<string, ModePlugin>): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (problem: Problem) => {
    const id = `${problem.path.join('/')}\n${problem.message}`;
    // A two-ended tunnel can trip the same rule from both ends.
    if (!seen.has(id)) problems.push(problem);
    seen.add(id);
    if (problems.length >= maxCheckProblems) throw new Enough();
  };
  const report = (rule: CoreRule, message: string, path: SpecPath) => add(coreProblem(rule, message, path));
  const companions = (end: TunnelEnd) => networkdNetdev(end).companions ?? noCompanions;
  try {
    const context: CheckContext = { ends, byHost: groupByHost(ends), plugins, report, companions };
    for (const check of checks) check(context);
    runModeChecks(ends, add);
  } catch (error) {
    if (!(error instanceof Enough)) throw error;
  }
  return problems;
}

function describeTunnel(end: TunnelEnd): string {
  return `tunnel ${end.name} (tunnels[${String(end.path[1])}])`;
}
