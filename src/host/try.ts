import type { ValidSpec } from '../api.js';
import { applyPlan, type ApplyResult, type ApplySpecOptions } from './apply.js';
import type { HostContext } from './context.js';
import { desiredState, type DesiredState } from './desired.js';
import { acquireLock } from './lock.js';
import { planApply, type ApplyPlan } from './plan.js';
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
}

export interface TryResult {
  applied: ApplyResult;
  verify: VerifyReport;
  kept: boolean;
  /** Why the changes were kept or rolled back. */
  reason: string;
  /** The apply that put the previous files and links back. */
  rollback?: ApplyResult;
}

/** The files as they were before `plan` ran: applying it undoes the plan, links included. */
export function previousState(plan: ApplyPlan): DesiredState {
  return {
    target: plan.target,
    host: plan.host,
    files: plan.changes.map((c) => ({ path: c.path, contents: c.before })),
    owned: [],
    modules: [],
  };
}

/**
 * Applies, verifies, and keeps the result only when verify passes and (with
 * 'prompt') someone confirms in time; otherwise restores the previous files,
 * deletes the links the try created, rebuilds the ones it changed, and reloads.
 * The host's lock is held throughout.
 */
export async function trySpec(spec: ValidSpec, options: TryOptions, context: HostContext): Promise<TryResult> {
  const release = await acquireLock(context, options.command ?? `tungen try --target ${options.target}`);
  try {
    const host = await selectHost(spec, context, options.host);
    const applied = await applyPlan(context, await planApply(context, desiredState(spec, options.target, host)));
    const ends = spec.ends.filter((end) => end.host === host);
    const verify = await verifyEnds(ends, spec.plugins.byName, options.verify, context, host);
    const { keep, reason } = await decide(applied, verify, options);
    if (keep || isEmptyPlan(applied.plan)) return { applied, verify, kept: keep, reason };
    const rollback = await applyPlan(context, await planApply(context, previousState(applied.plan)));
    return { applied, verify, kept: false, reason, rollback };
  } finally {
    await release();
  }
}

async function decide(
  applied: ApplyResult,
  verify: VerifyReport,
  options: TryOptions,
): Promise<{ keep: boolean; reason: string }> {
  if (!applied.ok) return { keep: false, reason: 'a command of the apply failed' };
  if (!verify.ok) return { keep: false, reason: 'verify failed' };
  if (options.confirmBy === 'verify' || isEmptyPlan(applied.plan)) return { keep: true, reason: 'verify passed' };
  if (!options.confirm) throw new Error('trySpec: confirmBy "prompt" needs a confirm function');
  return (await options.confirm(applied, verify))
    ? { keep: true, reason: 'verify passed and the changes were confirmed' }
    : { keep: false, reason: 'the changes were not confirmed in time' };
}
