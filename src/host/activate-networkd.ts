import { driftReason, settingsDiffer, type Activation, type ActivationPlan } from './activation.js';

/**
 * `networkctl reload` creates missing netdevs and reconfigures links whose
 * .network changed, but never changes or removes an existing netdev. So a link
 * that must go is deleted before its files are removed (a failure then leaves
 * the files for the next run to find), and a link whose .netdev changed, or
 * whose kernel state differs from the spec, is deleted after the files are in
 * place, so the reload builds it anew from them.
 */
export const networkdActivation: Activation = {
  // A Kind=fou netdev (a tunnel's UDP receive port) makes no link: nothing to wait for or delete.
  interfaceOf: (contents) => (/^Kind=fou$/m.test(contents) ? undefined : /^Name=(\S+)/m.exec(contents)?.[1]),
  plan(links, others) {
    const plan: ActivationPlan = { links: [], steps: [], notes: [], problems: [] };
    // Files that configure no link (a FOU port) still need the reload.
    let reload = others.length > 0;
    for (const link of links) {
      const netdevChanged = link.changes.some(
        (c) => c.path.endsWith('.netdev') && c.before !== null && settingsDiffer(c.before, c.after),
      );
      if (link.changes.length) reload = true;
      if (!link.wanted) {
        if (link.exists) {
          plan.links.push({ name: link.name, action: 'delete', reason: 'its tunnel is no longer in the spec' });
          plan.steps.push({ argv: ['networkctl', 'delete', '--', link.name], phase: 'before', required: true });
        }
        continue;
      }
      if (!link.exists) {
        plan.links.push({
          name: link.name,
          action: 'create',
          reason: link.changes.length ? 'new in the spec' : 'the kernel has no such link',
        });
        reload = true;
        continue;
      }
      const why = netdevChanged
        ? 'its .netdev changed, and networkd does not update an existing netdev'
        : driftReason(link);
      if (why === undefined) continue;
      plan.links.push({ name: link.name, action: 'recreate', reason: why });
      plan.steps.push({ argv: ['networkctl', 'delete', '--', link.name], phase: 'after', required: true });
      reload = true;
    }
    if (reload) plan.steps.push({ argv: ['networkctl', 'reload'], phase: 'after', required: true });
    return Promise.resolve(plan);
  },
};
