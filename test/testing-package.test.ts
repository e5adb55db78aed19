/**
 * tungen/testing as a plugin package gets it: resolved by name through the
 * package's exports from another project, built into dist, sharing the
 * library's code rather than reaching into the sources.
 */
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Testing from 'tungen/testing';
import { repoRoot } from './support/run-cli.js';

let project: string | undefined;
afterAll(() => project && rm(project, { recursive: true, force: true }));

/** Where `import 'tungen/testing'` leads from a project that has tungen installed. */
async function installedEntry(): Promise<string> {
  project = await mkdtemp(join(tmpdir(), 'tungen-testing-package-'));
  await mkdir(join(project, 'node_modules'));
  await symlink(repoRoot, join(project, 'node_modules/tungen'), 'dir');
  return createRequire(join(project, 'index.js')).resolve('tungen/testing');
}

/**
 * What a bundle file imports: the import and export-from statements esbuild puts first, and the
 * chunks it loads lazily with import("./...").
 */
function importsOf(code: string): string[] {
  const names: string[] = [];
  const statement = /\s*(?:import|export)\b[^;"]*?"([^"]+)";/y;
  // Past the banner that defines require for CommonJS dependencies.
  statement.lastIndex = code.indexOf('\n') + 1;
  for (let m = statement.exec(code); m; m = statement.exec(code)) names.push(m[1]!);
  for (const m of code.matchAll(/\bimport\("(\.\/[^"]+)"\)/g)) names.push(m[1]!);
  return names;
}

describe('tungen/testing as installed', () => {
  it('resolves to the bundle, whose code imports only node, vitest, dependencies and files inside dist', async () => {
    const entry = await installedEntry();
    expect(relative(repoRoot, entry)).toBe(join('dist', 'testing.js'));
    const { dependencies } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const allowed = (name: string) =>
      name.startsWith('node:') || name === 'vitest' || Object.hasOwn(dependencies, name.split('/')[0]!);
    const dist = join(repoRoot, 'dist');
    const outside: string[] = [];
    const seen = new Set<string>();
    const visit = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const name of importsOf(await readFile(file, 'utf8'))) {
        if (!name.startsWith('.')) {
          if (!allowed(name)) outside.push(`${relative(dist, file)}: ${name}`);
          continue;
        }
        const target = resolve(dirname(file), name);
        if (relative(dist, target).startsWith('..')) outside.push(`${relative(dist, file)}: ${name}`);
        else await visit(target);
      }
    };
    await visit(entry);
    expect(outside).toEqual([]);
    expect(seen.size).toBeGreaterThan(1);
  });

  it('tests a mode from there: a valid and an invalid case of gre', async () => {
    const { ModeTester, dedent } = (await import(pathToFileURL(await installedEntry()).href)) as typeof Testing;
    const tester = new ModeTester();
    try {
      const spec = (extra: string) =>
        dedent(`
          tunnels:
            - name: gre1
              mode: gre
              local: 192.0.2.1
              remote: 192.0.2.2
        `) + extra;
      await tester.checkValid('gre', { name: 'plain', spec: spec('') });
      await tester.checkInvalid('gre', {
        name: 'ttl 0',
        spec: spec('    ttl: 0\n'),
        problems: [
          {
            rule: 'schema/range',
            at: '6:10',
            path: 'tunnels[0].ttl',
            message: 'expected a TTL 1-255 or "inherit", got 0',
          },
        ],
      });
    } finally {
      await tester.dispose();
    }
  });
});
