import { InvalidArgumentError, type Command } from 'commander';
import { buildBundle } from '../../output/bundle.js';
import type { LoadedSpec } from '../../spec/load.js';
import { targetNames } from '../../targets/index.js';
import { CliError, exitCodes, out } from '../io.js';
import { targetOption, type CliContext } from '../options.js';
import { loadValidSpec } from '../spec-options.js';
import { positiveInteger } from './verify.js';

interface BundleCliOptions {
  target: string;
  hostTarget: Record<string, string>;
  host: string[];
  underlay: Record<string, string>;
  count: number;
}

/** Parses repeated NAME=VALUE options into one map. */
function pair(text: string, previous: Record<string, string>): Record<string, string> {
  const equals = text.indexOf('=');
  if (equals < 1 || equals === text.length - 1) throw new InvalidArgumentError(`expected NAME=VALUE, got "${text}"`);
  return { ...previous, [text.slice(0, equals)]: text.slice(equals + 1) };
}

const collect = (text: string, previous: string[]) => [...previous, text];

export function registerBundle(program: Command, cli: CliContext): void {
  program
    .command('bundle')
    .description(
      'print, as JSON, what each host needs to converge without tungen: files, kernel modules, links, ping probes',
    )
    .addOption(targetOption('output format of every host'))
    .option('--host-target <host=target>', 'output format of one host, overriding --target (repeatable)', pair, {})
    .option('-H, --host <name>', 'only this host (repeatable; default: every host of the spec)', collect, [])
    .option(
      '--underlay <host=address>',
      "the host's underlay address, added to the spec's hosts or replacing the one there (repeatable)",
      pair,
      {},
    )
    .option('--count <n>', 'pings per peer address in each probe', positiveInteger, 3)
    .action(async (options: BundleCliOptions) => cli.finish(await bundle(options, cli.config())));
}

async function bundle(options: BundleCliOptions, config: string | undefined): Promise<number> {
  for (const target of Object.values(options.hostTarget)) {
    if (!targetNames.includes(target))
      throw new CliError(`unknown target ${JSON.stringify(target)}; use ${targetNames.join(' or ')}`);
  }
  const spec = await loadValidSpec(config, (loaded) => addUnderlays(loaded, options.underlay));
  if (!spec.hosts.length)
    throw new CliError(
      `${spec.file} lists no hosts: a bundle is per host; add a hosts section or --underlay HOST=ADDR`,
    );
  const unknown = [...options.host, ...Object.keys(options.hostTarget)].filter((h) => !spec.hosts.includes(h));
  if (unknown.length)
    throw new CliError(
      `unknown host${unknown.length > 1 ? 's' : ''} ${unknown.map((h) => JSON.stringify(h)).join(', ')}; hosts in ${spec.file}: ${spec.hosts.join(', ')}`,
    );
  const result = buildBundle(spec, {
    target: options.target,
    targets: options.hostTarget,
    hosts: options.host.length ? options.host : undefined,
    count: options.count,
  });
  out(JSON.stringify(result, null, 2));
  return exitCodes.ok;
}

/** Puts the given underlays into the spec's hosts section before it is checked, so the checks cover them. */
function addUnderlays(loaded: LoadedSpec, underlays: Readonly<Record<string, string>>): void {
  const names = Object.keys(underlays);
  const data = loaded.data as { hosts?: unknown } | null;
  if (!names.length || !data || typeof data !== 'object' || Array.isArray(data)) return;
  const hosts = data.hosts && typeof data.hosts === 'object' && !Array.isArray(data.hosts) ? data.hosts : {};
  const merged: Record<string, unknown> = { ...hosts };
  for (const name of names) {
    const existing = merged[name];
    const base = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
    merged[name] = { ...base, underlay: underlays[name] };
  }
  data.hosts = merged;
}
