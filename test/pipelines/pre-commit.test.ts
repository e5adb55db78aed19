/**
 * The shipped hook under the real pre-commit framework: pre-commit clones this
 * repository at a revision, builds the hook's node environment itself (npm
 * install, npm pack, npm install -g of the tarball) and runs `tungen validate`
 * on the files the user's `files:` selects.
 *
 * The revision is a commit of the working tree as it is now, made with fixed
 * dates, so the same content gives the same commit and pre-commit reuses the
 * environment it built for it (under .cache/pre-commit); changed content
 * builds a new one.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needDebianPackages } from '../support/debian-packages.js';
import { repoRoot } from '../support/run-cli.js';

const run = promisify(execFile);
const cache = join(repoRoot, '.cache/pre-commit');
const hookRepo = join(cache, 'hook-repo');

const skipReason = await needDebianPackages('pre-commit', 'git');

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'tungen test',
  GIT_AUTHOR_EMAIL: 'test@localhost',
  GIT_COMMITTER_NAME: 'tungen test',
  GIT_COMMITTER_EMAIL: 'test@localhost',
  GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, env: gitEnv })).stdout.trim();
}

/** A git repository holding the working tree's files (tracked and new, not ignored), committed; returns the commit. */
async function commitWorkingTree(): Promise<string> {
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = [...new Set(listed.stdout.split('\0').filter(Boolean))].sort();
  await rm(hookRepo, { recursive: true, force: true });
  await mkdir(hookRepo, { recursive: true });
  for (const file of files) {
    if (!existsSync(join(repoRoot, file))) continue; // deleted, not yet committed
    await mkdir(dirname(join(hookRepo, file)), { recursive: true });
    await cp(join(repoRoot, file), join(hookRepo, file));
  }
  await git(hookRepo, 'init', '-q');
  await git(hookRepo, 'add', '-A');
  await git(hookRepo, 'commit', '-q', '-m', 'tungen as it is being tested');
  return git(hookRepo, 'rev-parse', 'HEAD');
}

/** Runs pre-commit without blocking this worker (a first run builds the hook environment, which takes a while). */
function preCommit(cwd: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn('pre-commit', ['run', '--color', 'never', ...args], {
      cwd,
      env: { ...gitEnv, PRE_COMMIT_HOME: join(cache, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe.skipIf(skipReason !== undefined)('pre-commit hook', () => {
  let user: string;
  beforeAll(async () => {
    const rev = await commitWorkingTree();
    user = await mkdtemp(join(tmpdir(), 'tungen-pre-commit-'));
    await git(user, 'init', '-q');
    const seed = await readFile(join(repoRoot, 'examples/seed.yaml'), 'utf8');
    await mkdir(join(user, 'network'));
    await mkdir(join(user, 'other'));
    await writeFile(join(user, 'network/tunnels.yaml'), seed);
    await writeFile(join(user, 'network/bad-address.yaml'), seed.replace('10.9.29.68', '10.9.29.300'));
    await writeFile(join(user, 'network/bad-key.yaml'), seed.replace('mode: gre', 'mode: gre\n    ttll: 64'));
    await writeFile(join(user, 'other/not-a-spec.yaml'), 'anything: [1, 2]\n');
    // The README's example, with this test's clone as the repository.
    await writeFile(
      join(user, '.pre-commit-config.yaml'),
      `repos:
  - repo: ${hookRepo}
    rev: ${rev}
    hooks:
      - id: tungen-validate
        files: ^network/.*\\.ya?ml$
`,
    );
    await git(user, 'add', '-A');
  }, 600_000);
  afterAll(async () => {
    if (user) await rm(user, { recursive: true, force: true });
  });

  it('installs from the repository and checks each selected file', async () => {
    const result = await preCommit(user, '--all-files');
    expect(result.output).not.toMatch(/ENOENT|npm (warn|error|ERR)/i);
    expect(result.code).toBe(1);
    expect(result.output).toContain('tungen validate');
    expect(result.output).toContain('network/bad-address.yaml:6:15: "10.9.29.300" is not an IP address');
    expect(result.output).toMatch(/network\/bad-key\.yaml:\d+:\d+: .*ttll/);
    expect(result.output).not.toContain('tunnels.yaml');
    expect(result.output).not.toContain('not-a-spec');
  }, 600_000);

  it('passes when the selected files are valid', async () => {
    const result = await preCommit(user, '--files', 'network/tunnels.yaml', 'other/not-a-spec.yaml');
    expect(result.output).toMatch(/tungen validate\.+Passed/);
    expect(result.code).toBe(0);
  }, 600_000);
});
