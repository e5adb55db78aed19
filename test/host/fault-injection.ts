/**
 * Fault injection for apply: one spec change that adds, changes and removes
 * tunnels, failed or killed at every file-system call and every command in
 * turn, then a plain re-run. Whatever happened, the re-run must leave exactly
 * the files and the (modelled) kernel state of the new spec, and no
 * temporary file anywhere.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import type { ValidSpec } from '../../src/api.js';
import { applySpec, type ApplyResult } from '../../src/host/apply.js';
import { HostError } from '../../src/host/errors.js';
import { isTempName, nodeFileOps, type FileOps } from '../../src/host/file-ops.js';
import type { CommandRunner } from '../../src/host/runner.js';
import { FakeHost, failed, specFrom, tempDir } from './fake-host.js';

const hosts = `version: 1
hosts:
  a: { underlay: 10.0.0.1 }
  b: { underlay: 10.0.0.2 }
tunnels:
`;
const gre = (name: string, key: number, extra = '') => `  - name: ${name}
    mode: gre
    key: ${key}${extra}
    ends:
      - { host: a, addresses: [192.168.${key}.1/24] }
      - { host: b, addresses: [192.168.${key}.2/24] }
`;
const sit = `  - name: sit1
    mode: sit
    ends:
      - { host: a, addresses: ["fd00:1::1/64"] }
      - { host: b, addresses: ["fd00:1::2/64"] }
`;
const ipip = `  - name: ip3
    mode: ipip
    ttl: 64
    ends:
      - { host: a, addresses: [192.168.30.1/24] }
      - { host: b, addresses: [192.168.30.2/24] }
    routes: [10.30.0.0/16]
`;
/** Before: gre1 (key 42), sit1, ip3. After: gre1 with another key and a TTL, sit1 as it was, gre2 new, ip3 gone. */
const before = hosts + gre('gre1', 42) + sit + ipip;
const after = hosts + gre('gre1', 43, '\n    ttl: 64') + sit + gre('gre2', 7);

export type FaultMode = 'fail' | 'kill-before' | 'kill-after';
export interface Fault {
  kind: 'fs' | 'command';
  at: number;
  mode: FaultMode;
}

const injectedError = (what: string) => Object.assign(new Error(`EIO: injected failure, ${what}`), { code: 'EIO' });
const never = () => new Promise<never>(() => undefined);
/** Calls that only look: killing the process before or after one of them is the same thing. */
const readOnlyFs = new Set(['lstat', 'readFile', 'readdir']);
const readOnlyCommand = (argv: readonly string[]) =>
  (argv[0] === 'ip' && argv.includes('-json') && argv.includes('show')) || argv[0] === 'ifquery';

/** Every file-system call and command of one apply, in order, as "fs NAME PATH" / "command ARGV". */
export interface Recorded {
  fs: string[];
  commands: string[];
}

/**
 * A context whose FileOps and runner count their calls and, at the fault's
 * call, fail (EIO, or exit 1) or never return, as if the process had been
 * killed just before or just after the call took effect.
 */
function faulty(host: FakeHost, root: string, fault: Fault | null, record: Recorded) {
  let onKill!: () => void;
  const killed = new Promise<void>((resolve) => (onKill = resolve));
  const files = {} as Record<string, unknown>;
  for (const [name, call] of Object.entries(nodeFileOps) as Array<
    [keyof FileOps, (...args: unknown[]) => Promise<unknown>]
  >) {
    files[name] = async (...args: unknown[]) => {
      record.fs.push(`fs ${name} ${relative(root, String(args[0]))}`);
      if (fault?.kind !== 'fs' || record.fs.length !== fault.at) return call(...args);
      if (fault.mode === 'fail') throw injectedError(`${name} ${String(args[0])}`);
      if (fault.mode === 'kill-after') await call(...args);
      onKill();
      return never();
    };
  }
  const runner: CommandRunner = {
    run: async (argv, options) => {
      record.commands.push(`command ${argv.join(' ')}`);
      if (fault?.kind !== 'command' || record.commands.length !== fault.at) return host.runner.run(argv, options);
      if (fault.mode === 'fail') return failed(1, `injected failure of ${argv.join(' ')}\n`);
      if (fault.mode === 'kill-after') await host.runner.run(argv, options);
      onKill();
      return never();
    },
  };
  return { context: host.context(root, { files: files as unknown as FileOps, runner }), killed };
}

/** Every file under the root with its contents; temporary files by name. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out[relative(root, path)] = isTempName(entry.name) ? 'TEMPORARY FILE' : await readFile(path, 'utf8');
    }
  };
  await walk(root);
  return out;
}

export interface Bench {
  target: string;
  before: ValidSpec;
  after: ValidSpec;
  expected: { files: Record<string, string>; kernel: Record<string, unknown> };
}

async function freshHost(target: string): Promise<{ root: string; host: FakeHost }> {
  const root = await tempDir('tungen-fault-');
  if (target === 'ifupdown') {
    await mkdir(join(root, 'etc/network'), { recursive: true });
    await writeFile(join(root, 'etc/network/interfaces'), 'source /etc/network/interfaces.d/*\n');
  }
  return { root, host: new FakeHost() };
}

/** The specs, and what a host that only ever saw the new spec looks like. */
async function bench(target: string): Promise<Bench> {
  const dir = await tempDir('tungen-fault-spec-');
  const specs = {
    before: await specFrom(before, join(dir)),
    after: await specFrom(after, await tempDir('tungen-fault-spec-')),
  };
  const { root, host } = await freshHost(target);
  const result = await applySpec(specs.after, { target, host: 'a' }, host.context(root));
  expect(result.ok).toBe(true);
  return { target, ...specs, expected: { files: await snapshot(root), kernel: host.kernelState() } };
}

