import { dirname } from 'node:path';
import { underRoot, type HostContext } from './context.js';
import { HostError } from './errors.js';
import { tempPath, type Owner } from './file-ops.js';
import { systemFailure } from './system-errors.js';

export type FileAction = 'add' | 'change' | 'remove';

/** Mode and owner of a file. */
export interface FileMeta extends Owner {
  mode: number;
}

/** One file to create, replace or remove; paths are host paths (/etc/...), before/after null when absent. */
export interface FileChange {
  path: string;
  action: FileAction;
  before: string | null;
  after: string | null;
  /** Mode and owner of the file as it is; a replacement keeps them. */
  beforeMeta?: FileMeta;
  /** Mode and owner the new file gets, when restoring a saved one. */
  afterMeta?: FileMeta;
}

/** Config files are world-readable like the rest of /etc/systemd/network and /etc/network. */
const fileMode = 0o644;

/** The files could not be written; the message says whether the previous ones are back. */
export class CommitError extends HostError {
  constructor(
    message: string,
    override readonly cause: unknown,
    /** What became of the files: never written, undone, not all restored, or in place but maybe not on disk. */
    readonly files: 'not written' | 'rolled back' | 'partly restored' | 'committed',
  ) {
    super(message);
    this.name = 'CommitError';
  }
}

const oneLine = (error: unknown, doing: string, path: string, changed: false | string) => {
  const failure = systemFailure(error, { doing, path, changed });
  return failure === error
    ? `${doing} ${path} failed: ${(error as Error).message}; ${changed || 'nothing was changed'}`
    : failure.message;
};

/**
 * Applies every change or none: all new contents are first written and synced
 * to temporary files (random names, created exclusively, never through a
 * link) beside their targets, then renamed into place; when a rename or
 * removal fails, the changes already made are undone from the previous
 * contents held in `changes`. Only regular files are ever replaced or removed.
 */
export async function commitChanges(context: HostContext, changes: readonly FileChange[]): Promise<void> {
  const staged = await stageAll(context, changes);
  const done: FileChange[] = [];
  let current: FileChange | undefined;
  try {
    for (const change of changes) {
      current = change;
      await swapIn(context, change, staged.get(change));
      done.push(change);
    }
    current = undefined;
    await syncFolders(context, changes);
  } catch (error) {
    if (current === undefined) {
      // Every file is in place; only making it durable failed.
      throw new CommitError(
        oneLine(
          error,
          'syncing the folder',
          dirname(underRoot(context, changes[0]!.path)),
          'the new files are in place but may not be on disk',
        ),
        error,
        'committed',
      );
    }
    const unrestored = await undo(context, [...done].reverse());
    await discard(
      context,
      changes.filter((c) => !done.includes(c)).map((c) => staged.get(c)),
    );
    await syncFolders(context, done).catch(() => undefined);
    const restored = unrestored.length
      ? `could not restore ${unrestored.join(', ')}: run apply again`
      : 'the previous files are back in place';
    throw new CommitError(
      oneLine(
        error,
        'replacing the files',
        underRoot(context, current.path),
        done.length ? restored : 'nothing was changed',
      ),
      error,
      unrestored.length ? 'partly restored' : done.length ? 'rolled back' : 'not written',
    );
  }
}

async function stageAll(context: HostContext, changes: readonly FileChange[]): Promise<Map<FileChange, string>> {
  const staged = new Map<FileChange, string>();
  let path = '';
  try {
    for (const change of changes) {
      if (change.after === null) continue;
      const target = underRoot(context, change.path);
      path = dirname(target);
      await context.files.mkdirp(path);
      const temp = tempPath(target);
      path = temp;
      const meta = change.afterMeta ?? change.beforeMeta;
      // Registered first: a temporary file that failed half-way is removed too.
      staged.set(change, temp);
      await context.files.writeNew(temp, change.after, meta?.mode ?? fileMode, meta);
    }
  } catch (error) {
    await discard(context, [...staged.values()]);
    throw new CommitError(oneLine(error, 'staging the new files', path, false), error, 'not written');
  }
  return staged;
}

/** Refuses to replace or remove anything but a regular file; someone may have planted a link since the plan. */
async function checkTarget(context: HostContext, target: string): Promise<void> {
  const found = await context.files.lstat(target);
  if (found !== null && found.kind !== 'file')
    throw Object.assign(new Error(`${target} is a ${found.kind === 'other' ? 'device or socket' : found.kind}`), {
      code: found.kind === 'symlink' ? 'ELOOP' : found.kind === 'directory' ? 'EISDIR' : 'EEXIST',
    });
}

async function swapIn(context: HostContext, change: FileChange, temp: string | undefined): Promise<void> {
  const target = underRoot(context, change.path);
  await checkTarget(context, target);
  if (temp === undefined) await context.files.unlink(target);
  else await context.files.rename(temp, target);
}

/** Puts back the previous contents; returns the paths it could not restore. */
async function undo(context: HostContext, done: readonly FileChange[]): Promise<string[]> {
  const failed: string[] = [];
  for (const change of done) {
    const target = underRoot(context, change.path);
    try {
      if (change.before === null) await context.files.unlink(target);
      else await replace(context, target, change.before, change.beforeMeta);
    } catch {
      failed.push(target);
    }
  }
  return failed;
}

async function replace(context: HostContext, target: string, contents: string, meta: FileMeta | undefined) {
  const temp = tempPath(target);
  try {
    await context.files.writeNew(temp, contents, meta?.mode ?? fileMode, meta);
    await context.files.rename(temp, target);
  } catch (error) {
    await discard(context, [temp]);
    throw error;
  }
}

async function discard(context: HostContext, temps: ReadonlyArray<string | undefined>): Promise<void> {
  for (const temp of temps) if (temp !== undefined) await context.files.unlink(temp).catch(() => undefined);
}

async function syncFolders(context: HostContext, changes: readonly FileChange[]): Promise<void> {
  const folders = new Set(changes.map((c) => dirname(underRoot(context, c.path))));
  for (const folder of folders) await context.files.syncDir(folder);
}
