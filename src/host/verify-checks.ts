import type { InnerAddress, LinkExpectation, Scalar, TunnelEnd, VerifyProbe } from '../contract.js';
import { canonical, familyOf } from '../model/ip.js';
import type { IpAddress, IpLink } from './ip-json.js';
import { complaint, type CommandResult } from './runner.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One thing verify looked at: what it expected and what it found, in words. */
export interface CheckResult {
  check: string;
  status: CheckStatus;
  expected: string;
  found: string;
}

export const check = (name: string, ok: boolean, expected: string, found: string): CheckResult => ({
  check: name,
  status: ok ? 'pass' : 'fail',
  expected,
  found,
});

const same = (found: unknown, expected: Scalar) =>
  typeof found === typeof expected ? found === expected : String(found) === String(expected);
const sameAddress = (a: string, b: string) => {
  const family = familyOf(a);
  return family !== undefined && family === familyOf(b) && canonical(a, family) === canonical(b, family);
};

/** Kind and info_data, as the mode expects them in `ip -details -json link show`. */
export function linkDataChecks(expectation: LinkExpectation & { kind: string }, link: IpLink): CheckResult[] {
  const kind = link.linkinfo?.info_kind;
  const checks = [check('kind', kind === expectation.kind, expectation.kind, kind ?? 'no linkinfo')];
  const data = link.linkinfo?.info_data ?? {};
  for (const [key, expected] of Object.entries(expectation.data)) {
    const found = data[key];
    checks.push(
      check(
        key,
        found !== undefined && same(found, expected),
        String(expected),
        found === undefined ? 'nothing' : JSON.stringify(found).replace(/^"(.*)"$/, '$1'),
      ),
    );
  }
  return checks;
}

/** Tunnels have no carrier to report, so the kernel shows operstate UNKNOWN for a working one. */
export function stateCheck(link: IpLink): CheckResult {
  const up = link.flags.includes('UP') && ['UP', 'UNKNOWN'].includes(link.operstate);
  return check(
    'state',
    up,
    'flag UP, operstate UP or UNKNOWN',
    `operstate ${link.operstate}, flags ${link.flags.join(',') || 'none'}`,
  );
}

export function mtuCheck(end: Pick<TunnelEnd, 'mtu'>, link: IpLink): CheckResult[] {
  return end.mtu === undefined ? [] : [check('mtu', link.mtu === end.mtu, String(end.mtu), String(link.mtu))];
}

const describe = (a: { local: string; prefixlen: number; address?: string }) =>
  `${a.local}/${a.prefixlen}${a.address ? ` peer ${a.address}` : ''}`;
const wanted = (a: InnerAddress) => `${a.address}/${a.prefix}${a.peer && !a.peerIsNeighbour ? ` peer ${a.peer}` : ''}`;

/** Each address of the end, with its prefix and peer; `ip -json addr` shows the peer as `address`. */
export function addressChecks(end: Pick<TunnelEnd, 'addresses'>, found: readonly IpAddress[]): CheckResult[] {
  const all = found.map(describe).join(', ') || 'no addresses';
  return end.addresses.map((a) => {
    const match = found.find((f) => sameAddress(f.local, a.address));
    if (!match) return check(`address ${a.address}`, false, wanted(a), `not configured (${all})`);
    // A neighbour on an Ethernet tunnel is reached over the subnet, not configured as a peer.
    const peerOk =
      a.peer === undefined || a.peerIsNeighbour || (match.address !== undefined && sameAddress(match.address, a.peer));
    return check(`address ${a.address}`, match.prefixlen === a.prefix && peerOk, wanted(a), describe(match));
  });
}

export const pingCommand = (end: TunnelEnd, a: InnerAddress, count: number, waitSeconds: number): string[] => [
  'ping',
  ...(a.family === 'ipv6' ? ['-6'] : []),
  '-c',
  String(count),
  '-W',
  String(waitSeconds),
  '-I',
  end.name,
  a.peer!,
];

/** ping exits 0 when at least one reply came back. */
export function pingCheck(a: InnerAddress, result: CommandResult): CheckResult {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(result.stdout);
  const found = counts ? `${counts[1]} sent, ${counts[2]} received` : complaint(result);
  return check(`ping ${a.peer}`, result.code === 0, `replies from ${a.peer}`, found);
}

export function probeCheck(probe: VerifyProbe, result: CommandResult): CheckResult {
  const expected =
    probe.match === undefined
      ? `output from ${probe.command.join(' ')}`
      : `"${probe.match}" in the output of ${probe.command.join(' ')}`;
  if (result.code !== 0) return check(probe.label, false, expected, `${complaint(result)}: ${probe.failure}`);
  const ok = probe.match === undefined ? result.stdout.trim() !== '' : result.stdout.includes(probe.match);
  return check(probe.label, ok, expected, ok ? 'present' : `not there: ${probe.failure}`);
}
