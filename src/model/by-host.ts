import type { TunnelEnd } from '../contract.js';

/**
 * The ends of each host, hosts in the order of their first end, so per-host rules see one
 * machine at a time. An index loop: the checks run this over every end, mostly before V8
 * optimizes a for-of loop (which allocates an iterator and a result per step until then).
 */
export function groupByHost(ends: readonly TunnelEnd[]): Map<string | undefined, TunnelEnd[]> {
  const groups = new Map<string | undefined, TunnelEnd[]>();
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    const group = groups.get(end.host);
    if (group) group.push(end);
    else groups.set(end.host, [end]);
  }
  return groups;
}
