/**
 * The library API: what it exports at run time (so nothing internal leaks in
 * by accident) and the output-folder functions `emit --out` and `emit --check`
 * use, driven the way a library user would.
 */
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import * as tungen from '../src/index.js';
import { emitFiles, driftOf, readSpecFile, validateSpec, writeFiles } from '../src/index.js';
import { repoRoot } from './support/run-cli.js';

/** Every value the package exports; types leave no trace at run time and are checked in the published .d.ts. */
const exported = [
  'HostError',
  'HostSystemError',
  'HostUsageError',
  'LockHeldError',
  'SpecError',
  'SpecMissingError',
  'applyPlan',
  'applySpec',
  'builtinPlugins',
  'checkSpec',
  'coreRules',
  'driftOf',
  'emitFiles',
  'formatApplied',
  'formatPath',
  'formatPlan',
  'formatProblem',
  'formatVerify',
  'headerFor',
  'headerMarker',
  'hostContext',
  'isGenerated',
  'kernelModules',
  'loadSpec',
  'manifest',
  'placeFiles',
  'planSpec',
  'pluginKit',
  'readSpecFile',
  'renderSpec',
  'rollbackPendingTry',
  'searchPlaces',
  'targetNames',
  'targets',
  'trySpec',
  'validateSpec',
  'verifySpec',
  'writeFiles',
];

let dir: string | undefined;
afterAll(() => dir && rm(dir, { recursive: true, force: true }));

describe('library API', () => {
  it('exports exactly the public values', () => {
    expect(Object.keys(tungen).sort()).toEqual([...exported].sort());
  });

  it('exports from the host code only what a caller of apply, verify and try needs, types included', () => {
    const index = join(repoRoot, 'src/index.ts');
    const program = ts.createProgram([index], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
    const fromHost = checker
      .getExportsOfModule(module)
      .filter((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return target.declarations?.some((d) => d.getSourceFile().fileName.includes('/src/host/'));
      })
      .map((symbol) => symbol.name)
      .sort();
    expect(fromHost).toEqual(
      [
        'ApplyPlan',
        'ApplyResult',
        'ApplySpecOptions',
        'CheckResult',
        'CheckStatus',
        'CommandResult',
        'CommandRunner',
        'ConfirmBy',
        'FileOps',
        'FileStat',
        'FilesStatus',
        'HostContext',
        'HostError',
        'HostSystemError',
        'HostUsageError',
        'LockHeldError',
        'Owner',
        'RunOptions',
        'StepResult',
        'TryOptions',
        'TryResult',
        'TunnelReport',
        'VerifyOptions',
        'VerifyReport',
        'applyPlan',
        'applySpec',
        'formatApplied',
        'formatPlan',
        'formatVerify',
        'hostContext',
        'planSpec',
        'rollbackPendingTry',
        'trySpec',
        'verifySpec',
      ].sort(),
    );
  });

  it('writes an output folder and reports its drift as emit --out and --check do', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tungen-library-'));
    const spec = await validateSpec(await readSpecFile(join(repoRoot, 'examples/seed.yaml'), repoRoot));
    const files = emitFiles(spec, 'networkd');
    expect(files.length).toBeGreaterThan(0);
    // Several hosts: each in its own folder, as emit --out lays them out.
    expect(files.every((f) => f.path === `${f.host}/${f.name}`)).toBe(true);

    expect(await writeFiles(dir, files)).toEqual({ written: files.map((f) => f.path).sort(), removed: [] });
    expect(await driftOf(dir, files)).toEqual({ missing: [], changed: [], stale: [] });

    const [first, second] = files;
    await writeFile(join(dir, first!.path), `${await readFile(join(dir, first!.path), 'utf8')}# edited\n`);
    await unlink(join(dir, second!.path));
    const stale = `${first!.host}/10-tungen-gone.netdev`;
    await writeFile(join(dir, stale), first!.contents);
    expect(await driftOf(dir, files)).toEqual({ missing: [second!.path], changed: [first!.path], stale: [stale] });

    expect(await writeFiles(dir, files)).toEqual({ written: [first!.path, second!.path].sort(), removed: [stale] });
    expect(await driftOf(dir, files)).toEqual({ missing: [], changed: [], stale: [] });
    expect(emitFiles(spec, 'networkd', { host: first!.host }).every((f) => f.path === f.name)).toBe(true);
  });
});
