import { createRequire, isBuiltin } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinModes } from '../../plugins/index.js';
import type { ModePlugin, PluginModule } from '../contract.js';
import { coreProblem, quote, type Problem } from '../diagnostics.js';
import { importFile } from '../import-file.js';
import { baseTunnelProperties } from '../schema/assemble.js';

/** The modes a spec can use. */
export interface PluginSet {
  list: readonly ModePlugin[];
  byName: ReadonlyMap<string, ModePlugin>;
  /** True when only built-in modes are loaded, so the precompiled schema applies. */
  builtin: boolean;
}

/** A mode's own rule id, before the core prefixes the mode: 'key-conflict'. */
const ruleIdPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const requiredFunctions = ['identity', 'networkd', 'ifupdown', 'expect'] as const;

/** A link kind as `ip link add ... type` and networkd's Kind= take it. */
const kindPattern = /^[a-z][a-z0-9_]{0,15}$/;

export function builtinPlugins(): PluginSet {
  return { list: builtinModes, byName: new Map(builtinModes.map((p) => [p.name, p])), builtin: true };
}

/** Built-in modes plus the packages the spec names, resolved from the spec's folder. */
export async function loadPlugins(packages: readonly string[], fromDir: string): Promise<PluginSet | Problem[]> {
  if (packages.length === 0) return builtinPlugins();
  const problems: Problem[] = [];
  const list = [...builtinModes];
  const requireFrom = createRequire(join(fromDir, 'package.json'));
  for (const [index, name] of packages.entries()) {
    const at = ['plugins', index];
    let module: { default?: PluginModule } & Partial<PluginModule>;
    try {
      // Only a package installed for the spec's folder: require.resolve answers a built-in
      // such as "os" with its bare name, which as a file URL would be ./os of the current folder.
      if (isBuiltin(name)) throw new Error('it is a Node.js built-in module, not a plugin package');
      const file = requireFrom.resolve(name);
      if (!isAbsolute(file)) throw new Error(`it resolves to ${quote(file)}, not to a file of an installed package`);
      module = (await importFile(pathToFileURL(file).href)) as typeof module;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(
        coreProblem(
          'plugin/load',
          `cannot load plugin ${quote(name)}: ${quote(reason.split('\n')[0], 200).slice(1, -1)}`,
          at,
        ),
      );
      continue;
    }
    const exported = (module.default ?? module) as PluginModule | undefined;
    if (!exported || typeof exported !== 'object') {
      problems.push(coreProblem('plugin/contract', `plugin ${quote(name)}: does not export a mode plugin`, at));
      continue;
    }
    const modes: unknown = 'modes' in exported ? exported.modes : [exported];
    if (!Array.isArray(modes)) {
      problems.push(coreProblem('plugin/contract', `plugin ${quote(name)}: "modes" is not a list of mode plugins`, at));
      continue;
    }
    for (const mode of modes as ModePlugin[]) {
      const problem = contractProblem(mode, list) ?? (await optionsProblem(mode));
      if (problem) problems.push(coreProblem('plugin/contract', `plugin ${quote(name)}: ${problem}`, at));
      else list.push(mode);
    }
  }
  if (problems.length) return problems;
  return { list, byName: new Map(list.map((p) => [p.name, p])), builtin: false };
}

/**
 * What is wrong with a mode's option schemas: compiled here, once per plugin
 * object, so a broken one is this plugin's problem rather than an error of ajv
 * in the middle of validating a spec.
 */
async function optionsProblem(mode: ModePlugin): Promise<string | undefined> {
  const { modeSchemaProblem } = await import('../schema/plugin-schemas.js');
  const problem = modeSchemaProblem(mode);
  return problem === undefined ? undefined : `mode ${mode.name}: ${problem}`;
}

/** What is wrong with a plugin's shape, checked before any spec reaches it. */
function contractProblem(mode: ModePlugin, loaded: readonly ModePlugin[]): string | undefined {
  if (!mode || typeof mode !== 'object') return 'does not export a mode plugin';
  if (typeof mode.name !== 'string' || !/^[a-z][a-z0-9-]{0,30}$/.test(mode.name))
    return `invalid mode name ${quote(mode.name)}`;
  if (loaded.some((p) => p.name === mode.name)) return `mode ${mode.name} is already defined`;
  const missing = requiredFunctions.filter((fn) => typeof mode[fn] !== 'function');
  if (missing.length) return `mode ${mode.name} lacks ${missing.join(', ')}`;
  if (typeof mode.kind !== 'string' || !kindPattern.test(mode.kind))
    return `mode ${mode.name} has an invalid kind ${quote(mode.kind)}: the kernel's link kind, e.g. "sit"`;
  if (!Array.isArray(mode.fallbackDevices) || !mode.fallbackDevices.every((d) => typeof d === 'string'))
    return `mode ${mode.name} has "fallbackDevices" that is not a list of interface names`;
  if (!mode.options || typeof mode.options !== 'object' || Array.isArray(mode.options))
    return `mode ${mode.name} has "options" that is not a mapping of option names to schemas`;
  const clash = Object.keys(mode.options ?? {}).filter(
    (key) => Object.hasOwn(baseTunnelProperties, key) || key === 'mode',
  );
  if (clash.length) return `mode ${mode.name} redefines base fields ${clash.join(', ')}`;
  if (!['ipv4', 'ipv6'].includes(mode.outer)) return `mode ${mode.name} has an invalid outer family`;
  if (mode.rules !== undefined) {
    if (!mode.rules || typeof mode.rules !== 'object') return `mode ${mode.name} has "rules" that is not a mapping`;
    const bad = Object.keys(mode.rules).filter((id) => !ruleIdPattern.test(id));
    if (bad.length)
      return `mode ${mode.name} has invalid rule ids ${bad.map((id) => quote(id)).join(', ')}: lowercase words joined by '-'`;
  }
  return undefined;
}
