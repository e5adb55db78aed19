import { complaint, type CommandResult } from './runner.js';
import type { HostContext } from './context.js';

/** The parts of `ip -details -json link show` that verify reads (iproute2 6.1 field names). */
export interface IpLink {
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
}

/** One entry of addr_info in `ip -json addr show`: with a peer, `address` is the peer and `local` this end. */
export interface IpAddress {
  family: string;
  local: string;
  address?: string;
  prefixlen: number;
}

export interface IpAddressList {
  ifname: string;
  addr_info: IpAddress[];
}

/** A query's answer: the parsed JSON, or why there is none. */
export type Answer<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseList<T>(result: CommandResult): Answer<T[]> {
  if (result.code !== 0) return { ok: false, reason: complaint(result) };
  try {
    return { ok: true, value: JSON.parse(result.stdout || '[]') as T[] };
  } catch {
    return { ok: false, reason: `unreadable JSON from ip: ${result.stdout.slice(0, 80)}` };
  }
}

export async function readLink(context: HostContext, name: string): Promise<Answer<IpLink>> {
  const answer = parseList<IpLink>(await context.runner.run(['ip', '-details', '-json', 'link', 'show', 'dev', name]));
  if (!answer.ok) return answer;
  const link = answer.value[0];
  return link ? { ok: true, value: link } : { ok: false, reason: `no link ${name}` };
}

export async function readAddresses(context: HostContext, name: string): Promise<Answer<IpAddress[]>> {
  const answer = parseList<IpAddressList>(await context.runner.run(['ip', '-json', 'addr', 'show', 'dev', name]));
  if (!answer.ok) return answer;
  return { ok: true, value: answer.value[0]?.addr_info ?? [] };
}

/** Every address configured on this machine, as `ip -json addr` lists them. */
export async function localAddresses(context: HostContext): Promise<Answer<string[]>> {
  const answer = parseList<IpAddressList>(await context.runner.run(['ip', '-json', 'addr']));
  if (!answer.ok) return answer;
  return { ok: true, value: answer.value.flatMap((link) => (link.addr_info ?? []).map((a) => a.local)) };
}
