import type { Command } from 'commander';
import { checkSpec } from '../../api.js';
import { formatProblem } from '../../diagnostics.js';
import { loadSpec } from '../../spec/load.js';
import { SpecError, SpecMissingError } from '../../diagnostics.js';
import { exitCodes, out } from '../io.js';
import { printProblems } from '../spec-options.js';

export function registerValidate(program: Command, config: () => string | undefined): void {
  program
    .command('validate')
    .description('check specs; print every problem as FILE:LINE:COL: message (path) and exit 1 if any')
    .argument('[files...]', 'spec files (default: --config, or the spec found from the current folder)')
    .option('-q, --quiet', 'print nothing for valid specs')
    .action(async (files: string[], options: { quiet?: boolean }) => {
      process.exitCode = await validate(files.length ? files : [config()], options.quiet ?? false);
    });
}

/** Validates each file; all problems of all files are printed, not just the first. */
export async function validate(files: Array<string | undefined>, quiet: boolean): Promise<number> {
  let failed = false;
  let missing = false;
  for (const file of files) {
    let lines: string[];
    let summary = '';
    try {
      const loaded = await loadSpec(file);
      const { problems, spec } = await checkSpec(loaded);
      lines = problems.map(formatProblem);
      if (spec)
        summary = `${loaded.file}: valid (${spec.raw.tunnels.length} tunnel${spec.raw.tunnels.length === 1 ? '' : 's'})`;
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      missing ||= error instanceof SpecMissingError;
      lines = error.problems.map(formatProblem);
    }
    if (lines.length) {
      failed = true;
      printProblems(lines);
    } else if (!quiet) {
      out(summary);
    }
  }
  // A file that is not there is a usage error (2), even beside specs with problems.
  return missing ? exitCodes.usage : failed ? exitCodes.problems : exitCodes.ok;
}
