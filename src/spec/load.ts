import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SpecPath } from '../contract.js';
import { coreProblem, SpecError, SpecMissingError, type Problem } from '../diagnostics.js';

/** A spec as read from disk, before validation. */
export interface LoadedSpec {
  /** Path as shown in messages and generated headers (relative to cwd when inside it). */
  file: string;
  /** Folder the spec is in, absolute: plugins named in it resolve from here, whatever the process's cwd. */
  dir?: string;
  data: unknown;
  /** Text of YAML/JSON specs, kept to locate problems; absent for JS configs. */
  source?: string;
  /** Where the spec sits inside the file (['tungen'] in package.json). */
  pathPrefix: SpecPath;
}

export const searchPlaces = [
  'tungen.config.yaml',
  'tungen.config.yml',
  'tungen.config.json',
  'tungen.config.js',
  'tungen.config.cjs',
  'tungen.config.mjs',
  '.tungenrc',
  '.tungenrc.yaml',
  '.tungenrc.yml',
  '.tungenrc.json',
  '.tungenrc.js',
  '.tungenrc.cjs',
  '.tungenrc.mjs',
  'package.json',
];

/** Reads the spec at `file`, or finds one from `cwd` upwards with cosmiconfig. */
export async function loadSpec(file?: string, cwd = process.cwd()): Promise<LoadedSpec> {
  if (file) return readSpecFile(resolve(cwd, file), cwd);
  // Loaded lazily: discovery is not needed when the pipeline names the file.
  // cosmiconfig is CommonJS: in the bundle, a dynamic import of it has only .default.
  const cosmiconfigModule = await import('cosmiconfig');
  const { cosmiconfig } = cosmiconfigModule.default ?? cosmiconfigModule;
  const explorer = cosmiconfig('tungen', {
    searchPlaces,
    searchStrategy: 'project',
    // Keep the raw text so problems can be located; parsing happens below.
    loaders: {
      '.yaml': rawText,
      '.yml': rawText,
      '.json': (path: string, content: string) =>
        basename(path) === 'package.json' ? packageSpec(content) : rawText(path, content),
      noExt: rawText,
    },
  });
  const found = await explorer.search(cwd);
  if (!found) {
    throw new SpecMissingError(
      coreProblem(
        'spec/missing',
        `no spec found: give --config FILE or create one of ${searchPlaces.slice(0, 3).join(', ')}`,
        [],
        { file: cwd },
      ),
    );
  }
  return readSpecFile(found.filepath, cwd);
}

const rawText = (_path: string, content: string) => ({ content });

/**
 * cosmiconfig takes package.json only if what the loader returns has a "tungen"
 * key; the raw text has none, so the key is looked up here. A package.json that
 * is not JSON is not taken for a spec.
 */
function packageSpec(content: string): { tungen?: unknown } | null {
  try {
    return { tungen: (JSON.parse(content) as { tungen?: unknown } | null)?.tungen };
  } catch {
    return null;
  }
}

export async function readSpecFile(path: string, cwd = process.cwd()): Promise<LoadedSpec> {
  const shown = displayPath(path, cwd);
  const ext = extname(path);
  if (['.js', '.cjs', '.mjs'].includes(ext)) {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return { file: shown, dir: dirname(resolve(path)), data: module.default, pathPrefix: [] };
  }
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    throw new SpecMissingError(
      coreProblem('spec/missing', `cannot read spec: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, [], {
        file: shown,
      }),
    );
  }
  const data = await parseSource(source, shown, ext === '.json' || basename(path) === 'package.json');
  if (basename(path) === 'package.json') {
    return {
      file: shown,
      dir: dirname(resolve(path)),
      data: (data as Record<string, unknown> | null)?.tungen,
      source,
      pathPrefix: ['tungen'],
    };
  }
  return { file: shown, dir: dirname(resolve(path)), data, source, pathPrefix: [] };
}

/** Parses YAML or JSON text; a syntax error becomes a located problem. */
export async function parseSource(source: string, file: string, json: boolean): Promise<unknown> {
  let jsonError: Error | undefined;
  if (json) {
    try {
      return JSON.parse(source);
    } catch (error) {
      // Fall through: the YAML parser reports most JSON syntax errors with a position.
      jsonError = error as Error;
    }
  }
  const yaml = await import('js-yaml');
  let data: unknown;
  try {
    data = yaml.load(source, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? String(error);
    const problem = coreProblem('spec/syntax', `syntax error: ${reason}`, [], { file });
    if (mark) Object.assign(problem, { line: mark.line + 1, column: mark.column + 1 });
    throw new SpecError([problem]);
  }
  // YAML also reads what JSON refuses (a trailing comma, say): a .json file must still be JSON.
  if (jsonError) throw new SpecError([jsonSyntaxProblem(jsonError, source, file)]);
  return data;
}

/** JSON.parse's complaint on one line, located when it gives a position. */
function jsonSyntaxProblem(error: Error, source: string, file: string): Problem {
  const position = /at position (\d+)/.exec(error.message);
  const reason = error.message
    .replace(/ in JSON at position \d+[\s\S]*$/, '')
    .replace(/, [\s\S]* is not valid JSON$/, '')
    .replace(/\s+/g, ' ');
  const problem = coreProblem('spec/syntax', `syntax error: ${reason}`, [], { file });
  if (position) {
    const before = source.slice(0, Number(position[1]));
    Object.assign(problem, { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') });
  }
  return problem;
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
