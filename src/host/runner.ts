import { spawn } from 'node:child_process';

/** What a finished command left behind. */
export interface CommandResult {
  /** Exit status; 127 when the program was not found, 128+N when killed by signal N or timed out. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Kill the command after this long; it then fails with code 124 like timeout(1). */
  timeoutMs?: number;
}

/**
 * Runs external programs. Every command tungen runs on a host goes through
 * this, as an argv array (never a shell string), so tests can record them.
 */
export interface CommandRunner {
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

/** Runs commands for real, without a shell. */
export const systemRunner: CommandRunner = {
  run(argv, options = {}) {
    return new Promise((resolve) => {
      const [program, ...args] = argv;
      if (!program) throw new Error('empty command');
      const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
            }, options.timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      const finish = (code: number, extra = '') => {
        clearTimeout(timer);
        resolve({
          code,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8') + extra,
        });
      };
      child.on('error', (error: NodeJS.ErrnoException) =>
        finish(
          error.code === 'ENOENT' ? 127 : 126,
          `${program}: ${error.code === 'ENOENT' ? 'command not found' : error.message}`,
        ),
      );
      child.on('close', (code, signal) => {
        if (timedOut) finish(124, `${program}: timed out after ${options.timeoutMs} ms`);
        else finish(code ?? 128 + signalNumber(signal));
      });
    });
  },
};

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return (signal && numbers[signal]) ?? 0;
}

/** A command as a user would type it, for plans and messages. */
export function showCommand(argv: readonly string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The first line of a command's complaint, for one-line messages. */
export function complaint(result: CommandResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? '';
  return text ? `${text} (exit ${result.code})` : `exit ${result.code}`;
}
