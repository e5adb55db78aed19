import type { ValidSpec } from '../api.js';
import type { Step } from './activation.js';
import { commitChanges } from './commit.js';
import type { HostContext } from './context.js';
import { HostError } from './errors.js';
import { desiredState } from './desired.js';
import { acquireLock } from './lock.js';
import { planApply, type ApplyPlan } from './plan.js';
import { selectHost } from './select-host.js';
import { complaint } from './runner.js';

/** How one command of the plan went. */
export interface StepResult {
  argv: string[];
  required: boolean;
  ok: boolean;
  /** The command's complaint when it failed. */
  error?: string;
}

export interface ApplyResult {
  plan: ApplyPlan;
  ran: StepResult[];
  /** Every required command succeeded. */
  ok: boolean;
}

/** Long enough for a slow host, short enough that a hung networkctl does not hold the lock forever. */
const stepTimeoutMs = 120_000;

/**
 * Runs a plan: the `before` commands, then all file changes at once, then the
 * `after` commands. A failed required `before` command stops the apply before
 * any file changes; a failed `after` command is reported, and the rest still run.
 */
export async function applyPlan(context: HostContext, plan: ApplyPlan): Promise<ApplyResult> {
  if (plan.problems.length) throw new HostError(plan.problems.join('\n'));
  const ran: StepResult[] = [];
  const before = plan.steps.filter((s) => s.phase === 'before');
  for (const step of before) {
    const result = await runStep(context, step);
    ran.push(result);
    if (!result.ok && step.required) return { plan, ran, ok: false };
  }
  try {
    await commitChanges(context, plan.changes);
  } catch (error) {
    await undoSteps(context, before.filter((_, i) => ran[i]?.ok));
    throw error;
  }
  for (const step of plan.steps.filter((s) => s.phase === 'after')) ran.push(await runStep(context, step));
  return { plan, ran, ok: ran.every((r) => r.ok || !r.required) };
}

async function runStep(context: HostContext, step: Step): Promise<StepResult> {
  const result = await context.runner.run(step.argv, { timeoutMs: stepTimeoutMs });
  return { argv: step.argv, required: step.required, ok: result.code === 0, ...(result.code !== 0 && { error: complaint(result) }) };
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

/** Plans and applies this machine's part of the spec under the host's lock. */
export async function applySpec(spec: ValidSpec, options: ApplySpecOptions, context: HostContext): Promise<ApplyResult> {
  const release = await acquireLock(context, options.command ?? `tungen apply --target ${options.target}`);
  try {
    return await applyPlan(context, await planSpec(spec, options, context));
  } finally {
    await release();
  }
}
