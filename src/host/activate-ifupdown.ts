import { ifupdown } from '../targets/ifupdown.js';
import { interfaceOfChange, settingsDiffer, type Activation, type ActivationPlan } from './activation.js';
import { sourcingProblem } from './interfaces-source.js';

/**
 * ifdown needs the stanza it brings down, so interfaces that change or go
 * away are brought down before their files change, and the new or changed
 * ones up afterwards. Interfaces whose files did not change are left alone.
 */
export const ifupdownActivation: Activation = {
  interfaceOf: (contents) => /^iface\s+(\S+)/m.exec(contents)?.[1],
  async plan(changes, context) {
    const plan: ActivationPlan = { links: [], steps: [], notes: [], problems: [] };
    for (const change of changes) {
      const name = interfaceOfChange(this, change);
      if (name === undefined) continue;
      if (change.action === 'remove') {
        plan.links.push({ name, action: 'stop', reason: 'its tunnel is no longer in the spec' });
      } else if (change.action === 'add') {
        plan.links.push({ name, action: 'start', reason: 'new in the spec' });
      } else if (settingsDiffer(change.before!, change.after!)) {
        plan.links.push({ name, action: 'restart', reason: 'its stanza changed' });
      }
    }
    // '--' ends the options: a name can never become one (`ifup -a` brings up every interface).
    for (const link of plan.links) {
      if (link.action !== 'start')
        plan.steps.push({
          argv: ['ifdown', '--', link.name],
          phase: 'before',
          required: false,
          undo: ['ifup', '--', link.name],
        });
    }
    for (const link of plan.links) {
      if (link.action !== 'stop') plan.steps.push({ argv: ['ifup', '--', link.name], phase: 'after', required: true });
    }
    if (changes.some((c) => c.after !== null)) {
      const problem = await sourcingProblem(context, ifupdown.configDir, 'tungen-x');
      if (problem) plan.problems.push(problem);
    }
    return plan;
  },
};
