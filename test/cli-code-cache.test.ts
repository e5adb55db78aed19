/**
 * The command line starts from the V8 code caches the build writes beside dist/cli.cjs and the
 * validators (see bin/tungen.js). A run must accept them, or every start pays for compiling
 * the code again without anyone noticing; and a cache V8 refuses (another source, garbage,
 * other V8 flags or another Node) must only cost time, never the result.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/run-cli.js';

const run = promisify(execFile);
const seed = join(repoRoot, 'examples/seed.yaml');

interface CacheReport {
  code: number;
  caches: Record<string, 'accepted' | 'rejected' | 'none'>;
  /** Node's built-in modules the run loaded. */
  builtins: string[];
  /** Threads the run started (Linux: entries of /proc/self/task). */
  threadsStarted: number;
}

/** Runs `tungen ARGS` in a fresh process through the bin script of `root`; what V8 did with each cache. */
async function cacheReport(root: string, args: string[], nodeOptions: string[] = []): Promise<CacheReport> {
  const script = `const threads = () => require('node:fs').readdirSync('/proc/self/task').length;
    const before = threads();
    require(${JSON.stringify(join(root, 'bin/tungen.js'))}).runWithCacheReport(${JSON.stringify(args)})
    .then((report) => {
      const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
      process.stderr.write('\\n' + JSON.stringify({ ...report, builtins, threadsStarted: threads() - before }) + '\\n');
    })`;
  const { stderr } = await run(process.execPath, [...nodeOptions, '-e', script], { cwd: root });
  const report = JSON.parse(stderr.trim().split('\n').at(-1)!) as CacheReport;
  // Paths relative to the root, so a failure reads the same everywhere.
  const caches = Object.fromEntries(
    Object.entries(report.caches).map(([file, how]) => [file.slice(root.length + 1), how]),
  );
  return { ...report, caches };
}

describe('the code caches of the command line', () => {
  let copy: string;

  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'tungen-code-cache-'));
    for (const part of ['bin', 'dist']) await cp(join(repoRoot, part), join(copy, part), { recursive: true });
  });

  afterAll(async () => {
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('are written by the build for the bundle and every validator, and a validate run accepts them', async () => {
    const validators = await readdir(join(repoRoot, 'dist/validators'));
    expect(validators).toContain('quick-shell.cjs.cache');
    expect(validators).toContain('quick-mode-gre.cjs.cache');
    const { builtins, threadsStarted, ...report } = await cacheReport(repoRoot, ['validate', seed]);
    // commander's child_process (for subcommands that are programs, which tungen has none of)
    // is loaded when used: with what it loads in turn it cost a millisecond of every start.
    expect(builtins).toContain('fs');
    expect(builtins).not.toContain('child_process');
    // Address text is checked without node:net (src/model/ip.ts), about 3 ms of every start.
    expect(builtins).not.toContain('net');
    // Nor node:fs/promises (with readline, directory and watcher code): the CLI build loads it
    // when one of its functions is first called (scripts/build.mjs), and validate calls none.
    expect(builtins).not.toContain('fs/promises');
    // The spec is read with synchronous calls (src/spec/load.ts): no libuv thread pool to start.
    expect(threadsStarted).toBe(0);
    expect(report).toEqual({
      code: 0,
      caches: {
        'dist/cli.cjs': 'accepted',
        'dist/validators/quick-shell.cjs': 'accepted',
        'dist/validators/quick-mode-gre.cjs': 'accepted',
      },
    });
  });

  it('refused by V8 (another file, garbage, other V8 flags) only cost time: the results are the same', async () => {
    // The bundle gets the cache of another file, the shell validator one of random bytes.
    await cp(join(repoRoot, 'dist/validators/quick-mode-gre.cjs.cache'), join(copy, 'dist/cli.cjs.cache'));
    const garbage = Buffer.alloc(17016);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
    await writeFile(join(copy, 'dist/validators/quick-shell.cjs.cache'), garbage);
    const { code, caches } = await cacheReport(copy, ['validate', seed]);
    const refused = { code, caches };
    expect(refused).toEqual({
      code: 0,
      caches: {
        'dist/cli.cjs': 'rejected',
        'dist/validators/quick-shell.cjs': 'rejected',
        'dist/validators/quick-mode-gre.cjs': 'accepted',
      },
    });
    // A V8 flag given to node changes what V8 accepts: the untouched caches are refused too.
    const flagged = await cacheReport(repoRoot, ['validate', seed], ['--stack-size=2000']);
    expect(flagged.caches['dist/validators/quick-mode-gre.cjs']).toBe('rejected');
    expect(flagged.code).toBe(0);

    // The real binary from the copy: same output and exit code as from the repository.
    const args = ['-c', seed, 'emit', '--target', 'networkd'];
    const fromCopy = await run(process.execPath, [join(copy, 'bin/tungen.js'), ...args]);
    const fromRepo = await run(process.execPath, [join(repoRoot, 'bin/tungen.js'), ...args]);
    expect(fromCopy.stdout).toBe(fromRepo.stdout);
    expect(fromCopy.stdout).toContain('Kind=gre');
    const invalid = join(copy, 'invalid.yaml');
    await writeFile(invalid, 'tunnels:\n  - name: tun0\n    mode: gre\n    ttll: 3\n');
    await expect(run(process.execPath, [join(copy, 'bin/tungen.js'), 'validate', invalid])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ttll'),
    });
  });
});
