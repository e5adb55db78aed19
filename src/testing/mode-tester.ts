/**
 * ModeTester, in the spirit of ESLint's RuleTester: a mode's tests are tables
 * (or fixture folders) of spec -> expected files and spec -> expected errors.
 * Besides comparing, the tester checks by itself what every mode must get
 * right: output byte-stable when rendered twice, nothing written for an
 * invalid spec (the real `emit --out`), the two ends of a tunnel mirroring
 * each other, every networkd key one systemd 252 accepts, and every ifupdown
 * stanza one ifupdown can bring up.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec, renderSpec, type ValidSpec } from '../api.js';
import type { ModePlugin } from '../contract.js';
import { formatPath, formatProblem, SpecError, type Problem } from '../diagnostics.js';
import { placeFiles } from '../output/files.js';
import { loadSpec } from '../spec/load.js';
import { targetNames } from '../targets/index.js';
import { parseStanzas } from './ifupdown-stanza.js';
import { ifupProblems } from './ifup-dry-run.js';
import { mirrorProblems, type EndFiles } from './mirror.js';
import { lintNetworkdFile } from './networkd-lint.js';
import { emitOutInProcess, listFiles, validateInProcess, type CliRun } from './in-process.js';

/** Generated files by path, as `emit --out` lays them out (HOST/NAME when the spec has hosts). */
export type Files = Record<string, string>;

export interface ValidCase {
  name: string;
  /** YAML text of the spec. */
  spec: string;
  /** Expected contents of some files per target; files not listed are checked by the tester's own rules only. */
  files?: Partial<Record<string, Files>>;
}

/** One problem an invalid spec must produce, as `validate` prints it, with the rule that finds it. */
export interface ExpectedProblem {
  /** Rule id: a core rule ('schema/unknown-key') or a mode's own ('gre/key-conflict'). */
  rule: string;
  /** LINE:COL in the spec, or '' when the problem is about the whole file. */
  at: string;
  /** Dotted path as printed (tunnels[0].ttl), or '' for the whole file. */
  path: string;
  /** The message exactly, or a RegExp it must match. */
  message: string | RegExp;
}

export interface InvalidCase {
  name: string;
  /** Text of the spec: YAML, or what `file` says. */
  spec: string;
  /** File name of the spec; spec.yaml unless given (spec.json for a JSON spec). */
  file?: string;
  /** Every problem, in order. */
  problems: readonly ExpectedProblem[];
  /** Exit code of validate and emit --out; 1 unless given. */
  code?: number;
}

export interface Cases {
  valid?: ValidCase[];
  invalid?: InvalidCase[];
}

export interface ModeTesterOptions {
  /** A mode that is not built in; the tester loads it through `plugins:` like a third-party package. */
  plugin?: ModePlugin;
  /** `emit --out` for the nothing-written check; replaceable so the tester's own tests can break it. */
  emitOut?: (specFile: string, target: string, outDir: string) => Promise<CliRun>;
  /**
   * The real binary: when given, each table of invalid cases also runs `validate` on all its
   * specs in one process and expects what the in-process commands printed, byte for byte.
   */
  binary?: (args: string[]) => Promise<CliRun>;
}

/** An expected or actual problem on one line: `LINE:COL: message (path) [rule]`, the form errors.txt holds. */
export function problemLine(p: { rule: string; at: string; path: string; message: string | RegExp }): string {
  return `${p.at ? `${p.at}: ` : ''}${String(p.message)}${p.path ? ` (${p.path})` : ''} [${p.rule}]`;
}

function asExpected(problem: Problem): ExpectedProblem {
  return {
    rule: problem.rule,
    at: problem.line === undefined ? '' : `${problem.line}:${problem.column ?? ''}`,
    path: formatPath(problem.path),
    message: problem.message,
  };
}

