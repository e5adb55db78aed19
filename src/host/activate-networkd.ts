import { driftReason, settingsDiffer, type Activation, type ActivationPlan, type Step } from './activation.js';
import type { FileChange } from './commit.js';
import type { HostContext } from './context.js';
import { fouAdd, fouDel, kernelFouPorts, type FouReceiver } from './fou-ports.js';

/** The receive port a Kind=fou .netdev declares. */
function fouNetdev(contents: string | null): { port: number; receiver: FouReceiver } | undefined {
  if (contents === null || !/^Kind=fou$/m.test(contents)) return undefined;
  const port = /^Port=(\d+)$/m.exec(contents)?.[1];
  if (port === undefined) return undefined;
  const gue = /^Encapsulation=GenericUDPEncapsulation$/m.test(contents);
  const protocol = /^Protocol=(\d+)$/m.exec(contents)?.[1];
  return { port: Number(port), receiver: gue ? 'gue' : `ipproto ${protocol ?? 0}` };
}

/**
 * networkd creates a fou port once and then never removes or changes it, nor
 * creates it again under a netdev name it has seen (measured on 252: a port
 * whose file went away stays; a changed Protocol= is not applied; a file
 * brought back after the port was deleted is ignored until networkd restarts).
 * So apply changes the ports itself, before the reload: a port whose file went
 * away or changed is deleted, and a port of a new or changed file is added, so
 * networkd finds it there ("netdev exists") and leaves it as it is.
 */
async function fouSteps(others: readonly FileChange[], context: HostContext): Promise<Step[]> {
  const changed = others
    .map((change) => ({ before: fouNetdev(change.before), after: fouNetdev(change.after) }))
    .filter(({ before, after }) => before !== undefined || after !== undefined);
  if (!changed.length) return [];
  const kernel = await kernelFouPorts(context);
  const steps: Step[] = [];
  const same = (a?: { port: number; receiver: FouReceiver }, b?: { port: number; receiver: FouReceiver }) =>
    a !== undefined && b !== undefined && a.port === b.port && a.receiver === b.receiver;
  for (const { before, after } of changed)
    if (before && !same(before, after) && kernel.has(before.port)) {
      steps.push({ argv: fouDel(before.port), phase: 'after', required: true });
      kernel.delete(before.port);
    }
  for (const { after } of changed) {
    if (!after || kernel.get(after.port) === after.receiver) continue;
    if (kernel.has(after.port)) steps.push({ argv: fouDel(after.port), phase: 'after', required: true });
    steps.push({ argv: fouAdd(after.port, after.receiver), phase: 'after', required: true });
    kernel.set(after.port, after.receiver);
  }
  return steps;
}

/**
 * `networkctl reload` creates missing netdevs and reconfigures links whose
 * .network changed, but never changes or removes an existing netdev. So a link
 * that must go is deleted before its files are removed (a failure then leaves
 * the files for the next run to find), and a link whose .netdev changed, or
 * whose kernel state differs from the spec, is deleted after the files are in
 * place, so the reload builds it anew from them.
 */
export const networkdActivation: Activation = {
  // Every tunnel's .netdev has a [Tunnel] section (the target writes Independent= there); a
  // .netdev without one is a companion, e.g. a UDP receive port, which makes no link: nothing
  // to wait for or delete.
  interfaceOf: (contents) =>
    /^\[NetDev\]$/m.test(contents) && !/^\[Tunnel\]$/m.test(contents) ? undefined : /^Name=(\S+)/m.exec(contents)?.[1],
  async plan(links, others, context) {
    const plan: ActivationPlan = { links: [], steps: [], notes: [], problems: [] };
    // Files that configure no link (a companion netdev) still need the reload.
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
    plan.steps.push(...(await fouSteps(others, context)));
    if (reload) plan.steps.push({ argv: ['networkctl', 'reload'], phase: 'after', required: true });
    return plan;
  },
};
