import { linkExists } from './ip-json.js';
import { interfaceOfChange, settingsDiffer, type Activation, type ActivationPlan } from './activation.js';

/**
 * `networkctl reload` creates new netdevs and reconfigures changed .network
 * files, but never changes or removes an existing netdev: a link whose .netdev
 * changed or went away is deleted first, so the reload builds it anew.
 */
export const networkdActivation: Activation = {
  // A Kind=fou netdev (a tunnel's UDP receive port) makes no link: nothing to wait for or delete.
  interfaceOf: (contents) => (/^Kind=fou$/m.test(contents) ? undefined : /^Name=(\S+)/m.exec(contents)?.[1]),
  async plan(changes, context) {
    const plan: ActivationPlan = { links: [], steps: [], notes: [], problems: [] };
    for (const change of changes.filter((c) => c.path.endsWith('.netdev'))) {
      const name = interfaceOfChange(this, change);
      if (name === undefined) continue;
      const exists = await linkExists(context, name);
      if (change.action === 'remove' && exists) {
        plan.links.push({ name, action: 'delete', reason: 'its tunnel is no longer in the spec' });
      } else if (change.action === 'change' && exists && settingsDiffer(change.before!, change.after!)) {
        plan.links.push({
          name,
          action: 'recreate',
          reason: 'its .netdev changed, and networkd does not update an existing netdev',
        });
      } else if (change.action === 'add' && exists) {
        plan.notes.push(
          `link ${name} exists already and networkd will not change it; run "networkctl delete ${name}" and apply again if its settings differ`,
        );
      } else if (change.action === 'add') {
        plan.links.push({ name, action: 'create', reason: 'new in the spec' });
      }
    }
    for (const link of plan.links) {
      if (link.action !== 'create')
        plan.steps.push({ argv: ['networkctl', 'delete', '--', link.name], phase: 'after', required: true });
    }
    if (changes.length) plan.steps.push({ argv: ['networkctl', 'reload'], phase: 'after', required: true });
    return plan;
  },
};
