import { dirname } from 'node:path';
import type { ValidSpec } from '../api.js';
import type { Step } from './activation.js';
import { commitChanges, CommitError } from './commit.js';
import { underRoot, type HostContext } from './context.js';
import { HostError } from './errors.js';
import { removeLeftovers } from './file-ops.js';
import { desiredState, modulesFile, targetOf } from './desired.js';
import { kernelDrift, observeLinks } from './kernel-state.js';
import { lockFile } from './lock.js';
import { clearPendingTry, pendingTryFile, pendingTryWarning, readPendingTry } from './pending-try.js';
import { planApply, type ApplyPlan } from './plan.js';
import { selectHost } from './select-host.js';
import { complaint, showCommand } from './runner.js';
import { systemFailure } from './system-errors.js';

/** How one command of the plan went: `not run` when apply stopped before it. */
export interface StepResult {
  argv: string[];
  phase: Step['phase'];
  required: boolean;
  status: 'ok' | 'failed' | 'not run';
  ok: boolean;
  /** The command's complaint when it failed. */
  error?: string;
}

/** What became of the file changes: written, never written, or written and undone. */
export type FilesStatus = 'committed' | 'nothing changed' | 'not written' | 'rolled back' | 'partly restored';

export interface ApplyResult {
  plan: ApplyPlan;
  /** Every command of the plan, in order, with what became of it. */
  ran: StepResult[];
  files: FilesStatus;
  /** committed: everything is in force; nothing changed: it already was; failed: see failedAt and error. */
  status: 'committed' | 'nothing changed' | 'failed';
  /** The step that failed first: a command, "writing the files", or "the kernel settling". */
  failedAt?: string;
  /** Why, in one line. */
  error?: string;
  /** The errno code when a condition of the system (permissions, a full disk, a planted link) stopped it. */
  systemError?: string;
  /** Where the kernel still differs from the spec once apply gave up waiting, one line each. */
  remaining: string[];
  /** Every required command succeeded and the kernel shows what the spec says. */
  ok: boolean;
  notes: string[];
}

/** Long enough for a slow host, short enough that a hung networkctl does not hold the lock forever. */
const stepTimeoutMs = 120_000;
/** networkd builds netdevs after `networkctl reload` has returned; a slow machine needs seconds. */
const settleMs = 60_000;
const settlePollMs = 250;

/**
 * Runs a plan: the `before` commands, then all file changes at once, then the
 * `after` commands, then waits until the kernel shows what was planned. A
 * failed required `before` command stops the apply before any file changes; a
 * failed `after` command is reported, and the rest still run. Every failure
 * leaves what a later apply needs to finish the job: it compares the kernel,
 * not only the files, with the spec.
 */
export async function applyPlan(context: HostContext, plan: ApplyPlan): Promise<ApplyResult> {
  if (plan.problems.length) throw new HostError(plan.problems.join('\n'));
  const ran: StepResult[] = plan.steps.map((s) => ({
    argv: s.argv,
    phase: s.phase,
    required: s.required,
    status: 'not run',
    ok: false,
  }));
  const result = (fields: Partial<ApplyResult> & Pick<ApplyResult, 'files'>): ApplyResult => {
    const failedAt = fields.failedAt;
    return {
      plan,
      ran,
      remaining: [],
      notes: [],
      ...fields,
      status:
        failedAt !== undefined
          ? 'failed'
          : fields.files === 'committed' || ran.some((r) => r.ok)
            ? 'committed'
            : 'nothing changed',
      ok: failedAt === undefined,
    };
  };
  const before = plan.steps.filter((s) => s.phase === 'before');
  for (const [i, step] of before.entries()) {
    const outcome = (ran[i] = await runStep(context, step));
    if (!outcome.ok && step.required)
      return result({ files: 'not written', failedAt: showCommand(step.argv), error: outcome.error });
  }
  try {
    await commitChanges(context, plan.changes);
  } catch (error) {
    if (!(error instanceof CommitError)) throw error;
    await undoSteps(
      context,
      before.filter((_, i) => ran[i]?.ok),
    );
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    return result({
      files: error.files,
      failedAt: 'writing the files',
      error: error.message,
      ...(typeof code === 'string' && { systemError: code }),
    });
  }
  const files = plan.changes.length ? 'committed' : 'nothing changed';
  let failed: StepResult | undefined;
  for (const [i, step] of plan.steps.entries()) {
    if (step.phase !== 'after') continue;
    const outcome = (ran[i] = await runStep(context, step));
    if (!outcome.ok && step.required) failed ??= outcome;
  }
  if (failed) return result({ files, failedAt: showCommand(failed.argv), error: failed.error });
  const remaining = plan.steps.length || plan.changes.length ? await settle(context, plan) : [];
  if (remaining.length)
    return result({
      files,
      failedAt: 'the kernel settling',
      error: `the kernel still differs from the spec after ${settleMs / 1000} s: ${remaining[0]}${remaining.length > 1 ? ` (and ${remaining.length - 1} more)` : ''}; ${plan.target === 'networkd' ? 'see journalctl -u systemd-networkd' : 'see the output of ifup'}, then run apply again`,
      remaining,
    });
  return result({ files });
}

