import { dirname, resolve } from 'node:path';
import { maxCheckProblems, runChecks } from './checks/index.js';
import type { TunnelEnd } from './contract.js';
import { coreProblem, SpecError, type Problem } from './diagnostics.js';
import { resolveEnds } from './model/resolve.js';
import { builtinPlugins, loadPlugins, type PluginSet } from './plugins/registry.js';
import { placeFiles, type PlacedFile } from './output/files.js';
import { renderEnds, type RenderedFile } from './render/render.js';
import { packageNamePattern } from './schema/patterns.js';
import { validateSchema } from './schema/validate.js';
import type { LoadedSpec } from './spec/load.js';
import type { RawSpec } from './spec/types.js';
import { targets } from './targets/index.js';

/** A spec that passed every check, expanded into per-host tunnel ends. */
export interface ValidSpec {
  file: string;
  /** Host names in spec order; empty for a single-machine spec. */
  hosts: string[];
  ends: TunnelEnd[];
  plugins: PluginSet;
  raw: RawSpec;
}

/** Most problems reported for one spec. */
const maxProblems = 100;

/** All problems of a spec (up to maxProblems), located in its file; empty when it is valid. */
export async function checkSpec(loaded: LoadedSpec): Promise<{ problems: Problem[]; spec?: ValidSpec }> {
  const { problems: all, spec, more } = await analyse(loaded);
  if (!all.length) return { problems: all, spec };
  // A spec of 100,000 unknown keys is not told about each: the first ones say what is wrong.
  const problems = all.length > maxProblems ? all.slice(0, maxProblems) : all;
  if (all.length > maxProblems) {
    const count = more ? `more than ${all.length - maxProblems}` : String(all.length - maxProblems);
    problems.push(coreProblem('spec/limit', `${count} more problems not shown; fix these first`));
  }
  const prefixed = problems.map((p) => ({
    ...p,
    path: [...loaded.pathPrefix, ...p.path],
    file: p.file ?? loaded.file,
  }));
  // Locating reads the text again for positions; only specs with problems pay for it, and
  // every one of those problems gets its LINE:COL.
  if (loaded.source === undefined) return { problems: prefixed };
  const { locateProblems } = await import('./spec/locate.js');
  return { problems: locateProblems(loaded.source, prefixed, { json: loaded.file.endsWith('.json') }) };
}

/** Validates and expands a spec; throws SpecError with every problem found. */
export async function validateSpec(loaded: LoadedSpec): Promise<ValidSpec> {
  const { problems, spec } = await checkSpec(loaded);
  if (!spec) throw new SpecError(problems);
  return spec;
}

