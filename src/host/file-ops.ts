import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What is at a path, without following a symbolic link. */
export interface FileStat {
  kind: 'file' | 'symlink' | 'directory' | 'other';
  mode: number;
  uid: number;
  gid: number;
}

export interface Owner {
  uid: number;
  gid: number;
}

/**
 * Every file-system call apply, try and their rollback make, so tests can make
 * any one of them fail, or never return (as if the process were killed there).
 */
export interface FileOps {
  /** null when nothing is there. */
  lstat(path: string): Promise<FileStat | null>;
  /** A regular file's text; never follows a symbolic link. */
  readFile(path: string): Promise<string>;
  /** Names in a folder; empty when the folder does not exist. */
  readdir(path: string): Promise<string[]>;
  mkdirp(path: string): Promise<void>;
  /** Creates `path`, which must not exist and is never a link, with `contents`, mode and owner; on disk before it returns. */
  writeNew(path: string, contents: string, mode: number, owner?: Owner): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Makes renames and removals in a folder durable. */
  syncDir(path: string): Promise<void>;
}

const kindOf = (stat: { isFile(): boolean; isSymbolicLink(): boolean; isDirectory(): boolean }): FileStat['kind'] =>
  stat.isFile() ? 'file' : stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : 'other';

export const nodeFileOps: FileOps = {
  async lstat(path) {
    try {
      const stat = await lstat(path);
      return { kind: kindOf(stat), mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  async readFile(path) {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  },
  async readdir(path) {
    return readdir(path).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? [] : Promise.reject(error),
    );
  },
  async mkdirp(path) {
    await mkdir(path, { recursive: true });
  },
  async writeNew(path, contents, mode, owner) {
    const handle = await open(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      mode,
    );
    try {
      // The umask may have taken bits away; the mode asked for is the one wanted.
      await handle.chmod(mode);
      if (owner) {
        const now = await handle.stat();
        if (now.uid !== owner.uid || now.gid !== owner.gid) await handle.chown(owner.uid, owner.gid);
      }
      await handle.writeFile(contents, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename,
  unlink,
  async syncDir(path) {
    const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Temporary names tungen creates: a dot file beside the target, with a random part nobody can guess. */
const tempPattern = /^\..+\.tungen-[0-9a-f]{16}\.tmp$/;
/** The names earlier versions used (process id and counter), and their lock's temporary file. */
const oldTempPattern = /^(\..+\.tungen-\d+-\d+\.tmp|tungen\.lock\.\d+\.tmp)$/;

/** A file beside `path` that neither networkd (*.netdev, *.network) nor ifupdown's `source dir/*` picks up. */
export function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tungen-${randomBytes(8).toString('hex')}.tmp`);
}

export const isTempName = (name: string) => tempPattern.test(name) || oldTempPattern.test(name);

/** Removes temporary files an earlier, interrupted run left in `folder` (regular files only); returns their paths. */
export async function removeLeftovers(files: FileOps, folder: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await files.readdir(folder)) {
    if (!isTempName(name)) continue;
    const path = join(folder, name);
    if ((await files.lstat(path))?.kind !== 'file') continue;
    await files.unlink(path);
    removed.push(path);
  }
  return removed;
}
