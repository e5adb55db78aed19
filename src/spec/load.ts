import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SpecPath } from '../contract.js';
import { coreProblem, quote, SpecError, SpecMissingError, type Problem } from '../diagnostics.js';
import { importFile } from '../import-file.js';
import { asData } from './data.js';
import { readYamlSubset, type ImplicitType } from './yaml-subset.js';

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

/**
 * Reads the spec at `file`, or the first of `searchPlaces` found from `cwd`
 * upwards, up to the folder of the project (the first one with a package.json).
 * Discovery only looks at file names and package.json's "tungen" key: it runs
 * nothing, and no file of the current folder changes how it searches.
 */
export async function loadSpec(file?: string, cwd = process.cwd()): Promise<LoadedSpec> {
  if (file) return readSpecFile(resolve(cwd, file), cwd);
  const found = await discoverSpec(resolve(cwd));
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
  return readSpecFile(found, cwd);
}

async function discoverSpec(start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    let projectRoot = false;
    for (const place of searchPlaces) {
      const path = join(dir, place);
      const kind = await lstat(path).catch(() => undefined);
      if (!kind) continue;
      if (place !== 'package.json') return path;
      projectRoot = true;
      if (packageNamesSpec(path)) return path;
    }
    if (projectRoot || dirname(dir) === dir) return undefined;
  }
}

/**
 * Whether a package.json holds a spec under "tungen". One that is not JSON
 * but mentions "tungen" is taken, so its syntax error is reported rather than skipped.
 */
function packageNamesSpec(path: string): boolean {
  const text = withoutBom(readSpecText(path, path));
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' && Object.hasOwn(parsed, 'tungen');
  } catch {
    return text.includes('"tungen"');
  }
}

/** Largest spec file read: a fleet of 20,000 tunnels is about 3 MB. */
const maxSpecBytes = 16 * 1024 * 1024;

/** A byte-order mark is not part of the text (YAML allows one; JSON readers may ignore it). */
const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Reads a spec file as text. Only a regular file is read: a FIFO or a device
 * would block or never end. Opened without blocking, then checked. Read with
 * synchronous calls: a regular file of at most 16 MiB is read at once, and
 * the asynchronous ones would start libuv's thread pool (four threads) and wait
 * on it four times, a good part of the wall time of validating a small spec.
 */
