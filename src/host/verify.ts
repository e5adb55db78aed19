import type { ValidSpec } from '../api.js';
import type { InnerAddress, TunnelEnd } from '../contract.js';
import type { HostContext } from './context.js';
import { readAddresses, readLink } from './ip-json.js';
import { selectHost } from './select-host.js';
import {
  addressChecks,
  linkDataChecks,
  mtuCheck,
  pingCheck,
  pingCommand,
  probeCheck,
  stateCheck,
  check,
  type CheckResult,
} from './verify-checks.js';

export interface VerifyOptions {
  /** Spec host to verify; found from this machine's name or addresses when absent. */
  host?: string;
  /** Pings per peer address. */
  count?: number;
  /** How long the tunnels may take to settle before a failure is final. */
  timeoutSeconds?: number;
  /** Stops retrying once aborted (a try that was interrupted). */
  signal?: AbortSignal;
}

export interface TunnelReport {
  name: string;
  mode: string;
  ok: boolean;
  /** Rounds of checks it took; links in a slow machine settle over seconds. */
  attempts: number;
  checks: CheckResult[];
  /** The failed checks in one line each: "CHECK: expected X, found Y". */
  failures: string[];
}

export interface VerifyReport {
  host: string | null;
  ok: boolean;
  tunnels: TunnelReport[];
}

interface Round {
  count: number;
  deadline: number;
  signal?: AbortSignal;
}

export const verifyDefaults = { count: 3, timeoutSeconds: 30 } as const;
const retryMs = 1000;

/** Checks every tunnel end of this machine: link, settings, state, addresses, pings through it, mode probes. */
export async function verifySpec(spec: ValidSpec, options: VerifyOptions, context: HostContext): Promise<VerifyReport> {
  const host = await selectHost(spec, context, options.host);
  const ends = spec.ends.filter((end) => end.host === host);
  return verifyEnds(ends, options, context, host);
}

export async function verifyEnds(
  ends: readonly TunnelEnd[],
  options: VerifyOptions,
  context: HostContext,
  host?: string,
): Promise<VerifyReport> {
  const round: Round = {
    count: options.count ?? verifyDefaults.count,
    deadline: context.now() + (options.timeoutSeconds ?? verifyDefaults.timeoutSeconds) * 1000,
    ...(options.signal && { signal: options.signal }),
  };
  const tunnels = await Promise.all(ends.map((end) => verifyTunnel(end, round, context)));
  return { host: host ?? null, ok: tunnels.every((t) => t.ok), tunnels };
}

/** Repeats the checks until they pass or the deadline has passed; the last round is the one reported. */
async function verifyTunnel(end: TunnelEnd, round: Round, context: HostContext): Promise<TunnelReport> {
  for (let attempts = 1; ; attempts++) {
    const checks = await checkOnce(end, round, context);
    const failures = checks
      .filter((c) => c.status === 'fail')
      .map((c) => `${c.check}: expected ${c.expected}, found ${c.found}`);
    if (!failures.length || context.now() >= round.deadline || round.signal?.aborted)
      return { name: end.name, mode: end.mode, ok: !failures.length, attempts, checks, failures };
    await context.sleep(Math.min(retryMs, Math.max(0, round.deadline - context.now())));
  }
}

async function checkOnce(end: TunnelEnd, round: Round, context: HostContext): Promise<CheckResult[]> {
  const expectation = { kind: end.plugin.kind, ...end.plugin.expect(end) };
  const link = await readLink(context, end.name);
  if (!link.ok) return [check('link', false, `${expectation.kind} link ${end.name}`, `none: ${link.reason}`)];
  const addresses = await readAddresses(context, end.name);
  const checks = [
    check('link', true, `${expectation.kind} link ${end.name}`, 'present'),
    ...linkDataChecks(expectation, link.value),
    stateCheck(link.value),
    ...mtuCheck(end, link.value),
    ...(addresses.ok
      ? addressChecks(end, addresses.value)
      : [check('addresses', false, 'the addresses of the spec', addresses.reason)]),
  ];
  const peers = end.addresses.filter((a) => a.peer !== undefined);
  // Pinging through a link that is not yet right only spends the time it has to settle.
  if (checks.some((c) => c.status === 'fail')) {
    checks.push(
      ...peers.map((a) => ({
        check: `ping ${a.peer}`,
        status: 'skip' as const,
        expected: `replies from ${a.peer}`,
        found: 'not tried: the checks above failed',
      })),
    );
    return checks;
  }
  checks.push(...(await Promise.all(peers.map((a) => ping(end, a, round, context)))));
  if (!peers.length)
    checks.push({ check: 'ping', status: 'skip', expected: 'a peer address to ping', found: 'no address has a peer' });
  for (const probe of expectation.probes ?? [])
    checks.push(probeCheck(probe, await context.runner.run(probe.command, { timeoutMs: 30_000 })));
  return checks;
}

async function ping(end: TunnelEnd, address: InnerAddress, round: Round, context: HostContext): Promise<CheckResult> {
  const wait = Math.min(3, Math.max(1, Math.ceil((round.deadline - context.now()) / 1000)));
  return pingCheck(
    address,
    await context.runner.run(pingCommand(end, address, round.count, wait), {
      timeoutMs: (round.count + wait + 5) * 1000,
    }),
  );
}
