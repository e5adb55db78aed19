import { Command } from 'commander';
import { exitCodeFor } from './exit.js';
import { asksForJson, exitCodes, write, writeToDescriptors } from './io.js';
import type { CliContext } from './options.js';
import { version } from '../version.js';

type Register = (program: Command, cli: CliContext) => void;

/**
 * Each command's module, loaded only when it runs: `validate` then never loads the code (and
 * the Node built-ins) that `apply` needs to act on a machine, which is most of a cold start.
 */
const commandModules: Record<string, () => Promise<Register>> = {
  emit: async () => (await import('./commands/emit.js')).registerEmit,
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  schema: async () => (await import('./commands/schema.js')).registerSchema,
  apply: async () => (await import('./commands/apply.js')).registerApply,
  verify: async () => (await import('./commands/verify.js')).registerVerify,
  try: async () => (await import('./commands/try.js')).registerTry,
  bundle: async () => (await import('./commands/bundle.js')).registerBundle,
};

/**
 * The command the arguments name, when it is one of ours: the first word that is neither an
 * option nor the file of -c/--config. Anything else (help, a typo, no command) gets them all.
 */
function commandNamed(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg === '-c' || arg === '--config') i++;
    else if (!arg.startsWith('-')) return Object.hasOwn(commandModules, arg) ? arg : undefined;
  }
  return undefined;
}

/** Builds the command line; commands are thin wrappers over the library API and hand their exit code to `finish`. */
async function buildProgram(argv: readonly string[], finish: CliContext['finish']): Promise<Command> {
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
  const named = commandNamed(argv);
  const wanted = named === undefined ? Object.keys(commandModules) : [named];
  const registers = await Promise.all(wanted.map((name) => commandModules[name]!()));
  for (const register of registers) register(program, cli);
  for (const command of program.commands) {
    command.exitOverride();
    // Every command takes --json, so a pipeline can pass it everywhere; these print JSON anyway.
    if (!command.options.some((option) => option.long === '--json'))
      command.option('--json', 'the output is JSON already (errors too, with --json)');
  }
  return program;
}

/** Runs the CLI and returns its exit code; bin/tungen.js is the only caller that sets the process's. */
export async function main(argv: string[]): Promise<number> {
  writeToDescriptors();
  const json = asksForJson(argv);
  let code: number = exitCodes.ok;
  const program = await buildProgram(argv, (c) => (code = c));
  // commander's help and complaints go out the same way as everything else; in JSON mode its
  // complaints (unknown option, missing argument) come out as JSON from exitCodeFor instead.
  for (const command of [program, ...program.commands])
    command.configureOutput(
      json
        ? { writeOut: (text) => write(1, text), outputError: () => {}, writeErr: () => {} }
        : { writeOut: (text) => write(1, text), writeErr: (text) => write(2, text) },
    );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    return exitCodeFor(error, json ? 'json' : 'text');
  }
}
