import { open, rename, unlink } from 'node:fs/promises';

/** The file system calls a commit makes; replaceable so tests can make one fail midway. */
export interface FileOps {
  /** Creates `path` (which must not exist) with `contents`, on disk before it returns. */
  writeNew(path: string, contents: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Makes renames and removals in a folder durable. */
  syncDir(path: string): Promise<void>;
}

export const nodeFileOps: FileOps = {
  async writeNew(path, contents, mode) {
    const handle = await open(path, 'wx', mode);
    try {
      await handle.writeFile(contents, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename,
  unlink,
  async syncDir(path) {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
