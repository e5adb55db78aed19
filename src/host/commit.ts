import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { underRoot, type HostContext } from './context.js';
import { HostError } from './errors.js';

export type FileAction = 'add' | 'change' | 'remove';

/** One file to create, replace or remove; paths are host paths (/etc/...), before/after null when absent. */
export interface FileChange {
  path: string;
  action: FileAction;
  before: string | null;
  after: string | null;
}

/** Config files are world-readable like the rest of /etc/systemd/network and /etc/network. */
const fileMode = 0o644;
let tempCounter = 0;

/** A file beside `path` that neither networkd (*.netdev, *.network) nor ifupdown's `source dir/*` picks up. */
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tungen-${process.pid}-${tempCounter++}.tmp`);
}

/** The files could not be written; the message says whether the previous ones are back. */
export class CommitError extends HostError {
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'CommitError';
  }
}

/**
 * Applies every change or none: all new contents are first written and synced
 * to temporary files beside their targets, then renamed into place; when a
 * rename or removal fails, the changes already made are undone from the
 * previous contents held in `changes`.
 */
export async function commitChanges(context: HostContext, changes: readonly FileChange[]): Promise<void> {
  const staged = await stageAll(context, changes);
  const done: FileChange[] = [];
  try {
    for (const change of changes) {
      await swapIn(context, change, staged.get(change));
      done.push(change);
    }
  } catch (error) {
    const unrestored = await undo(context, done.reverse());
    await discard(
      context,
      changes.filter((c) => !done.includes(c)).map((c) => staged.get(c)),
    );
    await syncFolders(context, done).catch(() => undefined);
    const restored = unrestored.length
      ? `; could not restore ${unrestored.join(', ')}`
      : '; the previous files are back in place';
    throw new CommitError(`writing the files failed: ${(error as Error).message}${restored}`, error);
  }
  await syncFolders(context, changes);
}

async function stageAll(context: HostContext, changes: readonly FileChange[]): Promise<Map<FileChange, string>> {
  const staged = new Map<FileChange, string>();
  try {
    for (const change of changes) {
      if (change.after === null) continue;
      const target = underRoot(context, change.path);
      await mkdir(dirname(target), { recursive: true });
      const temp = tempPath(target);
      await context.files.writeNew(temp, change.after, fileMode);
      staged.set(change, temp);
    }
  } catch (error) {
    await discard(context, [...staged.values()]);
    throw new CommitError(`nothing was changed: staging the new files failed: ${(error as Error).message}`, error);
  }
  return staged;
}

async function swapIn(context: HostContext, change: FileChange, temp: string | undefined): Promise<void> {
  const target = underRoot(context, change.path);
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
      else await replace(context, target, change.before);
    } catch {
      failed.push(target);
    }
  }
  return failed;
}

async function replace(context: HostContext, target: string, contents: string): Promise<void> {
  const temp = tempPath(target);
  await context.files.writeNew(temp, contents, fileMode);
  await context.files.rename(temp, target).catch(async (error: unknown) => {
    await discard(context, [temp]);
    throw error;
  });
}

async function discard(context: HostContext, temps: ReadonlyArray<string | undefined>): Promise<void> {
  for (const temp of temps) if (temp !== undefined) await context.files.unlink(temp).catch(() => undefined);
}

async function syncFolders(context: HostContext, changes: readonly FileChange[]): Promise<void> {
  const folders = new Set(changes.map((c) => dirname(underRoot(context, c.path))));
  for (const folder of folders) await context.files.syncDir(folder);
}
