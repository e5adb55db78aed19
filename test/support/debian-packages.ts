/**
 * Debian packages some tests run (pre-commit, python3-jsonschema, Debian 12's Node.js 18):
 * installed through apt-get when missing, as the real-kernel suite installs its own.
 * Returns why the tests must skip when there is no apt-get; throws when the
 * installation fails.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './run-cli.js';

/** Runs an installer script of test/pipelines; exit 3 means "no apt-get here". */
async function runInstaller(script: string, args: string[], what: string): Promise<{ skip?: string; stdout: string }> {
  // Asynchronously, so a long apt-get run does not block the test worker.
  const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn('bash', [join(repoRoot, 'test/pipelines', script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
  if (result.status === 3) {
    const reason = result.stderr.trim();
    console.warn(`skipped: ${reason}`);
    return { skip: reason, stdout: result.stdout };
  }
  if (result.status !== 0) throw new Error(`installing ${what} failed:\n${result.stderr}`);
  return { stdout: result.stdout };
}

export async function needDebianPackages(...packages: string[]): Promise<string | undefined> {
  return (await runInstaller('install-debian-packages.sh', packages, packages.join(', '))).skip;
}

/** Debian 12's Node.js 18 (unpacked into .cache/node18): the command that runs it, or why the tests skip. */
export async function debianNode18(): Promise<{ node: string; skip?: undefined } | { node?: undefined; skip: string }> {
  const { skip, stdout } = await runInstaller('install-debian-node18.sh', [], "Debian 12's Node.js 18");
  return skip === undefined ? { node: stdout.trim() } : { skip };
}

/** Debian's own Python, where python3-jsonschema is installed (a python3 earlier on PATH may not have it). */
export const debianPython = '/usr/bin/python3';
