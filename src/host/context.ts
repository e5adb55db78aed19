import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { systemRunner, type CommandRunner } from './runner.js';
import { nodeFileOps, type FileOps } from './file-ops.js';
import { acquireLock } from './lock.js';

/**
 * Everything host commands touch outside their arguments. The defaults act on
 * this machine; tests replace them to run against a temporary root with a
 * recording runner and no waiting.
 */
export interface HostContext {
  /** Folder that stands for / when reading and writing config files. */
  root: string;
  runner: CommandRunner;
  /** This machine's host name (its short form is compared with the spec). */
  hostname(): string;
  /** Whether a kernel module is loaded (or built in with a /sys/module entry). */
  moduleLoaded(name: string): Promise<boolean>;
  sleep(ms: number): Promise<void>;
  now(): number;
  files: FileOps;
  /** Takes the host's lock for a command; resolves to its release. */
  lock(command: string): Promise<() => Promise<void>>;
}

export function hostContext(overrides: Partial<HostContext> = {}): HostContext {
  return {
    root: '/',
    runner: systemRunner,
    hostname,
    moduleLoaded: (name) =>
      access(join('/sys/module', name.replace(/-/g, '_'))).then(
        () => true,
        () => false,
      ),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    files: nodeFileOps,
    lock(command) {
      return acquireLock(this, command);
    },
    ...overrides,
  };
}

/** Where a host path (/etc/...) lives under the context's root. */
export function underRoot(context: HostContext, path: string): string {
  return join(context.root, path);
}
