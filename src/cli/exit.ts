import { CommanderError } from 'commander';
import { formatProblem, SpecError, SpecMissingError, type Problem } from '../diagnostics.js';
import { HostError, HostUsageError } from '../host/errors.js';
import { HostSystemError } from '../host/system-errors.js';
import { CliError, err, exitCodes, out, SpecProblemsError } from './io.js';
import { problemRecord } from './problem-formats.js';
import { printProblems } from './spec-options.js';

/** How a run reports a failure: words on stderr, or one JSON document on stdout. */
export type FailureFormat = 'text' | 'json';

/** What went wrong: one message, the problems behind it, the exit code. */
interface Failure {
  exitCode: number;
  message: string;
  problems: readonly Problem[];
  /** Text already printed (commander's own complaints), or the problems say it all. */
  textShown: 'nothing' | 'problems' | 'all';
}

function failureOf(error: unknown): Failure {
  if (error instanceof CommanderError) {
    // Commander has printed its complaint already (in text mode).
    const message = error.message.replace(/^error: /, '');
    return { exitCode: exitCodes.usage, message, problems: [], textShown: 'all' };
  }
  if (error instanceof SpecProblemsError)
    return { exitCode: error.exitCode, message: error.message, problems: error.problems, textShown: 'nothing' };
  if (error instanceof CliError)
    return { exitCode: error.exitCode, message: error.message, problems: [], textShown: 'nothing' };
  // A wrong --host, or the system refusing (permissions, a full disk), is a usage error;
  // the other host failures are problems found.
  if (error instanceof HostUsageError || error instanceof HostSystemError)
    return { exitCode: exitCodes.usage, message: error.message, problems: [], textShown: 'nothing' };
  if (error instanceof HostError)
    return { exitCode: exitCodes.problems, message: error.message, problems: [], textShown: 'nothing' };
  if (error instanceof SpecError) {
    // No spec to check is a usage error, even beside specs with problems.
    const exitCode = error instanceof SpecMissingError ? exitCodes.usage : exitCodes.problems;
    const message = error.problems.map(formatProblem).join('\n');
    return { exitCode, message, problems: error.problems, textShown: 'problems' };
  }
  // Not meant for the user: a bug, shown with its stack.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { exitCode: exitCodes.usage, message, problems: [], textShown: 'nothing' };
}

/**
 * The one place a failed command becomes output and an exit code: the CLI's
 * main and the tests' in-process runner both end here.
 */
export function exitCodeFor(error: unknown, format: FailureFormat = 'text'): number {
  // --help and --version end here too, with code 0.
  if (error instanceof CommanderError && error.exitCode === 0) return exitCodes.ok;
  const failure = failureOf(error);
  if (format === 'json') {
    const report = { error: { message: failure.message, exitCode: failure.exitCode }, problems: failure.problems };
    out(JSON.stringify({ ...report, problems: report.problems.map(problemRecord) }, null, 2));
    return failure.exitCode;
  }
  if (failure.textShown === 'all') return failure.exitCode;
  printProblems(failure.problems.map(formatProblem));
  if (failure.textShown === 'nothing') err(`tungen: ${failure.message}`);
  return failure.exitCode;
}