function matches(actual: ExpectedProblem, expected: ExpectedProblem): boolean {
  const message = expected.message;
  return (
    actual.rule === expected.rule &&
    actual.at === expected.at &&
    actual.path === expected.path &&
    (typeof message === 'string' ? actual.message === message : message.test(actual.message as string))
  );
}

/** Strips the indentation common to all lines, so specs can be written inline in a table. */
export function dedent(text: string): string {
  const lines = text
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '\n')
    .split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

const bridge = Symbol.for('tungen.mode-tester.plugins');
const bridgePackage = 'tungen-mode-under-test';
const update = process.env['UPDATE_GOLDEN'] === '1';
const defaultSpecName = 'spec.yaml';

function fail(message: string): never {
  throw new Error(message);
}

async function readTree(dir: string): Promise<Files> {
  const files: Files = {};
  for (const path of await listFiles(dir)) files[path] = await readFile(join(dir, path), 'utf8');
  return files;
}

/** Loads and checks a spec the way the CLI does, from the spec's own folder so messages name it plainly. */
async function analyse(specFile: string): Promise<{ problems: Problem[]; spec?: ValidSpec; data?: unknown }> {
  try {
    const loaded = await loadSpec(specFile.split('/').pop(), dirname(specFile));
    return { ...(await checkSpec(loaded)), data: loaded.data };
  } catch (error) {
    if (error instanceof SpecError) return { problems: error.problems };
    throw error;
  }
}

function render(spec: ValidSpec, target: string): Files {
  const placed = placeFiles(renderSpec(spec, target), spec.hosts.length > 0);
  return Object.fromEntries(placed.map((f) => [f.path, f.contents]));
}

function modesOf(data: unknown): string[] {
  const tunnels = (data as { tunnels?: unknown } | undefined)?.tunnels;
  return Array.isArray(tunnels) ? tunnels.map((t) => String((t as { mode?: unknown } | null)?.mode)) : [];
}

export class ModeTester {
  private root: Promise<string> | undefined;
  private cases = 0;

  constructor(private readonly options: ModeTesterOptions = {}) {}

  /**
   * Registers one vitest test per case of a mode; every case must use that mode.
   * Refuses a malformed table at once, before any test runs.
   */
  run(mode: string, cases: Cases): void {
    this.register(mode, mode, cases);
  }

  /** Registers a table of invalid specs about one topic, whatever modes they use. */
  runInvalid(topic: string, invalid: InvalidCase[]): void {
    this.register(topic, undefined, { invalid });
  }

  private register(title: string, mode: string | undefined, cases: Cases): void {
    const all = [...(cases.valid ?? []), ...(cases.invalid ?? [])];
    const seenNames = new Set<string>();
    const seenSpecs = new Map<string, string>();
    for (const c of all) {
      if (seenNames.has(c.name)) fail(`${title}: two cases are named ${JSON.stringify(c.name)}`);
      seenNames.add(c.name);
      const other = seenSpecs.get(c.spec.trim());
      if (other) fail(`${title}: cases ${JSON.stringify(other)} and ${JSON.stringify(c.name)} have the same spec`);
      seenSpecs.set(c.spec.trim(), c.name);
    }
    for (const c of cases.invalid ?? []) {
      if (!c.problems.length)
        fail(`${title}: invalid case ${JSON.stringify(c.name)} expects no problems; list every problem it must report`);
    }
    if (this.options.binary && this.options.plugin)
      fail(`${title}: the real binary cannot load a plugin object; give binary or plugin, not both`);
    describe(title, () => {
      for (const c of cases.valid ?? []) it(`valid: ${c.name}`, () => this.checkValid(mode!, c));
      for (const c of cases.invalid ?? []) it(`invalid: ${c.name}`, () => this.checkInvalid(mode, c));
      const binary = this.options.binary;
      if (binary && cases.invalid?.length) {
        const invalid = cases.invalid;
        it('the real binary prints what the in-process commands print', () => this.checkBinary(binary, invalid));
      }
      afterAll(() => this.dispose());
    });
  }

