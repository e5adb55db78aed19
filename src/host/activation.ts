import type { FileChange } from './commit.js';
import type { HostContext } from './context.js';
import type { Drift } from './kernel-state.js';

/** What happens to a link when the plan runs. */
export interface LinkAction {
  name: string;
  action: 'create' | 'recreate' | 'delete' | 'start' | 'restart' | 'stop';
  reason: string;
}

/** A command of the plan: `before` runs ahead of the file changes, `after` once they are in place. */
export interface Step {
  argv: string[];
  phase: 'before' | 'after';
  /** A failed required step fails the apply; others only warn. */
  required: boolean;
  /** Undoes a `before` step when the files could not be changed after it ran. */
  undo?: string[];
}

export interface ActivationPlan {
  links: LinkAction[];
  steps: Step[];
  notes: string[];
  /** Reasons not to apply at all. */
  problems: string[];
}

/** One tunnel link as apply finds it: what the spec wants, what the kernel has, which of its files change. */
export interface LinkSituation {
  name: string;
  /** Whether the link should exist once the plan has run. */
  wanted: boolean;
  /** Whether the kernel has a link of this name now. */
  exists: boolean;
  /** How the kernel's link differs from the spec (empty when in force, or when the plan restores old files). */
  drift: Drift[];
  /** The changes to this link's config files. */
  changes: FileChange[];
}

/** How a target's config files are put into force on a running host. */
export interface Activation {
  /** The interface a config file of this target configures, read from its contents. */
  interfaceOf(contents: string): string | undefined;
  /**
   * Links to touch and commands to run so that the kernel matches the files
   * once they are in place; `others` are changes of files that configure no link.
   */
  plan(links: readonly LinkSituation[], others: readonly FileChange[], context: HostContext): Promise<ActivationPlan>;
}

/** Whether two versions of a file configure different things: comments (the header) do not count. */
export function settingsDiffer(before: string | null, after: string | null): boolean {
  const settings = (text: string | null) =>
    text === null
      ? null
      : text
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.startsWith('#'))
          .join('\n');
  return settings(before) !== settings(after);
}

/** The interface of a change, from the contents it had or will have. */
export function interfaceOfChange(activation: Activation, change: FileChange): string | undefined {
  const contents = change.before ?? change.after;
  return contents === null ? undefined : activation.interfaceOf(contents);
}

/** Why a link has to be rebuilt, in words, or undefined when it need not be. */
export function driftReason(link: LinkSituation): string | undefined {
  if (!link.drift.length) return undefined;
  const shown = link.drift.slice(0, 2).map((d) => d.detail);
  const more = link.drift.length > 2 ? ` (and ${link.drift.length - 2} more)` : '';
  return `the kernel's link differs from the spec: ${shown.join('; ')}${more}`;
}
