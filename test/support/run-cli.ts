/**
 * Two ways to run tungen's commands: in this process (the command functions the
 * CLI wraps, fast enough for hundreds of cases) and as the real binary.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit } from '../../src/cli/commands/emit.js';
import { validate } from '../../src/cli/commands/validate.js';
import { CliError } from '../../src/cli/io.js';
import { formatProblem, SpecError } from '../../src/diagnostics.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const binPath = join(repoRoot, 'bin/tungen.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command function the way src/cli/main.ts does (same error-to-exit-code
 * mapping), capturing what it prints. Callers must not overlap: the streams
 * are swapped for the duration.
 */
async function capture(command: () => Promise<number>): Promise<CliRun> {
  const chunks = { stdout: '', stderr: '' };
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  const noColor = process.env['NO_COLOR'];
  process.env['NO_COLOR'] = '1';
  process.stdout.write = ((text: string) => ((chunks.stdout += text), true)) as typeof process.stdout.write;
  process.stderr.write = ((text: string) => ((chunks.stderr += text), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await command();
  } catch (error) {
    if (error instanceof CliError) {
      chunks.stderr += `tungen: ${error.message}\n`;
      code = error.exitCode;
    } else if (error instanceof SpecError) {
      chunks.stderr += error.problems.map((p) => `${formatProblem(p)}\n`).join('');
      code = 1;
    } else throw error;
  } finally {
    process.stdout.write = originals.stdout;
    process.stderr.write = originals.stderr;
    if (noColor === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = noColor;
  }
  return { code, ...chunks };
}

/** `tungen -c SPEC validate`, in process. */
export function validateInProcess(specFile: string): Promise<CliRun> {
  return capture(() => validate([specFile], false));
}

/** `tungen -c SPEC emit -t TARGET --out DIR`, in process. */
export function emitOutInProcess(specFile: string, target: string, outDir: string): Promise<CliRun> {
  return capture(() => emit({ target, out: outDir }, specFile));
}

/** Every file under a folder, as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1))
    .sort();
}

export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** The real binary, as a user runs it; stdio are pipes, so it is never a TTY. */
export function tungen(args: string[], options: SpawnOptions = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const env = { ...process.env, ...options.env };
    // An undefined value means "unset", not the string "undefined".
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const child = spawn(process.execPath, [binPath, ...args], {
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