  /** Registers a test per fixture folder DIR/<mode>/<case>/ (spec.yaml or spec.json, then <target>/ files or errors.txt). */
  runFixtures(dir: string): void {
    describe('fixtures', () => {
      for (const caseDir of fixtureCases(dir)) {
        const mode = caseDir.slice(dir.length + 1).split('/')[0]!;
        it(caseDir.slice(dir.length + 1), () => this.checkFixture(mode, caseDir));
      }
      afterAll(() => this.dispose());
    });
  }

  async checkValid(mode: string, c: ValidCase): Promise<void> {
    const specFile = await this.writeSpec(c.spec);
    const rendered = await this.verifyValid(mode, specFile);
    for (const [target, files] of Object.entries(c.files ?? {})) {
      for (const [path, contents] of Object.entries(files ?? {})) {
        if (rendered[target]?.[path] === undefined)
          fail(`${target} wrote no ${path}; it wrote ${Object.keys(rendered[target] ?? {}).join(', ')}`);
        expect(rendered[target][path], `${target} ${path} of ${c.name}`).toBe(contents);
      }
    }
  }

  /** Checks an invalid case; with a mode, the spec must use it. */
  async checkInvalid(mode: string | undefined, c: InvalidCase): Promise<void> {
    await this.verifyInvalid(mode, await this.writeSpec(c.spec, c.file), c);
  }

  /** One `validate` of all the specs in the real binary prints what validate printed in process, one by one. */
  async checkBinary(binary: (args: string[]) => Promise<CliRun>, cases: readonly InvalidCase[]): Promise<void> {
    const files = await Promise.all(cases.map((c) => this.writeSpec(c.spec, c.file)));
    let inProcess = '';
    // One at a time: the in-process runner swaps the output streams while it runs.
    for (const file of files) inProcess += (await validateInProcess(file)).stderr;
    const run = await binary(['validate', ...files]);
    if (run.code === 0) fail('validate exited 0 on invalid specs');
    expect(run.stdout, 'validate prints nothing on stdout for invalid specs').toBe('');
    expect(run.stderr, 'the binary prints what the in-process commands print').toBe(inProcess);
  }

  async checkFixture(mode: string, caseDir: string): Promise<void> {
    const specFile = ['spec.yaml', 'spec.json'].map((name) => join(caseDir, name)).find((path) => existsSync(path));
    if (!specFile) fail(`${caseDir}: no spec.yaml or spec.json`);
    const errorsFile = join(caseDir, 'errors.txt');
    if (existsSync(errorsFile)) {
      const { problems } = await analyse(specFile);
      if (update) await writeFile(errorsFile, problems.map((p) => `${problemLine(asExpected(p))}\n`).join(''));
      const expected = (await readFile(errorsFile, 'utf8')).split('\n').filter(Boolean);
      const lines = problems.map((p) => problemLine(asExpected(p)));
      expect(lines, `problems of ${caseDir} (errors.txt, one per line; UPDATE_GOLDEN=1 rewrites it)`).toEqual(expected);
      await this.verifyInvalid(mode, specFile, { name: caseDir, spec: '', problems: problems.map(asExpected) });
      return;
    }
    const rendered = await this.verifyValid(mode, specFile);
    for (const target of targetNames) {
      const expectedDir = join(caseDir, target);
      if (update) {
        await rm(expectedDir, { recursive: true, force: true });
        for (const [path, contents] of Object.entries(rendered[target]!)) {
          await mkdir(dirname(join(expectedDir, path)), { recursive: true });
          await writeFile(join(expectedDir, path), contents);
        }
      }
      expect(rendered[target], `${target} files of ${caseDir} (UPDATE_GOLDEN=1 rewrites them)`).toEqual(
        await readTree(expectedDir),
      );
    }
  }

