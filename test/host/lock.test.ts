import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applySpec } from '../../src/host/apply.js';
import { acquireLock, LockHeldError } from '../../src/host/lock.js';
import { FakeHost, specFrom, tempDir, twoTunnels } from './fake-host.js';

let root: string;
let host: FakeHost;

beforeEach(async () => {
  root = await tempDir();
  host = new FakeHost();
});

const holder = (pid: number, hostName = 'testbox') =>
  JSON.stringify({
    pid,
    host: hostName,
    command: 'tungen apply --target networkd',
    started: '2026-11-26T15:00:00.000Z',
  });

describe('the apply lock', () => {
  it('is held during an apply and released after it', async () => {
    let lockDuringReload = '';
    host.hooks.push(async (argv) => {
      if (argv[1] === 'reload') lockDuringReload = await readFile(join(root, 'run/tungen.lock'), 'utf8');
      return undefined;
    });
    await applySpec(await specFrom(twoTunnels), { target: 'networkd', host: 'a' }, host.context(root));
    expect(JSON.parse(lockDuringReload)).toEqual({
      pid: process.pid,
      host: 'testbox',
      command: 'tungen apply --target networkd',
      started: expect.any(String),
    });
    await expect(readFile(join(root, 'run/tungen.lock'))).rejects.toThrow(/ENOENT/);
  });

  it('stops a second apply and says who holds it', async () => {
    const release = await acquireLock(host.context(root), 'tungen try --target networkd');
    const attempt = applySpec(await specFrom(twoTunnels), { target: 'networkd', host: 'a' }, host.context(root));
    await expect(attempt).rejects.toThrow(LockHeldError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `"tungen try --target networkd" \\(pid ${process.pid} on testbox, started .*\\) holds .*run/tungen\\.lock`,
      ),
    );
    expect(host.calls).toEqual([]);
    await release();
  });

  it('takes over a lock whose process is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await mkdir(join(root, 'run'), { recursive: true });
    await writeFile(join(root, 'run/tungen.lock'), holder(dead));
    const release = await acquireLock(host.context(root), 'tungen apply');
    expect(JSON.parse(await readFile(join(root, 'run/tungen.lock'), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it("does not take over another machine's lock it cannot check", async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await mkdir(join(root, 'run'), { recursive: true });
    await writeFile(join(root, 'run/tungen.lock'), holder(dead, 'elsewhere'));
    await expect(acquireLock(host.context(root), 'tungen apply')).rejects.toThrow(/on elsewhere/);
  });

  it('does not release a lock another process holds', async () => {
    const release = await acquireLock(host.context(root), 'tungen apply');
    await writeFile(join(root, 'run/tungen.lock'), holder(1));
    await release();
    expect(JSON.parse(await readFile(join(root, 'run/tungen.lock'), 'utf8')).pid).toBe(1);
  });
});
