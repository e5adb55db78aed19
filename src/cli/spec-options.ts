import { checkSpec, type ValidSpec } from '../api.js';
import { formatProblem } from '../diagnostics.js';
import { loadSpec } from '../spec/load.js';
import { CliError, err, exitCodes, red } from './io.js';

/** Loads and validates the spec named by --config (or found by discovery); prints problems and fails on any. */
export async function loadValidSpec(config: string | undefined): Promise<ValidSpec> {
  const loaded = await loadSpec(config);
  const { problems, spec } = await checkSpec(loaded);
  if (!spec) {
    printProblems(problems.map(formatProblem));
    throw new CliError(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${loaded.file}; nothing was written`,
      exitCodes.problems,
    );
  }
  return spec;
}

export function printProblems(lines: string[]): void {
  for (const line of lines) {
    const colon = line.indexOf(': ');
    err(colon > 0 ? `${red(line.slice(0, colon))}${line.slice(colon)}` : line);
  }
}