  /** Removes the temporary folders. */
  async dispose(): Promise<void> {
    const root = this.root;
    this.root = undefined;
    if (root) await rm(await root, { recursive: true, force: true });
  }

  /** The built-in rules for a spec that must be valid; returns its files per target. */
  private async verifyValid(mode: string, specFile: string): Promise<Record<string, Files>> {
    const { problems, spec } = await analyse(specFile);
    if (!spec) fail(`expected a valid spec, got:\n${problems.map(formatProblem).join('\n')}`);
    const modes = modesOf(spec.raw);
    if (!modes.length || modes.some((m) => m !== mode))
      fail(`a ${mode} case must use only mode ${mode}, uses ${modes.join(', ') || 'no tunnel'}`);

    const rendered: Record<string, Files> = {};
    for (const target of targetNames) {
      const files = render(spec, target);
      rendered[target] = files;
      const again = await analyse(specFile);
      const stable = [render(spec, target), render(again.spec!, target)];
      for (const other of stable) {
        const differs = Object.keys({ ...files, ...other }).filter((path) => files[path] !== other[path]);
        if (differs.length)
          fail(`${target} output is not byte-stable: ${differs.join(', ')} changed when rendered again`);
      }
      for (const [path, text] of Object.entries(files)) {
        const problems = target === 'networkd' ? lintNetworkdFile(path, text) : this.stanzaProblems(path, text);
        if (problems.length) fail(`${target} ${path} is not what the target accepts:\n  ${problems.join('\n  ')}`);
      }
    }
    this.verifyMirror(spec, rendered);
    return rendered;
  }

  private stanzaProblems(path: string, text: string): string[] {
    const { stanzas, problems } = parseStanzas(text);
    if (stanzas.length !== 1 || !stanzas[0]!.auto)
      problems.push(`expected one auto iface stanza, found ${stanzas.length}`);
    const name = stanzas[0]?.name;
    return problems.length || !name ? problems : ifupProblems(text, name).map((p) => `${path}: ${p}`);
  }

  private verifyMirror(spec: ValidSpec, rendered: Record<string, Files>): void {
    const prefix = (host: string | undefined) => (host !== undefined && spec.hosts.length ? `${host}/` : '');
    const filesOf = (end: ValidSpec['ends'][number]): EndFiles => {
      const p = prefix(end.host);
      return {
        label: `${end.host ?? 'this machine'}:${end.name}`,
        netdev: rendered['networkd']?.[`${p}10-tungen-${end.name}.netdev`],
        network: rendered['networkd']?.[`${p}10-tungen-${end.name}.network`],
        stanza: rendered['ifupdown']?.[`${p}tungen-${end.name}`],
      };
    };
    const byTunnel = new Map<string, ValidSpec['ends']>();
    for (const end of spec.ends.filter((e) => e.peerHost !== undefined)) {
      const key = end.path.join('/');
      byTunnel.set(key, [...(byTunnel.get(key) ?? []), end]);
    }
    for (const [key, ends] of byTunnel) {
      if (ends.length !== 2) fail(`tunnel ${key} has ${ends.length} ends, expected 2`);
      const [a, b] = ends as [ValidSpec['ends'][number], ValidSpec['ends'][number]];
      if (a.peerHost !== b.host || b.peerHost !== a.host) fail(`ends of ${key} do not name each other as peer hosts`);
      const remote = a.plugin.remote;
      const problems = mirrorProblems(filesOf(a), filesOf(b), remote);
      if (problems.length) fail(`the ends of tunnel ${a.name} do not mirror each other:\n  ${problems.join('\n  ')}`);
    }
  }

