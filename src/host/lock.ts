import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { underRoot, type HostContext } from './context.js';
import { HostError } from './errors.js';
import { systemFailure } from './system-errors.js';

/** Who holds the lock, written into it for the message a second tungen prints. */
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
        ? `another tungen is changing this host (pid ${holder.pid}): "${holder.command}" on ${holder.host}, started ${holder.started}, holds ${path}; nothing was changed; try again when it has finished`
        : `another tungen is changing this host (pid unknown: it has not written ${path} yet); nothing was changed; try again when it has finished`,
    );
    this.name = 'LockHeldError';
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
 * flock(2) on an open file of this process. Node has no binding for it, so
 * util-linux's flock(1) is handed the open file as its descriptor 3 and locks
 * it: the lock belongs to the shared open file description, stays after flock
 * exits, and is released by the kernel when this process closes the file or
 * dies in any way. No lock is ever stale, so none is ever taken over.
 */
function flockNonBlocking(handle: FileHandle, path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn('flock', ['--nonblock', '--exclusive', '--conflict-exit-code', '75', '3'], {
      stdio: ['ignore', 'ignore', 'pipe', handle.fd],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new HostError(
          `locking ${path} failed: flock (from util-linux) ${error.code === 'ENOENT' ? 'is not installed' : `could not run: ${error.message}`}; nothing was changed; install util-linux and run again`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(true);
      else if (code === 75) resolve(false);
      else
        reject(
          new HostError(
            `locking ${path} failed: flock: ${stderr.trim() || `exit ${code}`}; nothing was changed; run again`,
          ),
        );
    });
  });
}

/**
 * Takes the host's tungen lock, so two applies never interleave: an exclusive
 * flock on /run/tungen.lock, which is opened without following a symbolic
 * link and never removed (removing it would let a third process lock a new
 * file while a second still waits on the old one). Returns the release.
 */
export async function acquireLock(context: HostContext, command: string): Promise<() => Promise<void>> {
  const path = underRoot(context, lockFile);
  const me: LockHolder = {
    pid: process.pid,
    host: context.hostname(),
    command,
    started: new Date(context.now()).toISOString(),
  };
  let handle: FileHandle;
  try {
    await mkdir(dirname(path), { recursive: true });
    handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    throw systemFailure(error, { doing: 'taking the lock', path, changed: false });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new HostError(`${path} is not a regular file; nothing was changed; remove it and run again`);
    if (!(await flockNonBlocking(handle, path))) {
      await handle.close();
      // The holder writes its name right after locking; give it a moment (a loaded machine needs more).
      let holder = await readHolder(path);
      for (let i = 0; i < 50 && holder === undefined; i++) {
        await new Promise((done) => setTimeout(done, 20));
        holder = await readHolder(path);
      }
      throw new LockHeldError(path, holder);
    }
    const now = await lstat(path).catch(() => undefined);
    if (now?.ino !== stat.ino)
      throw new HostError(`${path} was replaced while tungen locked it; nothing was changed; run again`);
    await handle.truncate(0);
    await handle.write(`${JSON.stringify(me)}\n`, 0);
  } catch (error) {
    await handle.close().catch(() => undefined);
    if (error instanceof HostError) throw error;
    throw systemFailure(error, { doing: 'taking the lock', path, changed: false });
  }
  return async () => {
    await handle.truncate(0).catch(() => undefined);
    await handle.close().catch(() => undefined);
  };
}
