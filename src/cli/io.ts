import { writeSync } from 'node:fs';
import type { Problem } from '../diagnostics.js';

// The streams are read from the global process object when used: importing them
// from 'node:process' builds its ESM namespace, which reads every property of
// process, creating stdin, stdout and stderr at start-up (about 7 ms).

/** Exit codes: 0 ok, 1 problems found (or drift), 2 usage or fatal error. */
export const exitCodes = { ok: 0, problems: 1, usage: 2 } as const;

/** An error whose message is for the user as is, with the exit code to end on. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Whether the arguments ask for JSON (--json, --format json, --format=json, -f json, before any
 * `--`): then every outcome is JSON on stdout, errors included, and nothing is printed as text
 * for a program to parse around.
 */
export function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  return args.some(
    (arg, i) =>
      arg === '--json' ||
      arg === '--format=json' ||
      arg === '-fjson' ||
      ((arg === '--format' || arg === '-f') && args[i + 1] === 'json'),
  );
}

/** A spec with problems where a command needs a valid one; the problems travel with it to exitCodeFor. */
export class SpecProblemsError extends CliError {
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(message, exitCodes.problems);
    this.name = 'SpecProblemsError';
  }
}

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
function useColour(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env['NO_COLOR'] !== '');
}

function paint(stream: NodeJS.WriteStream, code: number, text: string): string {
  return useColour(stream) ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const red = (text: string) => paint(process.stderr, 31, text);

/**
 * Whether out() and err() write to file descriptors 1 and 2 themselves. The command line does
 * (see main): Node builds process.stdout on first use, and for a pipe that is a socket with the
 * whole stream machinery, about 2.5 ms of a start that prints one line. Everything else (the
 * library, the in-process runner, which captures the streams) writes to the streams.
 */
let toDescriptors = false;

/** From now on out() and err() write to the file descriptors (see toDescriptors). */
export function writeToDescriptors(): void {
  toDescriptors = true;
}

/** A closed pipe (tungen emit | head) is not an error: the reader has what it wanted. */
function endQuietlyOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(exitCodes.ok);
  throw error;
}

/** Writes text as it is to stdout (1) or stderr (2). */
export function write(fd: 1 | 2, text: string): void {
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  if (!toDescriptors) {
    stream().write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EAGAIN') return endQuietlyOnClosedPipe(error as NodeJS.ErrnoException);
    // A descriptor someone made non-blocking, and full: from here on the streams write, which
    // wait for it and keep the order.
    toDescriptors = false;
    process.stdout.on('error', endQuietlyOnClosedPipe);
    stream().write(bytes.subarray(done));
  }
}

export function out(text: string): void {
  write(1, text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  write(2, text.endsWith('\n') ? text : `${text}\n`);
}
