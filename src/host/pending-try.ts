import { join } from 'node:path';
import { underRoot, type HostContext } from './context.js';
import type { FileMeta } from './commit.js';
import { tempPath } from './file-ops.js';
import { systemFailure } from './system-errors.js';

/**
 * What a try changed, kept on disk until the try is confirmed or rolled back:
 * the files as they were before it, with their modes and owners. A try that
 * was killed (SIGKILL, a crash, a power cut) leaves it behind, and the next
 * apply, try or verify says so; `tungen try --rollback` puts the files back.
 */
export interface PendingTry {
  pid: number;
  command: string;
  started: string;
  target: string;
  host: string | null;
  files: Array<{ path: string; contents: string | null; meta?: FileMeta }>;
}

export const pendingTryFile = '/var/lib/tungen/pending-try.json';

export async function readPendingTry(context: HostContext): Promise<PendingTry | null> {
  const path = underRoot(context, pendingTryFile);
  try {
    const found = await context.files.lstat(path);
    if (found === null) return null;
    return JSON.parse(await context.files.readFile(path)) as PendingTry;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw systemFailure(error, { doing: 'reading the record of an unconfirmed try', path, changed: false });
  }
}

/** Written to a random temporary name, synced, then renamed over the record: never half-written. */
export async function savePendingTry(context: HostContext, record: PendingTry): Promise<void> {
  const path = underRoot(context, pendingTryFile);
  const temp = tempPath(path);
  try {
    await context.files.mkdirp(join(path, '..'));
    await context.files.writeNew(temp, `${JSON.stringify(record, null, 1)}\n`, 0o600);
    await context.files.rename(temp, path);
    await context.files.syncDir(join(path, '..'));
  } catch (error) {
    await context.files.unlink(temp).catch(() => undefined);
    throw systemFailure(error, { doing: 'saving the state before the try', path, changed: false });
  }
}

export async function clearPendingTry(context: HostContext): Promise<void> {
  const path = underRoot(context, pendingTryFile);
  try {
    if ((await context.files.lstat(path)) === null) return;
    await context.files.unlink(path);
    await context.files.syncDir(join(path, '..'));
  } catch (error) {
    throw systemFailure(error, {
      doing: 'removing the record of the try',
      path,
      changed: 'the configuration itself is as reported',
    });
  }
}

/** The warning every host command prints while a try is unconfirmed. */
export function pendingTryWarning(record: PendingTry): string {
  return `an unconfirmed try ("${record.command}", pid ${record.pid}, started ${record.started}) is still in force: run "tungen try --rollback" to restore the files as they were before it, or apply to keep the spec's state`;
}
