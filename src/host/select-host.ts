import type { ValidSpec } from '../api.js';
import { canonical, familyOf } from '../model/ip.js';
import type { HostContext } from './context.js';
import { HostUsageError } from './errors.js';
import { localAddresses } from './ip-json.js';

const canonicalAddress = (text: string) => {
  const family = familyOf(text);
  return family ? canonical(text, family) : text;
};

/**
 * The spec host this machine is: the one named with --host; in a spec without
 * hosts, none (undefined); otherwise the host named like this machine (short
 * name), or else the one whose underlay address is configured here.
 */
export async function selectHost(
  spec: ValidSpec,
  context: HostContext,
  requested?: string,
): Promise<string | undefined> {
  const listing = `hosts in ${spec.file}: ${spec.hosts.join(', ')}`;
  if (requested !== undefined) {
    if (!spec.hosts.length)
      throw new HostUsageError(`${spec.file} lists no hosts (it describes a single machine): leave out --host`);
    if (!spec.hosts.includes(requested))
      throw new HostUsageError(`unknown host ${JSON.stringify(requested)}; ${listing}`);
    return requested;
  }
  if (!spec.hosts.length) return undefined;
  const shortName = context.hostname().split('.')[0] ?? '';
  if (spec.hosts.includes(shortName)) return shortName;
  const addresses = await localAddresses(context);
  const mine = new Set(addresses.ok ? addresses.value.map(canonicalAddress) : []);
  const matches = spec.hosts.filter((host) => {
    const underlay =
      (spec.raw.hosts && Object.hasOwn(spec.raw.hosts, host) ? spec.raw.hosts[host]?.underlay : undefined) ?? [];
    return (typeof underlay === 'string' ? [underlay] : underlay).some((u) => mine.has(canonicalAddress(u)));
  });
  if (matches.length === 1) return matches[0];
  if (matches.length > 1)
    throw new HostUsageError(
      `this machine has the underlay addresses of several hosts (${matches.join(', ')}): give --host NAME`,
    );
  const why = addresses.ok
    ? "nor is any host's underlay address configured here"
    : `and its addresses could not be read (${addresses.reason})`;
  throw new HostUsageError(
    `this machine (${shortName}) is not a host of the spec by name, ${why}: give --host NAME; ${listing}`,
  );
}
