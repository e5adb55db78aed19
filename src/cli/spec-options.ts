import { checkSpec, type ValidSpec } from '../api.js';
import { loadSpec, type LoadedSpec } from '../spec/load.js';
import { err, red, SpecProblemsError } from './io.js';

/**
 * Loads and validates the spec named by --config (or found by discovery); fails with every problem found.
 * `amend` may change the parsed data before it is checked (e.g. add hosts given on the command line).
 */
export async function loadValidSpec(
  config: string | undefined,
  amend?: (loaded: LoadedSpec) => void,
): Promise<ValidSpec> {
  const loaded = await loadSpec(config);
  amend?.(loaded);
  const { problems, spec } = await checkSpec(loaded);
  if (!spec) {
    throw new SpecProblemsError(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${loaded.file}; nothing was written`,
      problems,
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
