import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applySpec, planSpec } from '../../host/apply.js';
import { hostContext, type HostContext } from '../../host/context.js';
import { readPendingTry, pendingTryWarning } from '../../host/pending-try.js';
import { appliedData, formatApplied, formatCheck, formatPlan, outOfSync, planData } from '../../host/plan-report.js';
import { err, exitCodes, out } from '../io.js';
import { changeThisHostOptions, targetOption, type ChangeThisHostOptions, type CliContext } from '../options.js';
import { loadValidSpec } from '../spec-options.js';

interface ApplyOptions extends ChangeThisHostOptions {
  target: string;
  dryRun?: boolean;
  check?: boolean;
}

export function registerApply(program: Command, cli: CliContext): void {
  const command = program
    .command('apply')
    .description("write this host's files, load the kernel modules and bring the tunnels up");
  for (const option of changeThisHostOptions(targetOption())) command.addOption(option);
  command
    .option('-n, --dry-run', 'print what would change (files with diffs, links, commands) and change nothing')
    .option(
      '--check',
      'change nothing; exit 1 and say what differs (files, or links in the kernel) when the host is not as the spec says, 0 when it is',
    )
    .option('--json', 'print the plan and what ran as JSON')
    .action(async (options: ApplyOptions) => cli.finish(await apply(options, cli.config())));
}

export async function apply(
  options: ApplyOptions,
  config: string | undefined,
  context: HostContext = hostContext({ root: resolve(options.root) }),
): Promise<number> {
  const spec = await loadValidSpec(config);
  const settings = { target: options.target, host: options.host, command: `tungen apply --target ${options.target}` };
  if (options.dryRun || options.check) {
    const plan = await planSpec(spec, settings, context);
    const pending = await readPendingTry(context);
    if (pending) err(`tungen: warning: ${pendingTryWarning(pending)}`);
    if (options.check) {
      out(options.json ? JSON.stringify({ inSync: !outOfSync(plan), ...planData(plan) }, null, 2) : formatCheck(plan));
      return outOfSync(plan) ? exitCodes.problems : exitCodes.ok;
    }
    out(options.json ? JSON.stringify(planData(plan), null, 2) : formatPlan(plan));
    return plan.problems.length ? exitCodes.problems : exitCodes.ok;
  }
  const result = await applySpec(spec, settings, context);
  out(options.json ? JSON.stringify(appliedData(result), null, 2) : formatApplied(result));
  for (const note of [...result.plan.notes, ...result.notes]) err(`tungen: note: ${note}`);
  if (result.error) err(`tungen: ${result.error}`);
  if (result.systemError) return exitCodes.usage;
  return result.ok ? exitCodes.ok : exitCodes.problems;
}
