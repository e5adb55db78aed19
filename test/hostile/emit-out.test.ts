/**
 * emit --out is all or nothing: a folder that cannot take the files is refused
 * before anything is written, in one line with exit 2, and files of hosts and
 * tunnels that left the spec are removed (and reported by --check).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFiles, type PlacedFile } from 'tungen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, repoRoot, tungen } from '../support/run-cli.js';

const seed = join(repoRoot, 'examples/seed.yaml');
let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'tungen-emit-out-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

const emitTo = (out: string, spec = seed, ...more: string[]) =>
  tungen(['-c', spec, 'emit', '-t', 'networkd', '--out', out, ...more], { cwd: dir });

describe('emit --out refuses a folder that cannot take the files, writing nothing', () => {
  const refused: Array<[what: string, prepare: () => Promise<string>, stderr: (out: string) => string]> = [
    [
      'an empty --out',
      () => Promise.resolve(''),
      () => 'tungen: --out needs a folder; give --out . for the current one\n',
    ],
    [
      'a file',
      async () => {
        await writeFile(join(dir, 'a-file'), 'x');
        return 'a-file';
      },
      (out) => `tungen: --out ${out}: not a folder\n`,
    ],
    [
      'a dangling symbolic link',
      async () => {
        await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
        return 'dangling';
      },
      (out) => `tungen: --out ${out}: ${join(dir, 'dangling')} is a symbolic link to nothing\n`,
    ],
    [
      '/dev/null',
      () => Promise.resolve('/dev/null'),
      () =>
        'tungen: --out /dev/null: /dev/null is on a special file system (/proc, /sys, /dev); choose a folder for files\n',
    ],
    [
      'a folder in /proc',
      () => Promise.resolve('/proc/x'),
      () => 'tungen: --out /proc/x: /proc is on a special file system (/proc, /sys, /dev); choose a folder for files\n',
    ],
    [
      'a folder in /sys',
      () => Promise.resolve('/sys/x'),
      () => 'tungen: --out /sys/x: /sys is on a special file system (/proc, /sys, /dev); choose a folder for files\n',
    ],
    [
      "a host's folder that is a file",
      async () => {
        await mkdir(join(dir, 'host-file'));
        await writeFile(join(dir, 'host-file/host-b'), 'x');
        return 'host-file';
      },
      (out) => `tungen: nothing was written to ${out}: ${out}/host-b cannot be a folder: a file is in the way\n`,
    ],
    [
      'a target path that is a folder',
      async () => {
        await mkdir(join(dir, 'target-dir/host-b/10-tungen-tun0.netdev'), { recursive: true });
        return 'target-dir';
      },
      (out) => `tungen: nothing was written to ${out}: host-b/10-tungen-tun0.netdev is a folder\n`,
    ],
  ];

  it.each(refused)('%s', async (_what, prepare, stderr) => {
    const out = await prepare();
    const before = await listFiles(join(dir, out || 'none'));
    const run = await emitTo(out);
    expect(run).toEqual({ code: 2, stdout: '', stderr: stderr(out) });
    expect(await listFiles(join(dir, out || 'none'))).toEqual(before);
    // No half-made host folder either.
    expect(await listFiles(dir).then((all) => all.filter((f) => f.includes('host-a')))).toEqual([]);
  });
});

describe('emit --out removes what left the spec, and --check reports it', () => {
  it('a host removed from the spec', async () => {
    const out = join(dir, 'fleet');
    expect((await emitTo(out)).code).toBe(0);
    const renamed = join(dir, 'renamed.yaml');
    await writeFile(renamed, (await readFile(seed, 'utf8')).replaceAll('host-b', 'host-c'));
    const check = await emitTo(out, renamed, '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('stale    host-b/10-tungen-tun0.netdev\nstale    host-b/10-tungen-tun0.network\n');
    expect((await emitTo(out, renamed)).code).toBe(0);
    expect(await listFiles(out)).toEqual([
      'host-a/10-tungen-tun0.netdev',
      'host-a/10-tungen-tun0.network',
      'host-c/10-tungen-tun0.netdev',
      'host-c/10-tungen-tun0.network',
    ]);
  });

  it('a spec with no tunnels left', async () => {
    const out = join(dir, 'emptied');
    expect((await emitTo(out)).code).toBe(0);
    const none = join(dir, 'none.yaml');
    await writeFile(none, 'hosts:\n  host-a: {underlay: 10.9.29.68}\ntunnels: []\n');
    const check = await emitTo(out, none, '--check');
    expect(check.code).toBe(1);
    expect(check.stdout.split('\n').filter(Boolean)).toHaveLength(4);
    expect((await emitTo(out, none)).code).toBe(0);
    expect(await listFiles(out)).toEqual([]);
  });

  it('files not written by tungen stay', async () => {
    const out = join(dir, 'mixed');
    await mkdir(join(out, 'other-host'), { recursive: true });
    await writeFile(join(out, 'other-host/mine.conf'), 'not generated\n');
    expect((await emitTo(out)).code).toBe(0);
    expect(await listFiles(out)).toContain('other-host/mine.conf');
  });
});

describe('emit --out to a folder that does not exist yet', () => {
  const file = (path: string): PlacedFile => ({
    path,
    host: undefined,
    tunnel: 'tun0',
    target: 'networkd',
    name: path,
    contents: `${path}\n`,
  });

  it('makes the folder and its parents with every file, and nothing beside it', async () => {
    const parent = join(dir, 'new-parent');
    const out = join(parent, 'deeper/out');
    expect(await writeFiles(out, [file('b'), file('host-a/x'), file('a')], true)).toEqual({
      written: ['a', 'b', 'host-a/x'],
      removed: [],
    });
    expect(await listFiles(parent)).toEqual(['deeper/out/a', 'deeper/out/b', 'deeper/out/host-a/x']);
    expect(await readFile(join(out, 'host-a/x'), 'utf8')).toBe('host-a/x\n');
  });

  it.each([
    ['a file where a folder must go', ['x', 'x/y']],
    ['a folder where a file must go', ['x/y', 'x']],
  ])('%s: nothing is written, no parent it made and no temporary folder stay', async (_what, paths) => {
    const parent = join(dir, `clash-${paths[0]!.length}`);
    await expect(writeFiles(join(parent, 'made/out'), paths.map(file), true)).rejects.toThrow(
      /^nothing was written to .*made\/out: E(EXIST|ISDIR|NOTDIR) on /,
    );
    expect(await readdir(dir)).not.toContain(`clash-${paths[0]!.length}`);
    await mkdir(parent);
    await expect(writeFiles(join(parent, 'out'), paths.map(file), true)).rejects.toThrow(/^nothing was written/);
    expect(await readdir(parent)).toEqual([]);
  });
});
