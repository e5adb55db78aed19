import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { underRoot, type HostContext } from './context.js';
import { HostError } from './errors.js';

/** Who holds the lock, written into it. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  started: string;
}

export const lockFile = '/run/tungen.lock';

export class LockHeldError extends HostError {
  constructor(
    readonly path: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      holder
        ? `another tungen is changing this host: "${holder.command}" (pid ${holder.pid} on ${holder.host}, started ${holder.started}) holds ${path}; try again when it has finished`
        : `${path} exists but says nothing about its holder; if no tungen is running, remove it and try again`,
    );
    this.name = 'LockHeldError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' ? (holder as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the host's tungen lock, so two applies never interleave. The lock is
 * written to a temporary file and hard-linked into place: link() fails when the
 * lock exists, like O_EXCL, and the lock is never seen half-written. A lock
 * whose process is gone (on this host) is taken over. Returns the release.
 */
export async function acquireLock(context: HostContext, command: string): Promise<() => Promise<void>> {
  const path = underRoot(context, lockFile);
  const me: LockHolder = {
    pid: process.pid,
    host: context.hostname(),
    command,
    started: new Date(context.now()).toISOString(),
  };
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    if (await tryLink(path, me)) return () => release(path);
    const holder = await readHolder(path);
    const stale = holder !== undefined && holder.host === me.host && !alive(holder.pid);
    if (!stale || attempt > 0) throw new LockHeldError(path, holder);
    await unlink(path).catch(() => undefined);
  }
}

async function tryLink(path: string, me: LockHolder): Promise<boolean> {
  const temp = `${path}.${me.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(me)}\n`);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Removes the lock only while it is still this process's. */
async function release(path: string): Promise<void> {
  const holder = await readHolder(path);
  if (holder?.pid === process.pid) await unlink(path).catch(() => undefined);
}
