/**
 * ifupdown's own reading of a stanza: `ifup --no-act` expands the method's
 * commands without running them and fails on a missing required option. Only
 * where ifupdown is installed (Debian hosts and CI); elsewhere it is skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ifup = ['/usr/sbin/ifup', '/sbin/ifup'].find((path) => existsSync(path));

export const hasIfup = ifup !== undefined;

/** Problems ifup reports for the stanza of `name`; empty when it would bring it up. */
export function ifupProblems(text: string, name: string): string[] {
  if (!ifup) return [];
  const dir = mkdtempSync(join(tmpdir(), 'tungen-ifup-'));
  try {
    const file = join(dir, 'interfaces');
    writeFileSync(file, text);
    // --force: ignore ifupdown's record of what is up on this machine.
    const run = spawnSync(ifup, ['--no-act', '--force', `--interfaces=${file}`, name], { encoding: 'utf8' });
    if (run.status === 0) return [];
    return [`ifup --no-act exited ${String(run.status)}: ${run.stderr.trim().split('\n').join(' / ')}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
