import type { ValidSpec } from '../api.js';
import type { Step } from './activation.js';
import { commitChanges } from './commit.js';
import type { HostContext } from './context.js';
import { HostError } from './errors.js';
import { linkExists } from './ip-json.js';
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
  /** Links the plan creates that had not appeared when apply gave up waiting. */
  missing: string[];
  /** Every required command succeeded and every link is there. */
  ok: boolean;
}

/** Long enough for a slow host, short enough that a hung networkctl does not hold the lock forever. */
const stepTimeoutMs = 120_000;
/** networkd builds netdevs after `networkctl reload` has returned; a slow machine needs seconds. */
const linkWaitMs = 30_000;
const linkPollMs = 250;

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
    if (!result.ok && step.required) return { plan, ran, missing: [], ok: false };
  }
  try {
    await commitChanges(context, plan.changes);
  } catch (error) {
    await undoSteps(
      context,
      before.filter((_, i) => ran[i]?.ok),
    );
    throw error;
  }
  for (const step of plan.steps.filter((s) => s.phase === 'after')) ran.push(await runStep(context, step));
  const commandsOk = ran.every((r) => r.ok || !r.required);
  const missing = commandsOk
    ? await waitForLinks(
        context,
        plan.links.filter((l) => l.action !== 'delete' && l.action !== 'stop').map((l) => l.name),
      )
    : [];
  return { plan, ran, missing, ok: commandsOk && missing.length === 0 };
}

/** Returns when every link exists, or the links still missing once the wait is over. */
async function waitForLinks(context: HostContext, names: readonly string[]): Promise<string[]> {
  const deadline = context.now() + linkWaitMs;
  let missing = [...names];
  for (;;) {
    const present = await Promise.all(missing.map((name) => linkExists(context, name)));
    missing = missing.filter((_, i) => !present[i]);
    if (!missing.length || context.now() >= deadline) return missing;
    await context.sleep(linkPollMs);
  }
}

async function runStep(context: HostContext, step: Step): Promise<StepResult> {
  const result = await context.runner.run(step.argv, { timeoutMs: stepTimeoutMs });
  return {
    argv: step.argv,
    required: step.required,
    ok: result.code === 0,
    ...(result.code !== 0 && { error: complaint(result) }),
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

/** Plans and applies this machine's part of the spec under the host's lock. */
export async function applySpec(
  spec: ValidSpec,
  options: ApplySpecOptions,
  context: HostContext,
): Promise<ApplyResult> {
  const release = await acquireLock(context, options.command ?? `tungen apply --target ${options.target}`);
  try {
    return await applyPlan(context, await planSpec(spec, options, context));
  } finally {
    await release();
  }
}
