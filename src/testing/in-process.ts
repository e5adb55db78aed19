/**
 * tungen's commands run in this process: the functions the CLI wraps, with
 * the output captured, fast enough for hundreds of cases. A plugin under test
 * is loaded the way the binary loads it, through `plugins:` in the spec.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { emit } from '../cli/commands/emit.js';
import { validate } from '../cli/commands/validate.js';
import { exitCodeFor } from '../cli/exit.js';

/** What a command printed and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command function the way src/cli/main.ts does (the same function maps
 * errors to output and exit codes), capturing what it prints. Callers must not
 * overlap: the streams are swapped for the duration.
 */
export async function runInProcess(command: () => Promise<number>): Promise<CliRun> {
  const chunks = { stdout: '', stderr: '' };
  // Kept to be put back as they were, never called detached.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  const noColor = process.env['NO_COLOR'];
  process.env['NO_COLOR'] = '1';
  process.stdout.write = (text: string) => ((chunks.stdout += text), true);
  process.stderr.write = (text: string) => ((chunks.stderr += text), true);
  let code: number;
  try {
    code = await command();
  } catch (error) {
    code = exitCodeFor(error);
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
  return runInProcess(() => validate([specFile], false));
}

/** `tungen -c SPEC emit -t TARGET --out DIR`, in process. */
export function emitOutInProcess(specFile: string, target: string, outDir: string): Promise<CliRun> {
  return runInProcess(() => emit({ target, out: outDir }, specFile));
}

/** Every file under a folder, as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1))
    .sort();
}