export interface TrialOutcome {
  first: 'killed' | 'failed' | 'ok' | 'error';
  detail: string;
}

/**
 * One trial: the old spec applied, modules unloaded (so modprobe runs too),
 * the new spec applied with the fault, then a plain re-run and a third run
 * that must find nothing to do.
 */
async function trial(
  b: Bench,
  fault: Fault | null,
  record: Recorded = { fs: [], commands: [] },
): Promise<TrialOutcome> {
  const { root, host } = await freshHost(b.target);
  expect((await applySpec(b.before, { target: b.target, host: 'a' }, host.context(root))).ok).toBe(true);
  host.loaded.clear();
  const { context, killed } = faulty(host, root, fault, record);
  const first = await Promise.race<{ result?: ApplyResult; error?: unknown; killed?: true }>([
    applySpec(b.after, { target: b.target, host: 'a' }, context).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    ),
    killed.then(() => ({ killed: true as const })),
  ]);
  let outcome: TrialOutcome;
  if (first.killed) outcome = { first: 'killed', detail: '' };
  else if (first.error !== undefined) {
    // A failure of the system is a HostError with a one-line message, never a bug's stack trace.
    expect(first.error).toBeInstanceOf(HostError);
    expect((first.error as Error).message).not.toContain('\n');
    outcome = { first: 'error', detail: (first.error as Error).message };
  } else if (first.result!.ok) outcome = { first: 'ok', detail: '' };
  else {
    expect(first.result!.error).toBeDefined();
    expect(first.result!.error).not.toContain('\n');
    outcome = { first: 'failed', detail: first.result!.error! };
  }
  const rerun = await applySpec(b.after, { target: b.target, host: 'a' }, host.context(root));
  expect(rerun.error ?? '').toBe('');
  expect(await snapshot(root)).toEqual(b.expected.files);
  expect(host.kernelState()).toEqual(b.expected.kernel);
  const third = await applySpec(b.after, { target: b.target, host: 'a' }, host.context(root));
  expect(third.status).toBe('nothing changed');
  return outcome;
}

/** The faults to inject: every call of a clean run, each failed and killed (before and after, when it changes something). */
async function faults(b: Bench): Promise<{ list: Fault[]; record: Recorded }> {
  const record: Recorded = { fs: [], commands: [] };
  await trial(b, null, record);
  const list: Fault[] = [];
  record.fs.forEach((call, i) => {
    const modes: FaultMode[] = readOnlyFs.has(call.split(' ')[1]!)
      ? ['fail', 'kill-before']
      : ['fail', 'kill-before', 'kill-after'];
    for (const mode of modes) list.push({ kind: 'fs', at: i + 1, mode });
  });
  record.commands.forEach((call, i) => {
    const modes: FaultMode[] = readOnlyCommand(call.split(' ').slice(1))
      ? ['fail', 'kill-before']
      : ['fail', 'kill-before', 'kill-after'];
    for (const mode of modes) list.push({ kind: 'command', at: i + 1, mode });
  });
  return { list, record };
}

/**
 * The whole suite for one target: the clean run's calls are recorded, then
 * each is failed and killed in turn, and every re-run must converge.
 */
export async function convergesAtEveryStep(target: string): Promise<void> {
  const b = await bench(target);
  const { list, record } = await faults(b);
  // The clean run's calls: reads, staging, renames, removals, syncs and every command.
  expect(record.fs.some((c) => c.startsWith('fs rename '))).toBe(true);
  expect(record.fs.some((c) => c.startsWith('fs unlink '))).toBe(true);
  expect(record.commands.some((c) => c.startsWith('command modprobe '))).toBe(true);
  const tally = new Map<string, number>();
  for (const fault of list) {
    const call = (fault.kind === 'fs' ? record.fs : record.commands)[fault.at - 1]!;
    let outcome: TrialOutcome;
    try {
      outcome = await trial(b, fault);
    } catch (error) {
      throw new Error(`${fault.mode} at ${call} (#${fault.at}): ${(error as Error).message}`);
    }
    const key = `${fault.kind} ${fault.mode} -> ${outcome.first}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  if (process.env['TUNGEN_FAULT_REPORT'])
    console.log(
      `${target}: ${list.length} trials (${record.fs.length} file-system calls, ${record.commands.length} commands)`,
      Object.fromEntries([...tally].sort()),
    );
  // A failure must never pass for success: every injected failure of a changing step is reported.
  expect([...tally.keys()].filter((k) => k.startsWith('fs fail') && k.endsWith('-> ok'))).toEqual([]);
}
