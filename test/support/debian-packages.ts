/**
 * Debian packages some tests run (pre-commit, python3-jsonschema): installed
 * through apt-get when missing, as the real-kernel suite installs its own.
 * Returns why the tests must skip when there is no apt-get; throws when the
 * installation fails.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './run-cli.js';

export async function needDebianPackages(...packages: string[]): Promise<string | undefined> {
  // Asynchronously, so a long apt-get run does not block the test worker.
  const result = await new Promise<{ status: number | null; stderr: string }>((done, fail) => {
    const child = spawn('bash', [join(repoRoot, 'test/pipelines/install-debian-packages.sh'), ...packages], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stderr }));
  });
  if (result.status === 3) {
    const reason = result.stderr.trim();
    console.warn(`skipped: ${reason}`);
    return reason;
  }
  if (result.status !== 0) throw new Error(`installing ${packages.join(', ')} failed:\n${result.stderr}`);
  return undefined;
}

/** Debian's own Python, where python3-jsonschema is installed (a python3 earlier on PATH may not have it). */
export const debianPython = '/usr/bin/python3';
