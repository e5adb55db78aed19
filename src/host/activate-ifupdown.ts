import { ifupdown } from '../targets/ifupdown.js';
import { driftReason, settingsDiffer, type Activation, type ActivationPlan, type LinkSituation } from './activation.js';
import { underRoot, type HostContext } from './context.js';
import { fouDel, kernelFouPorts } from './fou-ports.js';
import { sourcingProblem } from './interfaces-source.js';

/** Whether ifupdown counts the interface as up: `ifquery --state NAME` prints "NAME=NAME" for it. */
async function configured(context: HostContext, name: string): Promise<boolean> {
  const result = await context.runner.run(['ifquery', '--state', '--', name]);
  return result.stdout.split('\n').some((line) => line.trim().startsWith(`${name}=`));
}

/** The receive ports a stanza's `ip fou add` lines declare. */
const fouPortsOf = (text: string | null) =>
  [...(text ?? '').matchAll(/\bip fou add port (\d+)\b/g)].map((match) => Number(match[1]));

/**
 * The receive ports of a link that goes down without ifdown, whose post-down
 * would have deleted them: left behind, they would make the next ifup's
 * `ip fou add` fail (the port is in use). Read from every version of its
 * stanza: the old and new one, or the one in place when it does not change.
 */
async function portsLeftBehind(context: HostContext, link: LinkSituation): Promise<number[]> {
  const texts = link.changes.length
    ? link.changes.flatMap((c) => [c.before, c.after])
    : [await context.files.readFile(underRoot(context, `${ifupdown.configDir}/tungen-${link.name}`)).catch(() => null)];
  return [...new Set(texts.flatMap(fouPortsOf))];
}

/**
 * ifdown needs the stanza it brings down, so interfaces that change or go away
 * are brought down before their files change, and the wanted ones up
 * afterwards. An interface is restarted when its stanza changed, when the
 * kernel's link differs from the spec, or when ifupdown does not count it as
 * up (then a link left behind by a failed ifup is deleted first, or ifup
 * would trip over it). Interfaces already as wanted are left alone.
 */
export const ifupdownActivation: Activation = {
  interfaceOf: (contents) => /^iface\s+(\S+)/m.exec(contents)?.[1],
  async plan(links, _others, context) {
    const plan: ActivationPlan = { links: [], steps: [], notes: [], problems: [] };
    const starts: string[] = [];
    let kernelPorts: Map<number, string> | undefined;
    for (const link of links) {
      const up = await configured(context, link.name);
      const takeDown = () => {
        if (up)
          plan.steps.push({
            argv: ['ifdown', '--', link.name],
            phase: 'before',
            required: true,
            undo: ['ifup', '--', link.name],
          });
        else if (link.exists)
          plan.steps.push({ argv: ['ip', 'link', 'delete', 'dev', link.name], phase: 'before', required: true });
      };
      if (!up)
        for (const port of await portsLeftBehind(context, link))
          if ((kernelPorts ??= await kernelFouPorts(context)).delete(port))
            plan.steps.push({ argv: fouDel(port), phase: 'before', required: true });
      if (!link.wanted) {
        if (up || link.exists) {
          plan.links.push({ name: link.name, action: 'stop', reason: 'its tunnel is no longer in the spec' });
          takeDown();
        }
        continue;
      }
      const stanzaChanged = link.changes.some((c) => c.before !== null && settingsDiffer(c.before, c.after));
      const why = !up
        ? link.changes.some((c) => c.before === null)
          ? 'new in the spec'
          : 'ifupdown does not count it as up'
        : stanzaChanged
          ? 'its stanza changed'
          : driftReason(link);
      if (why === undefined) continue;
      plan.links.push({ name: link.name, action: up || link.exists ? 'restart' : 'start', reason: why });
      takeDown();
      starts.push(link.name);
    }
    for (const name of starts) plan.steps.push({ argv: ['ifup', '--', name], phase: 'after', required: true });
    if (links.some((l) => l.wanted && l.changes.some((c) => c.after !== null))) {
      const problem = await sourcingProblem(context, ifupdown.configDir, 'tungen-x');
      if (problem) plan.problems.push(problem);
    }
    return plan;
  },
};
