import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applySpec, planSpec } from '../../host/apply.js';
import { hostContext, type HostContext } from '../../host/context.js';
import { HostError, HostUsageError } from '../../host/errors.js';
import { readPendingTry, pendingTryWarning } from '../../host/pending-try.js';
import { HostSystemError } from '../../host/system-errors.js';
import { appliedData, formatApplied, formatCheck, formatPlan, outOfSync, planData } from '../../host/plan-report.js';
import { targetNames } from '../../targets/index.js';
import { CliError, err, exitCodes, out } from '../io.js';
import { loadValidSpec } from '../spec-options.js';

interface ApplyOptions {
  target: string;
  host?: string;
  root: string;
  dryRun?: boolean;
  check?: boolean;
  json?: boolean;
}

export const hostOptionHelp =
  'the spec host this machine is (default: the host named like this machine, or whose underlay address is configured here)';
export const rootOptionHelp =
  'folder standing for / when reading and writing files and the lock; commands still act on this machine';

export function registerApply(program: Command, config: () => string | undefined): void {
  program
    .command('apply')
    .description("write this host's files, load the kernel modules and bring the tunnels up")
    .requiredOption('-t, --target <target>', `output format: ${targetNames.join(' or ')}`)
    .option('-H, --host <name>', hostOptionHelp)
    .option('--root <dir>', rootOptionHelp, '/')
    .option('-n, --dry-run', 'print what would change (files with diffs, links, commands) and change nothing')
    .option(
      '--check',
      'change nothing; exit 1 and say what differs (files, or links in the kernel) when the host is not as the spec says, 0 when it is',
    )
    .option('--json', 'print the plan and what ran as JSON')
    .action(async (options: ApplyOptions) => {
      process.exitCode = await apply(options, config());
    });
}

export function checkTarget(target: string): void {
  if (!targetNames.includes(target))
    throw new CliError(`unknown target ${JSON.stringify(target)}; use ${targetNames.join(' or ')}`);
}

/** Host failures are for the user as they are: a wrong --host is usage, the rest are problems found. */
export async function asCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HostUsageError || error instanceof HostSystemError)
      throw new CliError(error.message, exitCodes.usage);
    if (error instanceof HostError) throw new CliError(error.message, exitCodes.problems);
    throw error;
  }
}

export async function apply(
  options: ApplyOptions,
  config: string | undefined,
  context: HostContext = hostContext({ root: resolve(options.root) }),
): Promise<number> {
  checkTarget(options.target);
  const spec = await loadValidSpec(config);
  const settings = { target: options.target, host: options.host, command: `tungen apply --target ${options.target}` };
  if (options.dryRun || options.check) {
    const { plan, pending } = await asCliErrors(async () => ({
      plan: await planSpec(spec, settings, context),
      pending: await readPendingTry(context),
    }));
    if (pending) err(`tungen: warning: ${pendingTryWarning(pending)}`);
    if (options.check) {
      out(options.json ? JSON.stringify({ inSync: !outOfSync(plan), ...planData(plan) }, null, 2) : formatCheck(plan));
      return outOfSync(plan) ? exitCodes.problems : exitCodes.ok;
    }
    out(options.json ? JSON.stringify(planData(plan), null, 2) : formatPlan(plan));
    return plan.problems.length ? exitCodes.problems : exitCodes.ok;
  }
  const result = await asCliErrors(() => applySpec(spec, settings, context));
  out(options.json ? JSON.stringify(appliedData(result), null, 2) : formatApplied(result));
  for (const note of [...result.plan.notes, ...result.notes]) err(`tungen: note: ${note}`);
  if (result.error) err(`tungen: ${result.error}`);
  if (result.systemError) return exitCodes.usage;
  return result.ok ? exitCodes.ok : exitCodes.problems;
}