/** Waits until the kernel shows the planned links (and none of the removed ones); returns what still differs. */
async function settle(context: HostContext, plan: ApplyPlan): Promise<string[]> {
  const deadline = context.now() + settleMs;
  const gone = plan.links.filter((l) => l.action === 'delete' || l.action === 'stop').map((l) => l.name);
  // Restoring old files (a rollback) has no spec to compare with: the links only have to be there.
  const built = plan.expected.length
    ? []
    : plan.links.filter((l) => l.action !== 'delete' && l.action !== 'stop').map((l) => l.name);
  for (;;) {
    const remaining: string[] = [];
    try {
      const kernel = await observeLinks(context);
      for (const want of plan.expected)
        remaining.push(...kernelDrift(want, kernel.get(want.name) ?? null).map((d) => `${d.link}: ${d.detail}`));
      for (const name of gone) if (kernel.has(name)) remaining.push(`${name}: link still there`);
      for (const name of built) if (!kernel.has(name)) remaining.push(`${name}: link did not appear`);
    } catch (error) {
      if (!(error instanceof HostError)) throw error;
      remaining.push(error.message);
    }
    if (!remaining.length || context.now() >= deadline) return remaining;
    await context.sleep(settlePollMs);
  }
}

async function runStep(context: HostContext, step: Step): Promise<StepResult> {
  const result = await context.runner.run(step.argv, { timeoutMs: stepTimeoutMs });
  const ok = result.code === 0;
  return {
    argv: step.argv,
    phase: step.phase,
    required: step.required,
    status: ok ? 'ok' : 'failed',
    ok,
    ...(!ok && { error: complaint(result) }),
  };
}

async function undoSteps(context: HostContext, steps: readonly Step[]): Promise<void> {
  for (const step of [...steps].reverse()) {
    if (step.undo) await context.runner.run(step.undo, { timeoutMs: stepTimeoutMs });
  }
}

export interface ApplySpecOptions {
  target: string;
  /** Spec host to apply; found from this machine's name or addresses when absent. */
  host?: string;
  /** Described in the lock, e.g. "tungen apply --target networkd". */
  command?: string;
}

/** The plan for this machine's part of the spec, without changing anything. */
export async function planSpec(spec: ValidSpec, options: ApplySpecOptions, context: HostContext): Promise<ApplyPlan> {
  const host = await selectHost(spec, context, options.host);
  return planApply(context, desiredState(spec, options.target, host));
}

/** Every folder tungen writes in for a target, where an interrupted run may have left temporary files. */
function foldersTouched(context: HostContext, target: string): string[] {
  return [targetOf(target).configDir, dirname(modulesFile), dirname(lockFile), dirname(pendingTryFile)].map((dir) =>
    underRoot(context, dir),
  );
}

/** Removes temporary files of interrupted runs; the caller holds the lock, so none of them is in use. */
export async function removeAllLeftovers(context: HostContext, target: string): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of foldersTouched(context, target)) {
    try {
      removed.push(...(await removeLeftovers(context.files, folder)));
    } catch (error) {
      throw systemFailure(error, { doing: 'removing temporary files of an earlier run', path: folder, changed: false });
    }
  }
  return removed;
}

/** Plans and applies this machine's part of the spec under the host's lock. */
export async function applySpec(
  spec: ValidSpec,
  options: ApplySpecOptions,
  context: HostContext,
): Promise<ApplyResult> {
  const release = await context.lock(options.command ?? `tungen apply --target ${options.target}`);
  try {
    const notes: string[] = [];
    const leftovers = await removeAllLeftovers(context, options.target);
    if (leftovers.length)
      notes.push(`removed ${leftovers.length} temporary file(s) an interrupted run left: ${leftovers.join(', ')}`);
    const pending = await readPendingTry(context);
    const result = await applyPlan(context, await planSpec(spec, options, context));
    if (pending) {
      if (result.ok) {
        await clearPendingTry(context);
        notes.push(
          `${pendingTryWarning(pending).replace(/ is still in force:.*/, ' was in force')}; this apply replaced it, and its saved state is discarded`,
        );
      } else notes.push(pendingTryWarning(pending));
    }
    return { ...result, notes: [...notes, ...result.notes] };
  } finally {
    await release();
  }
}
