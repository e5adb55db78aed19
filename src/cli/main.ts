import { Command } from 'commander';
import { registerApply } from './commands/apply.js';
import { registerBundle } from './commands/bundle.js';
import { registerEmit } from './commands/emit.js';
import { registerSchema } from './commands/schema.js';
import { registerTry } from './commands/try.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import { exitCodeFor } from './exit.js';
import { asksForJson, exitCodes } from './io.js';
import type { CliContext } from './options.js';
import { version } from '../version.js';

/** Builds the command line; commands are thin wrappers over the library API and hand their exit code to `finish`. */
function buildProgram(finish: CliContext['finish']): Command {
  const program = new Command('tungen')
    .description('One spec of IP tunnels, rendered to systemd-networkd or ifupdown, applied and proven with pings')
    .version(version, '-V, --version')
    .option(
      '-c, --config <file>',
      'spec file (default: tungen.config.{yaml,yml,json,js,cjs,mjs}, .tungenrc*, or "tungen" in package.json)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const cli: CliContext = { config: () => program.opts<{ config?: string }>().config, finish };
  registerEmit(program, cli);
  registerValidate(program, cli);
  registerSchema(program, cli);
  registerApply(program, cli);
  registerVerify(program, cli);
  registerTry(program, cli);
  registerBundle(program, cli);
  for (const command of program.commands) {
    command.exitOverride();
    // Every command takes --json, so a pipeline can pass it everywhere; these print JSON anyway.
    if (!command.options.some((option) => option.long === '--json'))
      command.option('--json', 'the output is JSON already (errors too, with --json)');
  }
  return program;
}

/** A closed pipe (tungen emit | head) is not an error. */
function endQuietlyOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(exitCodes.ok);
  throw error;
}

/** Runs the CLI and returns its exit code; bin/tungen.js is the only caller that sets the process's. */
export async function main(argv: string[]): Promise<number> {
  if (!process.stdout.listeners('error').includes(endQuietlyOnClosedPipe))
    process.stdout.on('error', endQuietlyOnClosedPipe);
  const json = asksForJson(argv);
  let code: number = exitCodes.ok;
  const program = buildProgram((c) => (code = c));
  // In JSON mode commander's own complaints (unknown option, missing argument) come out as JSON from exitCodeFor.
  if (json)
    for (const command of [program, ...program.commands])
      command.configureOutput({ outputError: () => {}, writeErr: () => {} });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    return exitCodeFor(error, json ? 'json' : 'text');
  }
}