  /** Exactly the expected problems, rules included; validate prints them and emit --out writes nothing. */
  private async verifyInvalid(mode: string | undefined, specFile: string, c: InvalidCase): Promise<void> {
    const { problems, data } = await analyse(specFile);
    const modes = modesOf(data);
    if (mode !== undefined && modes.length && !modes.includes(mode))
      fail(`a ${mode} case must use mode ${mode}, uses ${modes.join(', ')}`);
    const actual = problems.map(asExpected);
    if (actual.length !== c.problems.length || !actual.every((p, i) => matches(p, c.problems[i]!))) {
      fail(
        `expected ${c.problems.length} problem(s):\n  ${c.problems.map(problemLine).join('\n  ')}\ngot ${actual.length}:\n  ${actual.map(problemLine).join('\n  ')}`,
      );
    }
    if (!problems.length) fail('expected problems, the spec is valid');

    const code = c.code ?? 1;
    // The CLI names a file inside the working folder relatively, any other absolutely.
    const rel = relative(process.cwd(), specFile);
    const shown = rel && !rel.startsWith('..') ? rel : specFile;
    const withFile = problems.map((p) => formatProblem({ ...p, file: shown }));
    const validated = await validateInProcess(specFile);
    if (validated.code !== code) fail(`validate exited ${validated.code}, expected ${code}`);
    expect(validated.stdout, 'validate prints nothing on stdout for an invalid spec').toBe('');
    expect(validated.stderr.split('\n').filter(Boolean), 'validate prints every problem').toEqual(withFile);

    const emitOut = this.options.emitOut ?? emitOutInProcess;
    for (const target of targetNames) {
      // Under the tester's own folder: a fixture's spec sits in the repository.
      const outDir = join(await this.rootDir(), `out-${++this.cases}-${target}`);
      await mkdir(outDir, { recursive: true });
      const emitted = await emitOut(specFile, target, outDir);
      const written = await listFiles(outDir);
      if (written.length) fail(`emit -t ${target} --out wrote ${written.join(', ')} for an invalid spec`);
      if (emitted.code !== code) fail(`emit -t ${target} --out exited ${emitted.code}, expected ${code}`);
      expect(emitted.stderr, `emit -t ${target} --out reports the problems`).toContain(withFile.join('\n'));
      await rm(outDir, { recursive: true, force: true });
    }
  }

  /** Writes a table case's spec into its own temporary folder, with the plugin under test named in `plugins:`. */
  private async writeSpec(text: string, name = defaultSpecName): Promise<string> {
    const root = await this.rootDir();
    const dir = join(root, `case-${++this.cases}`);
    await mkdir(dir, { recursive: true });
    const file = join(dir, name);
    if (this.options.plugin && !/\.ya?ml$/.test(name))
      fail(`${name}: only a YAML spec can name the plugin under test; use spec.yaml`);
    const plugins = this.options.plugin ? `\nplugins: [${bridgePackage}]\n` : '';
    await writeFile(file, `${text}${plugins}`);
    return file;
  }

  private rootDir(): Promise<string> {
    this.root ??= (async () => {
      const root = await mkdtemp(join(tmpdir(), 'tungen-mode-tester-'));
      const plugin = this.options.plugin;
      if (plugin) {
        // The package hands over the object under test: the real loader imports it by name.
        const registry = ((globalThis as Record<symbol, Map<string, ModePlugin>>)[bridge] ??= new Map());
        registry.set(root, plugin);
        const pkg = join(root, 'node_modules', bridgePackage);
        await mkdir(pkg, { recursive: true });
        await writeFile(
          join(pkg, 'package.json'),
          JSON.stringify({ name: bridgePackage, type: 'module', main: 'index.js' }),
        );
        await writeFile(
          join(pkg, 'index.js'),
          `export default globalThis[Symbol.for('tungen.mode-tester.plugins')].get(${JSON.stringify(root)});\n`,
        );
      }
      return root;
    })();
    return this.root;
  }
}

/** Fixture case folders under DIR/<mode>/<case>/, sorted. */
export function fixtureCases(dir: string): string[] {
  const folders = (path: string) =>
    readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(path, e.name));
  return folders(dir).flatMap(folders).sort();
}
