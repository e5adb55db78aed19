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

/** What a finished apply prints. */
export function formatApplied(result: ApplyResult): string {
  const { plan } = result;
  if (isEmptyPlan(plan)) return `Nothing to change on ${forHost(plan)}: ${plan.unchanged.length} file(s) up to date.`;
  const count = (action: string) => plan.changes.filter((c) => c.action === action).length;
  const lines = [
    `Applied to ${forHost(plan)}: ${count('add')} added, ${count('change')} changed, ${count('remove')} removed, ${plan.unchanged.length} unchanged.`,
  ];
  const marks = { add: '+', change: '~', remove: '-' } as const;
  lines.push(...plan.changes.map((c) => `  ${marks[c.action]} ${shown(plan, c.path)}`));
  for (const step of result.ran) {
    if (step.ok) lines.push(`ran: ${showCommand(step.argv)}`);
    else lines.push(`${step.required ? 'FAILED' : 'warning'}: ${showCommand(step.argv)}: ${step.error}`);
  }
  for (const name of result.missing)
    lines.push(
      `FAILED: link ${name} did not appear; ${plan.target === 'networkd' ? 'see journalctl -u systemd-networkd' : 'see the output of ifup'}`,
    );
  return lines.join('\n');
}
