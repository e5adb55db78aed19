/**
 * The package as users get it: `npm pack` of a copy of the working tree (so
 * the build it runs does not rewrite the dist/ other tests are running),
 * what the tarball holds, and an install of it into an empty folder, from
 * which tungen runs.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-cli.js';

const run = promisify(execFile);
const npmEnv = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

let base: string;
let tarball: string;
let packStdout: string;
let unpacked: string;
let manifest: {
  name: string;
  version: string;
  scripts?: object;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'tungen-package-'));
  const source = join(base, 'source');
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of new Set(listed.stdout.split('\0').filter(Boolean))) {
    if (!existsSync(join(repoRoot, file))) continue;
    await mkdir(dirname(join(source, file)), { recursive: true });
    await cp(join(repoRoot, file), join(source, file));
  }
  await symlink(join(repoRoot, 'node_modules'), join(source, 'node_modules'));
  // Exactly what pre-commit runs: it reads the tarball's name from stdout.
  const packed = await run('npm', ['pack'], { cwd: source, env: npmEnv, maxBuffer: 16 * 1024 * 1024 });
  packStdout = packed.stdout;
  const pkg = JSON.parse(await readFile(join(source, 'package.json'), 'utf8')) as { name: string; version: string };
  tarball = join(source, `${pkg.name}-${pkg.version}.tgz`);
  unpacked = join(base, 'unpacked');
  await mkdir(unpacked);
  await run('tar', ['xzf', tarball, '-C', unpacked]);
  manifest = JSON.parse(await readFile(join(unpacked, 'package/package.json'), 'utf8')) as typeof manifest;
}, 300_000);

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<Array<{ path: string; size: number }>> {
  const out: Array<{ path: string; size: number }> = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const full = join(entry.parentPath, entry.name);
    out.push({ path: full.slice(dir.length + 1), size: (await readFile(full)).length });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

describe('the packed tarball', () => {
  it('npm pack prints the tarball name and nothing else', () => {
    expect(packStdout).toBe(`tungen-${manifest.version}.tgz\n`);
  });

  it('holds what runs, a licence and the notices of what is bundled; no compiler, sources or tests', async () => {
    const files = await filesUnder(join(unpacked, 'package'));
    const paths = files.map((f) => f.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('dist/THIRD-PARTY-NOTICES.md');
    expect(paths).toContain('dist/cli.cjs');
    // The command line starts from V8's code cache (see bin/tungen.js): written by the build, packed.
    expect(paths).toContain('dist/cli.cjs.cache');
    expect(paths).toContain('schema/tungen.schema.json');
    for (const path of paths)
      expect(path).toMatch(/^(bin|dist|schema|examples)\/|^(LICENSE|README\.md|package\.json)$/);
    const unpackedBytes = files.reduce((sum, f) => sum + f.size, 0);
    // The TypeScript compiler alone was one 6.5 MB chunk (8 MB unpacked in all). About 1.2 MB
    // are V8 code caches of the command line (compiled code, bigger than its source).
    expect(unpackedBytes).toBeLessThan(5 * 1024 * 1024);
    for (const file of files)
      expect({ path: file.path, big: file.size > 1024 * 1024 }).toEqual({ path: file.path, big: false });
    const code = await Promise.all(
      paths.filter((p) => /\.c?js$/.test(p)).map((p) => readFile(join(unpacked, 'package', p), 'utf8')),
    );
    expect(code.join('\n')).not.toContain('function createSourceFile(');
    const notices = await readFile(join(unpacked, 'package/dist/THIRD-PARTY-NOTICES.md'), 'utf8');
    for (const bundled of ['ajv', 'commander', 'js-yaml', 'yaml']) expect(notices).toContain(`## ${bundled} `);
    expect(await readFile(join(unpacked, 'package/LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('declares as dependencies exactly the packages its code loads at run time, and no scripts', async () => {
    expect(manifest.scripts).toBeUndefined();
    const files = (await filesUnder(join(unpacked, 'package/dist'))).filter((f) => /\.c?js$/.test(f.path));
    const loaded = new Set<string>();
    for (const { path } of files) {
      // ajv's runtime helpers carry, as text, the require() that standalone code would use: not a load.
      const text = (await readFile(join(unpacked, 'package/dist', path), 'utf8')).replace(
        /\.code\s*=\s*'require\("[^"]*"\)[^']*'|`require\("[^"]*"\)[^`]*`/g,
        '',
      );
      // Module names in import statements, import() and require() calls, and createRequire(...)('name').
      const loads =
        /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bcreateRequire\)?\s*\([^()]*\)\s*\(\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:\/[\w./-]*)?["']/g;
      for (const [, name] of text.matchAll(loads)) {
        if (!builtinModules.includes(name!)) loaded.add(name!);
      }
    }
    // vitest is loaded only by tungen/testing, which runs inside the plugin author's vitest: a peer.
    const declared = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
    expect([...loaded].sort()).toEqual(declared.sort());
  });

  it('installs into an empty folder without a warning, and runs from there', async () => {
    const app = join(base, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), '{"name": "app", "private": true}\n');
    const install = await run('npm', ['install', tarball], { cwd: app, env: npmEnv });
    expect(install.stderr).not.toMatch(/warn|error/i);
    const bin = join(app, 'node_modules/.bin/tungen');
    const version = await run(bin, ['--version'], { cwd: app });
    expect(version.stdout.trim()).toBe(manifest.version);
    await cp(join(repoRoot, 'examples/seed.yaml'), join(app, 'tunnels.yaml'));
    const valid = await run(bin, ['validate', 'tunnels.yaml'], { cwd: app });
    expect(valid.stdout).toBe('tunnels.yaml: valid (1 tunnel)\n');
    for (const target of ['networkd', 'ifupdown']) {
      const emitted = await run(bin, ['-c', 'tunnels.yaml', 'emit', '-t', target, '--out', `out-${target}`], {
        cwd: app,
      });
      expect(emitted.stderr).toBe('');
    }
    expect((await filesUnder(join(app, 'out-networkd'))).map((f) => f.path)).toEqual([
      'host-a/10-tungen-tun0.netdev',
      'host-a/10-tungen-tun0.network',
      'host-b/10-tungen-tun0.netdev',
      'host-b/10-tungen-tun0.network',
    ]);
    expect((await filesUnder(join(app, 'out-ifupdown'))).map((f) => f.path)).toEqual([
      'host-a/tungen-tun0',
      'host-b/tungen-tun0',
    ]);
  }, 120_000);
});
