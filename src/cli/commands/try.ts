import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { InvalidArgumentError, type Command } from 'commander';
import { hostContext, type HostContext } from '../../host/context.js';
import { appliedData, formatApplied } from '../../host/plan-report.js';
import type { ApplyResult } from '../../host/apply.js';
import { rollbackPendingTry, trySpec, type ConfirmBy, type TryResult } from '../../host/try.js';
import { verifyDefaults, type VerifyReport } from '../../host/verify.js';
import { formatVerify } from '../../host/verify-report.js';
import { CliError, err, exitCodes, out } from '../io.js';
import { changeThisHostOptions, targetOption, type ChangeThisHostOptions, type CliContext } from '../options.js';
import { loadValidSpec } from '../spec-options.js';
import { positiveInteger, seconds } from './verify.js';

interface TryCliOptions extends ChangeThisHostOptions {
  target?: string;
  rollback?: boolean;
  timeout: number;
  confirmBy?: ConfirmBy;
  count: number;
  verifyTimeout?: number;
}

function confirmBy(text: string): ConfirmBy {
  if (text !== 'prompt' && text !== 'verify') throw new InvalidArgumentError('expected "prompt" or "verify"');
  return text;
}

export function registerTry(program: Command, cli: CliContext): void {
  const command = program
    .command('try')
    .description(
      'apply, verify, and roll back to the previous files and links unless verify passes and the change is confirmed in time',
    );
  const target = targetOption('output format (needed unless --rollback)', { mandatory: false });
  for (const option of changeThisHostOptions(target)) command.addOption(option);
  command
    .option(
      '--rollback',
      'restore the files (contents, modes, owners) and links an unconfirmed try saved, e.g. after it was killed; needs no spec',
    )
    .option(
      '--timeout <s>',
      'seconds to decide: to press Enter with "prompt", for verify to pass with "verify"',
      seconds,
      120,
    )
    .option(
      '--confirm-by <how>',
      '"prompt": verify must pass and someone presses Enter; "verify": passing verify is enough (default: prompt on a terminal, verify otherwise)',
      confirmBy,
    )
    .option('--count <n>', 'pings per peer address', positiveInteger, verifyDefaults.count)
    .option(
      '--verify-timeout <s>',
      `seconds the tunnels may take to settle (default: ${verifyDefaults.timeoutSeconds} with "prompt", --timeout with "verify")`,
      seconds,
    )
    .option('--json', 'print what was applied, the verify report and the outcome as JSON')
    .action(async (options: TryCliOptions) => cli.finish(await tryCommand(options, cli.config())));
}

/** Resolves true when a line arrives on stdin within the timeout; end of input, Ctrl-C or the timeout mean no. */
function promptKeep(timeoutSeconds: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((done) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let settled = false;
    const finish = (keep: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rl.close();
      done(keep);
    };
    const timer = setTimeout(() => {
      err('\nNo confirmation in time.');
      finish(false);
    }, timeoutSeconds * 1000);
    rl.on('line', () => finish(true));
    rl.on('close', () => finish(false));
    rl.on('SIGINT', () => finish(false));
    // A signal stops the try: the prompt must let go of stdin, or the process would not end.
    signal?.addEventListener('abort', () => finish(false), { once: true });
    err(
      `Verify passed. Press Enter within ${timeoutSeconds} s to keep these settings; otherwise they are rolled back.`,
    );
  });
}

/** SIGINT, SIGTERM and SIGHUP stop a try before confirmation: it rolls back, then exits non-zero. */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    err(`tungen: ${name} received: rolling back the try, then exiting`);
    controller.abort(name);
  };
  for (const name of stopSignals) process.on(name, onSignal);
  return { signal: controller.signal, dispose: () => stopSignals.forEach((name) => process.off(name, onSignal)) };
}

export async function tryCommand(
  options: TryCliOptions,
  config: string | undefined,
  context: HostContext = hostContext({ root: resolve(options.root) }),
  ask?: (signal: AbortSignal) => Promise<boolean>,
): Promise<number> {
  if (options.rollback) {
    const { record, rollback } = await rollbackPendingTry(context);
    if (options.json)
      out(
        JSON.stringify(
          {
            rolledBack: rollback.ok,
            try: { command: record.command, pid: record.pid, started: record.started },
            rollback: appliedData(rollback),
          },
          null,
          2,
        ),
      );
    else
      out(
        `${rollback.ok ? 'Rolled back' : 'Rolling back FAILED for'} the unconfirmed try "${record.command}" (pid ${record.pid}, started ${record.started}).\n${formatApplied(rollback, 'Restored on')}`,
      );
    if (rollback.error) err(`tungen: ${rollback.error}`);
    return rollback.ok ? exitCodes.ok : exitCodes.problems;
  }
  if (options.target === undefined)
    throw new CliError("required option '-t, --target <target>' not specified (or give --rollback)");
  const target = options.target;
  const spec = await loadValidSpec(config);
  const how = options.confirmBy ?? (process.stdin.isTTY ? 'prompt' : 'verify');
  // Without a person to ask, the whole --timeout is verify's to use.
  const verifyTimeout = options.verifyTimeout ?? (how === 'verify' ? options.timeout : verifyDefaults.timeoutSeconds);
  let shown = false;
  // The person deciding sees what changed and what verify found before the prompt.
  const confirm = async (applied: ApplyResult, report: VerifyReport) => {
    if (!options.json) {
      out(`${formatApplied(applied)}\n\n${formatVerify(report)}\n`);
      shown = true;
    }
    return (ask ?? ((signal) => promptKeep(options.timeout, signal)))(signals.signal);
  };
  const signals = abortOnSignals();
  try {
    const result = await trySpec(
      spec,
      {
        target,
        host: options.host,
        command: `tungen try --target ${target}`,
        verify: { count: options.count, timeoutSeconds: verifyTimeout },
        confirmBy: how,
        confirm,
        signal: signals.signal,
      },
      context,
    );
    for (const note of result.notes) err(`tungen: note: ${note}`);
    out(options.json ? JSON.stringify(tryData(result), null, 2) : formatTry(result, shown));
    const failure = result.rollback?.error ?? (result.kept ? undefined : result.applied?.error);
    if (failure) err(`tungen: ${failure}`);
    return result.kept && result.verify?.ok ? exitCodes.ok : exitCodes.problems;
  } finally {
    signals.dispose();
  }
}

function tryData(result: TryResult) {
  return {
    kept: result.kept,
    reason: result.reason,
    interrupted: result.interrupted ?? null,
    applied: result.applied ? appliedData(result.applied) : null,
    verify: result.verify,
    rollback: result.rollback ? appliedData(result.rollback) : null,
  };
}

function formatTry(result: TryResult, shown: boolean): string {
  const parts =
    shown || !result.applied
      ? []
      : [formatApplied(result.applied), ...(result.verify ? [formatVerify(result.verify)] : [])];
  if (result.kept) parts.push(`Kept: ${result.reason}.`);
  else if (result.rollback)
    parts.push(
      `${result.rollback.ok ? 'Rolled back' : 'Rolling back FAILED'}: ${result.reason}.`,
      formatApplied(result.rollback, 'Restored on'),
    );
  else parts.push(`Nothing to roll back: ${result.reason}.`);
  return parts.join('\n\n');
}
