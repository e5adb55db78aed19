import type { Command } from 'commander';
import { emitFiles } from '../../api.js';
import { driftOf, manifest, OutputError, writeFiles, type PlacedFile } from '../../output/files.js';
import { CliError, exitCodes, out } from '../io.js';
import { targetOption, type CliContext } from '../options.js';
import { loadValidSpec } from '../spec-options.js';

interface EmitOptions {
  target: string;
  host?: string;
  out?: string;
  json?: boolean;
  check?: boolean;
}

export function registerEmit(program: Command, cli: CliContext): void {
  program
    .command('emit')
    .description('render the spec for a target: print it, write it into a folder, or check a folder for drift')
    .addOption(targetOption())
    .option('-H, --host <name>', 'only this host (default: every host; each gets its own folder under --out)')
    .option('-o, --out <dir>', "write into DIR as the target's config folder instead of printing")
    .option('--json', 'print a manifest (path, sha256, tunnel, host) instead of file contents')
    .option('--check', 'write nothing; exit 1 when --out DIR differs from what would be written')
    .action(async (options: EmitOptions) => cli.finish(await emit(options, cli.config())));
}

export async function emit(options: EmitOptions, config: string | undefined): Promise<number> {
  if (options.out === '') throw new CliError('--out needs a folder; give --out . for the current one');
  if (options.check && options.out === undefined) throw new CliError('--check compares with a folder: give --out DIR');
  const { files, perHost } = await specFiles(options, config);
  try {
    return await writeOrCheck(options, files, perHost);
  } catch (error) {
    if (error instanceof OutputError) throw new CliError(error.message);
    throw error;
  }
}

async function writeOrCheck(options: EmitOptions, files: PlacedFile[], perHost: boolean): Promise<number> {
  if (options.check) {
    const drift = await driftOf(options.out!, files, perHost);
    const lines = [
      ...drift.missing.map((p) => `missing  ${p}`),
      ...drift.changed.map((p) => `changed  ${p}`),
      ...drift.stale.map((p) => `stale    ${p}`),
    ];
    if (options.json) out(JSON.stringify(drift, null, 2));
    else if (lines.length) out(lines.join('\n'));
    return lines.length ? exitCodes.problems : exitCodes.ok;
  }
  if (options.out) {
    await writeFiles(options.out, files, perHost);
    if (options.json) out(JSON.stringify(manifest(files), null, 2));
    return exitCodes.ok;
  }
  if (options.json) {
    out(JSON.stringify(manifest(files), null, 2));
    return exitCodes.ok;
  }
  out(files.map((f) => `==> ${f.path} <==\n${f.contents}`).join('\n'));
  return exitCodes.ok;
}

/**
 * The placed files of the spec. The spec itself (parsed data and expanded
 * ends) is not needed once rendered; kept out of emit's frame, it can be
 * collected while thousands of files are written.
 */
async function specFiles(
  options: EmitOptions,
  config: string | undefined,
): Promise<{ files: PlacedFile[]; perHost: boolean }> {
  const spec = await loadValidSpec(config);
  // Must match emitFiles' choice of one folder per host.
  const perHost = options.host === undefined && spec.hosts.length > 0;
  try {
    return { files: emitFiles(spec, options.target, { host: options.host }), perHost };
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
