/**
 * Two ways to run tungen's commands: in this process (the command functions the
 * CLI wraps, fast enough for hundreds of cases; shared with tungen/testing) and
 * as the real binary.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliRun } from '../../src/testing/in-process.js';

export { emitOutInProcess, listFiles, runInProcess } from '../../src/testing/in-process.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const binPath = join(repoRoot, 'bin/tungen.js');

export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** The real binary, as a user runs it; stdio are pipes, so it is never a TTY. */
export function tungen(args: string[], options: SpawnOptions = {}): Promise<CliRun> {
  return runProgram(process.execPath, [binPath, ...args], options);
}

/** PROGRAM ARGS (a node, say) with stdio pipes, from the repository unless told otherwise. */
export function runProgram(program: string, args: string[], options: SpawnOptions = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const env = { ...process.env, ...options.env };
    // An undefined value means "unset", not the string "undefined".
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const child = spawn(program, args, {
      cwd: options.cwd ?? repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * PROGRAM ARGS with its stdout read by a reader that stops after the first chunk, as
 * `tungen emit | head` does; the exit code and what it wrote to stderr.
 */
export async function runIntoClosedPipe(program: string, args: string[]): Promise<{ code: unknown; stderr: string }> {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise((done) => child.on('close', done));
  return { code, stderr };
}
