/**
 * ifupdown's own reading of a stanza: `ifup --no-act` expands the method's
 * commands without running them and fails on a missing required option. The
 * check needs ifupdown installed and fails, saying so, where it is not: a
 * skipped check would pass silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ifup = ['/usr/sbin/ifup', '/sbin/ifup'].find((path) => existsSync(path));

/** Problems ifup reports for the stanza of `name`; empty when it would bring it up. */
export function ifupProblems(text: string, name: string): string[] {
  if (!ifup)
    throw new Error(
      'ifup not found: the ifupdown checks need it; install it with `apt-get install ifupdown` (CI does, in .ci/run)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'tungen-ifup-'));
  try {
    const file = join(dir, 'interfaces');
    writeFileSync(file, text);
    // --force: ignore ifupdown's record of what is up on this machine.
    const run = spawnSync(ifup, ['--no-act', '--force', `--interfaces=${file}`, '--', name], { encoding: 'utf8' });
    if (run.status === 0) return [];
    return [`ifup --no-act exited ${String(run.status)}: ${run.stderr.trim().split('\n').join(' / ')}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
