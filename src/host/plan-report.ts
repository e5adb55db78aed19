import type { ApplyResult } from './apply.js';
import { join } from 'node:path';
import { unifiedDiff } from './diff.js';
import type { ApplyPlan } from './plan.js';
import { showCommand } from './runner.js';

const shown = (plan: ApplyPlan, path: string) => join(plan.root, path);
const forHost = (plan: ApplyPlan) =>
  `${plan.host === undefined ? 'this machine' : `host ${plan.host}`} (${plan.target}, root ${plan.root})`;

/** The plan as JSON-friendly data: each change with its diff instead of both full texts. */
export function planData(plan: ApplyPlan) {
  return {
    target: plan.target,
    host: plan.host ?? null,
    root: plan.root,
    changes: plan.changes.map((c) => ({
      path: shown(plan, c.path),
      action: c.action,
      diff: diffOf(c.path, c.before, c.after),
    })),
    unchanged: plan.unchanged.map((p) => shown(plan, p)),
    drift: plan.drift.map((d) => `${d.link}: ${d.detail}`),
    links: plan.links,
    commands: plan.steps.map((s) => s.argv),
    notes: plan.notes,
    problems: plan.problems,
  };
}

function diffOf(path: string, before: string | null, after: string | null): string {
  return unifiedDiff(before, after, `a${path}`, `b${path}`);
}

export function isEmptyPlan(plan: ApplyPlan): boolean {
  return plan.changes.length === 0 && plan.steps.length === 0;
}

/** What `apply --dry-run` prints: files, links, commands, then the diffs. */
export function formatPlan(plan: ApplyPlan): string {
  const lines: string[] = [];
  if (isEmptyPlan(plan)) {
    lines.push(`Nothing to change on ${forHost(plan)}: ${plan.unchanged.length} file(s) up to date.`);
  } else {
    lines.push(`Plan for ${forHost(plan)}:`, 'Files:');
    lines.push(...plan.changes.map((c) => `  ${c.action.padEnd(7)} ${shown(plan, c.path)}`));
    if (plan.unchanged.length) lines.push(`  ${plan.unchanged.length} file(s) unchanged`);
    if (plan.drift.length)
      lines.push('Kernel, where it differs from the spec:', ...plan.drift.map((d) => `  ${d.link}: ${d.detail}`));
    if (plan.links.length)
      lines.push('Links:', ...plan.links.map((l) => `  ${l.action.padEnd(8)} ${l.name}: ${l.reason}`));
    if (plan.steps.length)
      lines.push(
        'Commands, in order:',
        ...plan.steps.map(
          (s) => `  ${showCommand(s.argv)}${s.phase === 'before' ? '   (before the files change)' : ''}`,
        ),
      );
  }
  lines.push(...plan.notes.map((n) => `note: ${n}`));
  lines.push(...plan.problems.map((p) => `problem: ${p}`));
  const diffs = plan.changes.map((c) => diffOf(c.path, c.before, c.after)).filter(Boolean);
  return [lines.join('\n'), ...diffs.map((d) => d.trimEnd())].join('\n\n');
}

/** Whether the host is not as the spec says: files, kernel, or both. */
export const outOfSync = (plan: ApplyPlan) => !isEmptyPlan(plan) || plan.drift.length > 0 || plan.problems.length > 0;

/** What `apply --check` prints: each difference, files and kernel, then what apply would do. */
export function formatCheck(plan: ApplyPlan): string {
  if (!outOfSync(plan))
    return `In sync: ${forHost(plan)} has the spec's ${plan.unchanged.length} file(s), and its kernel shows the spec's ${plan.expected.length} link(s).`;
  const lines = [`Out of sync: ${forHost(plan)} differs from the spec.`];
  for (const c of plan.changes)
    lines.push(
      `  file ${shown(plan, c.path)}: ${{ add: 'missing', change: 'differs', remove: 'no longer in the spec' }[c.action]}`,
    );
  for (const d of plan.drift) lines.push(`  kernel ${d.link}: ${d.detail}`);
  for (const p of plan.problems) lines.push(`  problem: ${p}`);
  if (plan.steps.length || plan.changes.length) lines.push('apply would:');
  lines.push(...plan.links.map((l) => `  ${l.action} ${l.name}: ${l.reason}`));
  lines.push(...plan.steps.map((s) => `  run ${showCommand(s.argv)}`));
  return lines.join('\n');
}

/** What a finished apply says as JSON: the plan, then what became of the files and of each command. */
export function appliedData(result: ApplyResult) {
  return {
    status: result.status,
    failedAt: result.failedAt ?? null,
    error: result.error ?? null,
    files: result.files,
    ...planData(result.plan),
    ran: result.ran.map((r) => ({
      command: r.argv,
      phase: r.phase,
      required: r.required,
      status: r.status,
      ...(r.error !== undefined && { error: r.error }),
    })),
    remaining: result.remaining,
    notes: result.notes,
    ok: result.ok,
  };
}

/** What a finished apply prints: the outcome first, then each file and command with what became of it. */
export function formatApplied(result: ApplyResult, verb = 'Applied to'): string {
  const { plan } = result;
  if (result.status === 'nothing changed')
    return `Nothing to change on ${forHost(plan)}: ${plan.unchanged.length} file(s) up to date, and the kernel shows the spec's ${plan.expected.length} link(s).`;
  const count = (action: string) => plan.changes.filter((c) => c.action === action).length;
  const tally = `${count('add')} added, ${count('change')} changed, ${count('remove')} removed, ${plan.unchanged.length} unchanged`;
  const lines =
    result.status === 'failed'
      ? [`FAILED at ${result.failedAt} on ${forHost(plan)}: files ${result.files} (${tally}).`]
      : [`${verb} ${forHost(plan)}: files ${result.files} (${tally}).`];
  const marks = { add: '+', change: '~', remove: '-' } as const;
  lines.push(...plan.changes.map((c) => `  ${marks[c.action]} ${shown(plan, c.path)}`));
  const kernelOnly = plan.drift.filter((d) => plan.kernelOnly.includes(d.link));
  lines.push(...kernelOnly.map((d) => `kernel differed: ${d.link}: ${d.detail}`));
  for (const step of result.ran) {
    const label = { ok: 'ran', failed: step.required ? 'FAILED' : 'warning', 'not run': 'not run' }[step.status];
    lines.push(`${label}: ${showCommand(step.argv)}${step.error ? `: ${step.error}` : ''}`);
  }
  for (const line of result.remaining) lines.push(`still differs: ${line}`);
  if (result.error) lines.push(`error: ${result.error}`);
  return lines.join('\n');
}
