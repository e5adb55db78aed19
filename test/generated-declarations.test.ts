/**
 * src/generated holds build output that git ignores. The sources must still
 * type-check on a fresh clone before any build: every generated module they
 * import needs a committed declaration file beside it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { listFiles, repoRoot } from './support/run-cli.js';

const tracked = new Set(
  execFileSync('git', ['ls-files', '-z', 'src/generated'], { cwd: repoRoot, encoding: 'utf8' }).split('\0'),
);

/** The declaration TypeScript looks for in place of a module: x.js -> x.d.ts, x.cjs -> x.d.cts. */
const declarationOf = (module: string) => module.replace(/\.(c|m)?js$/, (_all, flavour = '') => `.d.${flavour}ts`);

it('has a committed declaration for every generated module the sources import', async () => {
  const sources = (await listFiles(join(repoRoot, 'src'))).filter(
    (path) => path.endsWith('.ts') && !path.startsWith('generated/'),
  );
  const imported = sources.flatMap((path) => {
    const text = readFileSync(join(repoRoot, 'src', path), 'utf8');
    return [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']*generated\/[^']+)'/g)].map((match) =>
      relative(repoRoot, resolve(join(repoRoot, 'src', path, '..'), match[1]!)),
    );
  });
  expect(imported.length).toBeGreaterThanOrEqual(3);
  expect(imported.map(declarationOf).filter((declaration) => !tracked.has(declaration))).toEqual([]);
});
