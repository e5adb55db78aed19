import { dirname } from 'node:path';
import { HostError } from './errors.js';

/** A condition of the system (permissions, a full or read-only disk, a planted file): the host, not tungen, must change. */
export class HostSystemError extends HostError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'HostSystemError';
  }
}

export interface FailureContext {
  /** What tungen was doing, e.g. "writing the files". */
  doing: string;
  path: string;
  /** false: nothing was changed; otherwise words saying what was. */
  changed: false | string;
}

/**
 * One line for a failed file-system call: what failed, on which path, whether
 * anything was changed and what to do. Errors that are not the system's
 * (no errno code) are bugs and are passed on as they are.
 */
export function systemFailure(error: unknown, at: FailureContext): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return error as Error;
  const changed = at.changed === false ? 'nothing was changed' : at.changed;
  const { path } = at;
  const what = ((): [string, string] => {
    switch (code) {
      case 'EACCES':
      case 'EPERM':
        return [
          `permission denied on ${path}`,
          `tungen needs root to change ${dirname(path)}: run it as root, or give --root DIR`,
        ];
      case 'EROFS':
        return [`${path} is on a read-only file system`, 'remount it read-write, or give --root DIR'];
      case 'ENOSPC':
      case 'EDQUOT':
        return [`no space left on the device of ${path}`, 'free some space and run again'];
      case 'EISDIR':
        return [`${path} is a directory`, 'move it away and run again'];
      case 'ELOOP':
        return [`${path} is a symbolic link, which tungen does not follow`, 'remove it and run again'];
      case 'ENOTDIR':
        return [`a part of ${path} is not a folder`, 'fix the path and run again'];
      case 'EIO':
        return [`I/O error on ${path} (the data may not be on disk)`, 'check the disk (dmesg) and run again'];
      default:
        return [`${path}: ${code}: ${(error as Error).message.replace(/\n[\s\S]*/, '')}`, 'fix it and run again'];
    }
  })();
  return new HostSystemError(`${at.doing} failed: ${what[0]}; ${changed}; ${what[1]}`, code);
}
