import type { FileChange } from './commit.js';
import type { HostContext } from './context.js';

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
  /** A failed required step fails the apply; others only warn (e.g. ifdown of a link already down). */
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

/** How a target's config files are put into force on a running host. */
export interface Activation {
  /** The interface a config file of this target configures, read from its contents. */
  interfaceOf(contents: string): string | undefined;
  /** Links to touch and commands to run for these changes to the target's config folder. */
  plan(changes: readonly FileChange[], context: HostContext): Promise<ActivationPlan>;
}

/** Whether two versions of a file configure different things: comments (the header) do not count. */
export function settingsDiffer(before: string, after: string): boolean {
  const settings = (text: string) =>
    text
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
