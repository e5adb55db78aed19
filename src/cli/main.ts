import { Command, CommanderError } from 'commander';
import { SpecError, SpecMissingError, formatProblem } from '../diagnostics.js';
import { registerApply } from './commands/apply.js';
import { registerBundle } from './commands/bundle.js';
import { registerEmit } from './commands/emit.js';
import { registerSchema } from './commands/schema.js';
import { registerTry } from './commands/try.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import { CliError, err, exitCodes } from './io.js';
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
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI; the only place that decides the process's exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof CliError) {
      err(`tungen: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof SpecError) {
      printProblems(error.problems.map(formatProblem));
      return error instanceof SpecMissingError ? exitCodes.usage : exitCodes.problems;
    }
    err(`tungen: ${(error as Error).stack ?? String(error)}`);
    return exitCodes.usage;
  }
}

// A closed pipe (tungen emit | head) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(exitCodes.ok);
  throw error;
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
