import type { ValidSpec } from '../api.js';
import { applyPlan, removeAllLeftovers, type ApplyResult, type ApplySpecOptions } from './apply.js';
import type { HostContext } from './context.js';
import { desiredState, type DesiredState } from './desired.js';
import { HostError } from './errors.js';
import { clearPendingTry, pendingTryWarning, readPendingTry, savePendingTry, type PendingTry } from './pending-try.js';
import { planApply } from './plan.js';
import { isEmptyPlan } from './plan-report.js';
import { selectHost } from './select-host.js';
import { verifyEnds, type VerifyOptions, type VerifyReport } from './verify.js';

/** Who decides to keep a tried config once verify passed: a person at the prompt, or verify alone. */
export type ConfirmBy = 'prompt' | 'verify';

export interface TryOptions extends ApplySpecOptions {
  verify: VerifyOptions;
  confirmBy: ConfirmBy;
  /** Asks whether to keep the changes, shown what was applied and verified; false when nobody confirms in time. Needed for 'prompt'. */
  confirm?: (applied: ApplyResult, verify: VerifyReport) => Promise<boolean>;
  /** Aborted (e.g. on SIGTERM) to stop waiting and roll back; its reason says why. */
  signal?: AbortSignal;
}

export interface TryResult {
  /** null when the try was stopped before it changed anything. */
  applied: ApplyResult | null;
  /** null when verify did not run (interrupted, or the apply failed). */
  verify: VerifyReport | null;
  kept: boolean;
  /** Why the changes were kept or rolled back. */
  reason: string;
  /** The apply that put the previous files and links back. */
  rollback?: ApplyResult;
  /** Set when a signal stopped the try. */
  interrupted?: string;
  notes: string[];
}

/** The files a record holds, as the state to go back to: applying it undoes the try, links included. */
function previousState(record: Pick<PendingTry, 'target' | 'host' | 'files'>): DesiredState {
  return {
    target: record.target,
    host: record.host ?? undefined,
    files: record.files.map((f) => ({ path: f.path, contents: f.contents, ...(f.meta && { meta: f.meta }) })),
    owned: [],
    modules: [],
  };
}

const aborted = Symbol('aborted');

/** The work's result, or `aborted` as soon as the signal fires (the work itself is left to finish). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof aborted> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(aborted);
  return new Promise((resolve, reject) => {
    const stop = () => resolve(aborted);
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const why = (signal: AbortSignal) => String(signal.reason ?? 'interrupted');

/**
 * Applies, verifies, and keeps the result only when verify passes and (with
 * 'prompt') someone confirms in time; otherwise restores the previous files
 * (contents, modes and owners), deletes the links the try created, rebuilds
 * the ones it changed, and reloads. Before changing anything it saves the
 * previous files on disk, so a try killed before it decided can still be
 * rolled back (`rollbackPendingTry`). The host's lock is held throughout.
 */
export async function trySpec(spec: ValidSpec, options: TryOptions, context: HostContext): Promise<TryResult> {
  const { signal } = options;
  const release = await context.lock(options.command ?? `tungen try --target ${options.target}`);
  try {
    await removeAllLeftovers(context, options.target);
    const pending = await readPendingTry(context);
    const notes = pending ? [pendingTryWarning(pending).replace(/: run .*/, ': this try keeps its saved state')] : [];
    const host = await selectHost(spec, context, options.host);
    const plan = await planApply(context, desiredState(spec, options.target, host));
    if (signal?.aborted)
      return {
        applied: null,
        verify: null,
        kept: false,
        reason: `${why(signal)} before anything changed`,
        interrupted: why(signal),
        notes,
      };
    // The earliest saved state wins: a try after a killed one still goes back to before both.
    const saved = new Map((pending?.files ?? []).map((f) => [f.path, f]));
    for (const c of plan.changes)
      if (!saved.has(c.path))
        saved.set(c.path, { path: c.path, contents: c.before, ...(c.beforeMeta && { meta: c.beforeMeta }) });
    const record: PendingTry = {
      pid: process.pid,
      command: options.command ?? `tungen try --target ${options.target}`,
      started: new Date(context.now()).toISOString(),
      target: options.target,
      host: host ?? null,
      files: [...saved.values()],
    };
    if (record.files.length) await savePendingTry(context, record);
    const applied = await applyPlan(context, plan);
    const ends = spec.ends.filter((end) => end.host === host);
    let verify: VerifyReport | null = null;
    let outcome: { keep: boolean; reason: string } | typeof aborted;
    if (!applied.ok) outcome = { keep: false, reason: 'a command of the apply failed' };
    else {
      const report = await unlessAborted(verifyEnds(ends, { ...options.verify, signal }, context, host), signal);
      if (report === aborted) outcome = aborted;
      else {
        verify = report;
        outcome = await unlessAborted(decide(applied, report, options), signal);
      }
    }
    if (outcome === aborted || signal?.aborted) {
      const reason = `${why(signal!)} received before the changes were confirmed`;
      const rollback = await rollbackRecord(context, record);
      return { applied, verify, kept: false, reason, rollback, interrupted: why(signal!), notes };
    }
    if (outcome.keep) {
      if (record.files.length) await clearPendingTry(context);
      return { applied, verify, kept: true, reason: outcome.reason, notes };
    }
    if (isEmptyPlan(applied.plan) && !pending) return { applied, verify, kept: false, reason: outcome.reason, notes };
    const rollback = await rollbackRecord(context, record);
    return { applied, verify, kept: false, reason: outcome.reason, rollback, notes };
  } finally {
    await release();
  }
}

/** Puts back the saved files and rebuilds their links; forgets the record once that worked. */
async function rollbackRecord(context: HostContext, record: PendingTry): Promise<ApplyResult> {
  const rollback = await applyPlan(context, await planApply(context, previousState(record)));
  if (rollback.ok) await clearPendingTry(context);
  return rollback;
}

/** `tungen try --rollback`: restores what an unconfirmed (killed) try saved. */
export async function rollbackPendingTry(
  context: HostContext,
  command = 'tungen try --rollback',
): Promise<{ record: PendingTry; rollback: ApplyResult }> {
  const release = await context.lock(command);
  try {
    const record = await readPendingTry(context);
    if (!record) throw new HostError('there is no unconfirmed try to roll back; nothing was changed');
    await removeAllLeftovers(context, record.target);
    return { record, rollback: await rollbackRecord(context, record) };
  } finally {
    await release();
  }
}

async function decide(
  applied: ApplyResult,
  verify: VerifyReport,
  options: TryOptions,
): Promise<{ keep: boolean; reason: string }> {
  if (!verify.ok) return { keep: false, reason: 'verify failed' };
  if (options.confirmBy === 'verify' || isEmptyPlan(applied.plan)) return { keep: true, reason: 'verify passed' };
  if (!options.confirm) throw new Error('trySpec: confirmBy "prompt" needs a confirm function');
  return (await options.confirm(applied, verify))
    ? { keep: true, reason: 'verify passed and the changes were confirmed' }
    : { keep: false, reason: 'the changes were not confirmed in time' };
}
