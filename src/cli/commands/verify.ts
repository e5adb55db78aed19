import { InvalidArgumentError, type Command } from 'commander';
import { hostContext, type HostContext } from '../../host/context.js';
import { verifyDefaults, verifySpec } from '../../host/verify.js';
import { formatVerify } from '../../host/verify-report.js';
import { readPendingTry, pendingTryWarning } from '../../host/pending-try.js';
import { err, exitCodes, out } from '../io.js';
import { thisHostOption, type CliContext } from '../options.js';
import { loadValidSpec } from '../spec-options.js';

interface VerifyCliOptions {
  host?: string;
  json?: boolean;
  count: number;
  timeout: number;
}

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}

export function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || text.trim() === '')
    throw new InvalidArgumentError('expected a number of seconds');
  return value;
}

export function registerVerify(program: Command, cli: CliContext): void {
  program
    .command('verify')
    .description("check this host's tunnels: link kind and settings, state, addresses, pings to each peer, mode probes")
    .addOption(thisHostOption())
    .option('--json', 'print the report as JSON')
    .option('--count <n>', 'pings per peer address', positiveInteger, verifyDefaults.count)
    .option(
      '--timeout <s>',
      'seconds the tunnels may take to settle; checks are retried until then',
      seconds,
      verifyDefaults.timeoutSeconds,
    )
    .action(async (options: VerifyCliOptions) => cli.finish(await verify(options, cli.config())));
}

export async function verify(
  options: VerifyCliOptions,
  config: string | undefined,
  context: HostContext = hostContext(),
): Promise<number> {
  const spec = await loadValidSpec(config);
  // verify needs no root: a record it may not read (0600) is no reason to stop checking.
  const pending = await readPendingTry(context).catch(() => null);
  if (pending) err(`tungen: warning: ${pendingTryWarning(pending)}`);
  const report = await verifySpec(
    spec,
    { host: options.host, count: options.count, timeoutSeconds: options.timeout },
    context,
  );
  out(options.json ? JSON.stringify(report, null, 2) : formatVerify(report));
  return report.ok ? exitCodes.ok : exitCodes.problems;
}