function readSpecText(path: string, shown: string): string {
  const fatal = (message: string) => new SpecMissingError(coreProblem('spec/missing', message, [], { file: shown }));
  let handle;
  try {
    handle = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fatal(`cannot read spec: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const stat = fstatSync(handle);
    if (!stat.isFile()) throw fatal(`cannot read spec: not a regular file (${fileKind(stat)})`);
    if (stat.size > maxSpecBytes) {
      throw new SpecError([
        coreProblem(
          'spec/limit',
          `the spec is ${stat.size} bytes; tungen reads specs of at most ${maxSpecBytes} bytes (16 MiB)`,
          [],
          { file: shown, line: 1, column: 1 },
        ),
      ]);
    }
    return readFileSync(handle, 'utf8');
  } catch (error) {
    if (error instanceof SpecError) throw error;
    throw fatal(`cannot read spec: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  } finally {
    closeSync(handle);
  }
}

function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

/**
 * Imports a JS spec. What it throws, and a syntax error in it, become one
 * problem at the line the error names in the spec file.
 */
async function importSpec(path: string, shown: string): Promise<unknown> {
  const url = pathToFileURL(path).href;
  let module: { default?: unknown };
  try {
    module = (await importFile(url)) as { default?: unknown };
  } catch (error) {
    const thrown = error instanceof Error ? error : new Error(String(error));
    const syntax = thrown instanceof SyntaxError;
    const at = locationIn(thrown.stack ?? '', url);
    const message = syntax
      ? `syntax error: ${firstLine(thrown.message)}`
      : `the spec module throws: ${thrown.name}: ${firstLine(thrown.message)}`;
    throw new SpecError([coreProblem(syntax ? 'spec/syntax' : 'spec/script', message, [], { file: shown, ...at })]);
  }
  if (!('default' in module)) {
    throw new SpecError([
      coreProblem('spec/script', 'the spec module has no default export; export the spec as default', [], {
        file: shown,
        line: 1,
        column: 1,
      }),
    ]);
  }
  return module.default;
}

/** The first line of a message, cut short. */
const firstLine = (text: string) => quote(text.split('\n')[0] ?? '').slice(1, -1);

/** LINE:COL of the first place a stack names inside `url` (a syntax error names it as `url:LINE`). */
function locationIn(stack: string, url: string): { line: number; column: number } {
  for (const line of stack.split('\n')) {
    const index = line.indexOf(url);
    if (index < 0) continue;
    const match = /^:(\d+)(?::(\d+))?/.exec(line.slice(index + url.length));
    if (match) return { line: Number(match[1]), column: Number(match[2] ?? 1) };
  }
  return { line: 1, column: 1 };
}

export async function readSpecFile(path: string, cwd = process.cwd()): Promise<LoadedSpec> {
  const shown = displayPath(path, cwd);
  const ext = extname(path);
  if (['.js', '.cjs', '.mjs'].includes(ext)) {
    // Checked as a file first: importing a FIFO would wait for ever.
    readSpecText(path, shown);
    const data = await plainData(await importSpec(path, shown), shown);
    return { file: shown, dir: dirname(resolve(path)), data, pathPrefix: [] };
  }
  const source = withoutBom(readSpecText(path, shown));
  const packageJson = basename(path) === 'package.json';
  const parsed = await parseSource(source, shown, ext === '.json' || packageJson);
  const data = 'plain' in parsed ? parsed.plain : await plainData(parsed.parsed, shown, source);
  if (packageJson) {
    const tungen = data !== null && typeof data === 'object' && Object.hasOwn(data, 'tungen');
    return {
      file: shown,
      dir: dirname(resolve(path)),
      data: tungen ? (data as Record<string, unknown>)['tungen'] : undefined,
      source,
      pathPrefix: ['tungen'],
    };
  }
  return { file: shown, dir: dirname(resolve(path)), data, source, pathPrefix: [] };
}

/** The parsed data as plain data (see asData), or a problem located in the source. */
async function plainData(parsed: unknown, file: string, source?: string): Promise<unknown> {
  const result = asData(parsed);
  if ('data' in result) return result.data;
  const problem = coreProblem('spec/limit', result.problem.message, result.problem.path, { file });
  if (source === undefined) throw new SpecError([problem]);
  const { locateProblems } = await import('./locate.js');
  throw new SpecError(locateProblems(source, [problem]));
}

/**
 * Parses YAML or JSON text; a syntax error becomes a located problem. Text in the subset
 * of YAML that readYamlSubset reads comes back as plain data already.
 */
async function parseSource(
  source: string,
  file: string,
  json: boolean,
): Promise<{ parsed: unknown } | { plain: unknown }> {
  let jsonError: Error | undefined;
  if (json) {
    try {
      const data = JSON.parse(source) as unknown;
      // JSON.parse keeps the last of two equal keys without a word; YAML refuses them, and so does this.
      const { jsonStructureProblem } = await import('./json-scan.js');
      const problem = jsonStructureProblem(source);
      if (problem) throw new SpecError([coreProblem(problem.rule, problem.message, [], { file, ...problem.at })]);
      return { parsed: data };
    } catch (error) {
      if (error instanceof SpecError) throw error;
      // Fall through: the YAML parser reports most JSON syntax errors with a position.
      jsonError = error as Error;
    }
  }
  const yaml = await import('js-yaml');
  if (!json) {
    const subset = readYamlSubset(source, implicitTypes(yaml.CORE_SCHEMA));
    if (subset) return { plain: subset.data };
  }
  let data: unknown;
  try {
    data = yaml.load(source, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? String(error);
    const problem = coreProblem('spec/syntax', `syntax error: ${reason}`, [], { file });
    if (mark) Object.assign(problem, { line: mark.line + 1, column: mark.column + 1 });
    else if (/single document/.test(reason)) {
      Object.assign(problem, {
        message: 'syntax error: a spec is one YAML document; this is where a second one starts',
        ...(await import('./locate.js')).secondDocument(source),
      });
    }
    throw new SpecError([problem]);
  }
  // YAML also reads what JSON refuses (a trailing comma, say): a .json file must still be JSON.
  if (jsonError) throw new SpecError([jsonSyntaxProblem(jsonError, source, file)]);
  return { parsed: data };
}

/** The implicit scalar types of a js-yaml schema, in the order its loader tries them. */
function implicitTypes(schema: object): readonly ImplicitType[] {
  return (schema as { compiledImplicit: ImplicitType[] }).compiledImplicit;
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
