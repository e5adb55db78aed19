import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { applySpec } from '../../src/host/apply.js';
import { acquireLock, LockHeldError } from '../../src/host/lock.js';
import { FakeHost, specFrom, tempDir, twoTunnels } from './fake-host.js';

const bundle = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
let root: string;
let host: FakeHost;

beforeEach(async () => {
  root = await tempDir();
  host = new FakeHost();
  host.realLock = true;
});

const lockPath = () => join(root, 'run/tungen.lock');
const deadHolder = () =>
  JSON.stringify({
    pid: spawnSync(process.execPath, ['-e', '']).pid,
    host: 'testbox',
    command: 'tungen apply --target networkd',
    started: '2026-11-26T15:00:00.000Z',
  });

/**
 * A separate tungen process that waits until `startAt`, takes the lock,
 * holds it for `holdMs` and prints when it held it (or that it could not).
 */
function contender(lockRoot: string, startAt: number, holdMs: number): Promise<string> {
  const script = `
    const { hostContext } = await import(${JSON.stringify(bundle)});
    const context = hostContext({ root: ${JSON.stringify(lockRoot)} });
    while (Date.now() < ${startAt}) await new Promise((r) => setTimeout(r, 1));
    try {
      // The library keeps acquireLock internal; a context's lock() is the same call.
      const release = await context.lock('tungen apply');
      const from = performance.timeOrigin + performance.now();
      await new Promise((r) => setTimeout(r, ${holdMs}));
      const to = performance.timeOrigin + performance.now();
      await release();
      console.log('held ' + from + ' ' + to);
    } catch (error) {
      console.log(error.name === 'LockHeldError' ? 'refused ' + error.message : 'error ' + error.message);
    }`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', () => resolve(out.trim()));
  });
}

describe('the apply lock', () => {
  it('is held during an apply, says who holds it, and is free (but kept) after it', async () => {
    let lockDuringReload = '';
    let second: unknown;
    host.hooks.push(async (argv) => {
      if (argv[1] === 'reload') {
        lockDuringReload = await readFile(lockPath(), 'utf8');
        second = await acquireLock(host.context(root), 'tungen apply').catch((error: unknown) => error);
      }
      return undefined;
    });
    await applySpec(await specFrom(twoTunnels), { target: 'networkd', host: 'a' }, host.context(root));
    expect(JSON.parse(lockDuringReload) as unknown).toEqual({
      pid: process.pid,
      host: 'testbox',
      command: 'tungen apply --target networkd',
      started: expect.any(String),
    });
    expect(second).toBeInstanceOf(LockHeldError);
    expect((second as Error).message).toMatch(
      new RegExp(`^another tungen is changing this host \\(pid ${process.pid}\\): "tungen apply --target networkd"`),
    );
    // Never removed: a removed lock file lets a third process lock a new file while a second holds the old one.
    expect(await readFile(lockPath(), 'utf8')).toBe('');
    const release = await acquireLock(host.context(root), 'tungen apply');
    await release();
  });

  it('is free when the file names a process that is gone: the kernel released its lock', async () => {
    await mkdir(join(root, 'run'), { recursive: true });
    await writeFile(lockPath(), deadHolder());
    const release = await acquireLock(host.context(root), 'tungen apply');
    expect((JSON.parse(await readFile(lockPath(), 'utf8')) as { pid: number }).pid).toBe(process.pid);
    await release();
  });

  it('is released by the kernel when its holder is killed', async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { hostContext } = await import(${JSON.stringify(bundle)});
         await hostContext({ root: ${JSON.stringify(root)} }).lock('tungen try');
         console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await expect(acquireLock(host.context(root), 'tungen apply')).rejects.toThrow(
      new RegExp(`\\(pid ${child.pid}\\): "tungen try"`),
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    const release = await acquireLock(host.context(root), 'tungen apply');
    await release();
  });

  /** Counts pairs where both held the lock at once, and pairs where nobody got it. */
  function judge(outcomes: string[][]) {
    let overlaps = 0;
    let nobody = 0;
    for (const pair of outcomes) {
      // The refused one names the holder, or says it has not written its name yet.
      expect(
        pair.filter((o) => !/^(held|refused another tungen is changing this host \(pid (\d+|unknown))/.test(o)),
      ).toEqual([]);
      const held = pair.filter((o) => o.startsWith('held ')).map((o) => o.split(' ').slice(1).map(Number));
      if (!held.length) nobody++;
      if (held.length === 2) {
        const [[a0, a1], [b0, b1]] = held as [[number, number], [number, number]];
        if (a0 < b1 && b0 < a1) overlaps++;
      }
    }
    return { overlaps, nobody };
  }

  async function staleRoot() {
    const pairRoot = await tempDir('tungen-lock-');
    await mkdir(join(pairRoot, 'run'), { recursive: true });
    await writeFile(join(pairRoot, 'run/tungen.lock'), deadHolder());
    return pairRoot;
  }

  it('never lets two holders hold it: 50 pairs started together on a stale lock', async () => {
    // Each pair has two open file descriptions of one lock file, as two processes would have.
    const attempt = async (pairRoot: string) => {
      try {
        const release = await acquireLock(host.context(pairRoot), 'tungen apply');
        const from = performance.now();
        await new Promise((r) => setTimeout(r, 20));
        const to = performance.now();
        await release();
        return `held ${from} ${to}`;
      } catch (error) {
        return `refused ${(error as Error).message}`;
      }
    };
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const pairRoot = await staleRoot();
        return Promise.all([attempt(pairRoot), attempt(pairRoot)]);
      }),
    );
    expect(judge(outcomes)).toEqual({ overlaps: 0, nobody: 0 });
  }, 120_000);

  it('never lets two processes hold it: pairs of processes started together on a stale lock', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const pairRoot = await staleRoot();
        const startAt = Date.now() + 1500;
        return Promise.all([contender(pairRoot, startAt, 40), contender(pairRoot, startAt, 40)]);
      }),
    );
    expect(judge(outcomes)).toEqual({ overlaps: 0, nobody: 0 });
  }, 120_000);

  it('refuses a symbolic link at the lock path and writes nothing through it', async () => {
    const outside = join(await tempDir('tungen-outside-'), 'victim');
    await writeFile(outside, 'precious\n');
    await mkdir(join(root, 'run'), { recursive: true });
    await symlink(outside, lockPath());
    await expect(acquireLock(host.context(root), 'tungen apply')).rejects.toThrow(
      /^taking the lock failed: .*tungen\.lock is a symbolic link, which tungen does not follow; nothing was changed; remove it and run again$/,
    );
    expect(await readFile(outside, 'utf8')).toBe('precious\n');
  });
});
