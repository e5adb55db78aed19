import { Command, CommanderError } from 'commander';
import { SpecError, SpecMissingError, formatProblem, type Problem } from '../diagnostics.js';
import { registerApply } from './commands/apply.js';
import { registerBundle } from './commands/bundle.js';
import { registerEmit } from './commands/emit.js';
import { registerSchema } from './commands/schema.js';
import { registerTry } from './commands/try.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import { asksForJson, CliError, err, exitCodes, out, outputMode, SpecProblemsError } from './io.js';
import { problemRecord } from './problem-formats.js';
import { printProblems } from './spec-options.js';
import { version } from '../version.js';

/** Builds the command line; commands are thin wrappers over the library API. */
export function buildProgram(): Command {
  const program = new Command('tungen')
    .description('One spec of IP tunnels, rendered to systemd-networkd or ifupdown, applied and proven with pings')
    .version(version, '-V, --version')
    .option(
      '-c, --config <file>',
      'spec file (default: tungen.config.{yaml,yml,json,js,cjs,mjs}, .tungenrc*, or "tungen" in package.json)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const config = () => program.opts<{ config?: string }>().config;
  registerEmit(program, config);
  registerValidate(program, config);
  registerSchema(program);
  registerApply(program, config);
  registerVerify(program, config);
  registerTry(program, config);
  registerBundle(program, config);
  for (const command of program.commands) {
    command.exitOverride();
    // Every command takes --json, so a pipeline can pass it everywhere; these print JSON anyway.
    if (!command.options.some((option) => option.long === '--json'))
      command.option('--json', 'the output is JSON already (errors too, with --json)');
  }
  return program;
}

/** Runs the CLI; the only place that decides the process's exit code. */
export async function main(argv: string[]): Promise<number> {
  outputMode.json = asksForJson(argv);
  const program = buildProgram();
  // In JSON mode commander's own complaints (unknown option, missing argument) come out as JSON below.
  if (outputMode.json)
    for (const command of [program, ...program.commands])
      command.configureOutput({ outputError: () => {}, writeErr: () => {} });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    // --help and --version end here too, with code 0.
    if (error instanceof CommanderError && error.exitCode === 0) return exitCodes.ok;
    const failure = describeFailure(error);
    if (outputMode.json) {
      const report = { error: { message: failure.message, exitCode: failure.exitCode }, problems: failure.problems };
      out(JSON.stringify({ ...report, problems: report.problems.map(problemRecord) }, null, 2));
    } else if (error instanceof SpecError && !(error instanceof CliError)) {
      printProblems(error.problems.map(formatProblem));
    } else if (!(error instanceof CommanderError)) {
      // Commander has printed its complaint already.
      err(`tungen: ${failure.message}`);
    }
    return failure.exitCode;
  }
}

/** What went wrong, as one message, the problems behind it and the exit code. */
function describeFailure(error: unknown): { message: string; problems: Problem[]; exitCode: number } {
  if (error instanceof CommanderError)
    return { message: error.message.replace(/^error: /, ''), problems: [], exitCode: exitCodes.usage };
  if (error instanceof SpecProblemsError)
    return { message: error.message, problems: error.problems, exitCode: error.exitCode };
  if (error instanceof CliError) return { message: error.message, problems: [], exitCode: error.exitCode };
  if (error instanceof SpecError) {
    const exitCode = error instanceof SpecMissingError ? exitCodes.usage : exitCodes.problems;
    return { message: error.problems.map(formatProblem).join('\n'), problems: error.problems, exitCode };
  }
  return { message: (error as Error).stack ?? String(error), problems: [], exitCode: exitCodes.usage };
}

// A closed pipe (tungen emit | head) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(exitCodes.ok);
  throw error;
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