async function analyse(loaded: LoadedSpec): Promise<{ problems: Problem[]; spec?: ValidSpec; more?: true }> {
  const data = loaded.data;
  if (data === undefined || data === null) {
    return { problems: [coreProblem('schema/type', 'the spec is empty; it must be a mapping with a "tunnels" list')] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { problems: [coreProblem('schema/type', 'the spec must be a mapping with a "tunnels" list')] };
  }
  const packages = (data as { plugins?: unknown }).plugins;
  // Only names the schema accepts are imported: a path must not run before validation refuses it.
  const packageName = new RegExp(packageNamePattern);
  const names = Array.isArray(packages)
    ? packages.filter((p): p is string => typeof p === 'string' && packageName.test(p))
    : [];
  const plugins = names.length
    ? await loadPlugins(names, loaded.dir ?? dirname(resolve(loaded.file)))
    : builtinPlugins();
  if (Array.isArray(plugins)) return { problems: plugins };

  const { problems: schemaProblems, complete } = await validateSchema(data, plugins.list, plugins.builtin);
  // Past the cap on schema errors, which tunnels are sound is unknown; and what the semantic
  // checks would add is never shown after so many problems. They do not run.
  if (!complete) return { problems: schemaProblems, more: true };
  const raw = data as RawSpec;
  // Semantic checks run on every part the schema accepted, so one run reports both kinds.
  // They need the top-level shape: a list of tunnels and, if any, a mapping of hosts.
  const hosts: unknown = raw.hosts;
  if (
    !Array.isArray(raw.tunnels) ||
    (hosts !== undefined && (!hosts || typeof hosts !== 'object' || Array.isArray(hosts)))
  )
    return { problems: schemaProblems };
  const badTunnels = refusedTunnels(raw, schemaProblems);
  const { ends, problems: resolveProblems } = resolveEnds(raw, plugins.byName, badTunnels);
  const checkProblems = runChecks(ends, plugins.byName);
  const problems = [...schemaProblems, ...resolveProblems, ...checkProblems];
  if (checkProblems.length >= maxCheckProblems) return { problems, more: true };
  if (problems.length) return { problems };
  return { problems, spec: { file: loaded.file, hosts: Object.keys(raw.hosts ?? {}), ends, plugins, raw } };
}

/**
 * Tunnels the semantic checks leave alone: those with a schema problem, not a mapping, or on
 * a host with a schema problem (its underlay is not safe to reason about). Their values are
 * reported by the schema and not guessed at.
 */
function refusedTunnels(raw: RawSpec, schemaProblems: Problem[]): Set<number> {
  const badHosts = new Set(
    schemaProblems.filter((p) => p.path[0] === 'hosts' && typeof p.path[1] === 'string').map((p) => p.path[1]),
  );
  const bad = new Set(
    schemaProblems
      .filter((p) => p.path[0] === 'tunnels' && typeof p.path[1] === 'number')
      .map((p) => p.path[1] as number),
  );
  raw.tunnels.forEach((tunnel: unknown, index) => {
    if (!tunnel || typeof tunnel !== 'object' || Array.isArray(tunnel)) return bad.add(index);
    // Most specs have no refused host: then the hosts a tunnel names need no look.
    if (!badHosts.size) return;
    const named = tunnel as { host?: unknown; ends?: unknown };
    const hostsNamed = [
      named.host,
      ...(Array.isArray(named.ends) ? named.ends.map((e: { host?: unknown } | null) => e?.host) : []),
    ];
    if (hostsNamed.some((h) => typeof h === 'string' && badHosts.has(h))) bad.add(index);
  });
  return bad;
}

export interface RenderOptions {
  /** Only this host's files; all hosts when undefined. */
  host?: string;
}

/** Renders the spec for a target, in spec order. */
export function renderSpec(spec: ValidSpec, targetName: string, options: RenderOptions = {}): RenderedFile[] {
  const target = Object.hasOwn(targets, targetName) ? targets[targetName] : undefined;
  if (!target)
    throw new Error(`unknown target ${JSON.stringify(targetName)}; targets: ${Object.keys(targets).join(', ')}`);
  if (options.host !== undefined && !spec.hosts.includes(options.host)) {
    throw new Error(
      `unknown host ${JSON.stringify(options.host)}; ${spec.hosts.length ? `hosts are: ${spec.hosts.join(', ')}` : 'the spec lists no hosts'}`,
    );
  }
  const ends = options.host === undefined ? spec.ends : spec.ends.filter((end) => end.host === options.host);
  return renderEnds(ends, target, spec.file);
}

/**
 * The files `emit --out` writes for a target, laid out as it writes them: NAME, or
 * HOST/NAME when several hosts are emitted. Hand them to writeFiles, or to driftOf
 * for what `emit --check` reports.
 */
export function emitFiles(spec: ValidSpec, targetName: string, options: RenderOptions = {}): PlacedFile[] {
  return placeFiles(renderSpec(spec, targetName, options), options.host === undefined && spec.hosts.length > 0);
}

/** Kernel modules the given ends need, sorted and unique. */
export function kernelModules(spec: ValidSpec, host?: string): string[] {
  const modules = new Set<string>();
  for (const end of spec.ends) {
    if (host === undefined || end.host === host) {
      end.plugin.kernelModules.forEach((m) => modules.add(m));
      end.plugin.modulesFor?.(end).forEach((m) => modules.add(m));
    }
  }
  return [...modules].sort();
}
