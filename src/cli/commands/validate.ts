import { Option, type Command } from 'commander';
import { checkSpec } from '../../api.js';
import { formatProblem, SpecError, SpecMissingError } from '../../diagnostics.js';
import { loadSpec } from '../../spec/load.js';
import { exitCodes, out } from '../io.js';
import { formatReport, problemFormats, type FileResult, type ProblemFormat } from '../problem-formats.js';
import type { CliContext } from '../options.js';
import { printProblems } from '../spec-options.js';

interface ValidateOptions {
  quiet?: boolean;
  format: ProblemFormat;
  json?: boolean;
}

export function registerValidate(program: Command, cli: CliContext): void {
  program
    .command('validate')
    .description('check specs; print every problem as FILE:LINE:COL: message (path) and exit 1 if any')
    .argument('[files...]', 'spec files (default: --config, or the spec found from the current folder)')
    .option('-q, --quiet', 'print nothing for valid specs (text format)')
    .addOption(
      new Option(
        '-f, --format <format>',
        'text (lines on stderr), json, github (workflow annotations) or sarif (SARIF 2.1.0); all but text on stdout',
      )
        .choices(problemFormats)
        .default('text'),
    )
    .option('--json', 'short for --format json')
    .action(async (files: string[], options: ValidateOptions) => {
      const format = options.json ? 'json' : options.format;
      cli.finish(await validate(files.length ? files : [cli.config()], options.quiet ?? false, format));
    });
}

/** Validates each file; all problems of all files are reported, not just the first. */
export async function validate(
  files: Array<string | undefined>,
  quiet: boolean,
  format: ProblemFormat = 'text',
): Promise<number> {
  const results: FileResult[] = [];
  let missing = false;
  for (const file of files) {
    let result: FileResult;
    try {
      const loaded = await loadSpec(file);
      const { problems, spec } = await checkSpec(loaded);
      result = { file: loaded.file, tunnels: spec ? spec.raw.tunnels.length : null, problems };
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      missing ||= error instanceof SpecMissingError;
      result = { file: error.problems[0]?.file ?? file ?? '', tunnels: null, problems: error.problems };
    }
    results.push(result);
    // Text goes out file by file, as it is found.
    if (format !== 'text') continue;
    if (result.problems.length) printProblems(result.problems.map(formatProblem));
    else if (!quiet) out(`${result.file}: valid (${result.tunnels} tunnel${result.tunnels === 1 ? '' : 's'})`);
  }
  if (format !== 'text') {
    const report = formatReport(format, results);
    if (report) out(report);
  }
  const failed = results.some((r) => r.problems.length > 0);
  // A file that is not there is a usage error (2), even beside specs with problems.
  return missing ? exitCodes.usage : failed ? exitCodes.problems : exitCodes.ok;
}
