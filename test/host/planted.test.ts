import { spawnSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { apply as applyCommand } from '../../src/cli/commands/apply.js';
import { applySpec } from '../../src/host/apply.js';
import { nodeFileOps, tempPath, type FileOps } from '../../src/host/file-ops.js';
import { HostError } from '../../src/host/errors.js';
import { runInProcess } from '../support/run-cli.js';
import { FakeHost, specFrom, tempDir, twoTunnels } from './fake-host.js';

const networkDir = 'etc/systemd/network';
let root: string;
let host: FakeHost;
let specDir: string;

beforeEach(async () => {
  root = await tempDir();
  specDir = await tempDir('tungen-spec-');
  host = new FakeHost();
});

const apply = async (context = host.context(root)) =>
  applySpec(await specFrom(twoTunnels, specDir), { target: 'networkd', host: 'a' }, context);
const target = (name = '10-tungen-gre1.netdev') => join(root, networkDir, name);
const names = async (dir: string) => (await readdir(join(root, dir)).catch(() => [] as string[])).sort();

describe('something planted at a target path', () => {
  const plants: Array<[string, string, (path: string, outside: string) => Promise<void>]> = [
    ['a dangling symbolic link', 'a symbolic link', (path) => symlink('/nonexistent/tungen-target', path)],
    ['a symbolic link to a file elsewhere', 'a symbolic link', (path, outside) => symlink(outside, path)],
    ['a directory', 'a directory', (path) => mkdir(path)],
    [
      'a named pipe',
      'a device, socket or pipe',
      (path) => {
        expect(spawnSync('mkfifo', [path]).status).toBe(0);
        return Promise.resolve();
      },
    ],
  ];
  it.each(plants)('%s is refused in one line naming it, and nothing is changed', async (_, what, plant) => {
    const outside = join(await tempDir('tungen-outside-'), 'victim');
    await writeFile(outside, 'precious\n');
    await mkdir(join(root, networkDir), { recursive: true });
    await plant(target(), outside);
    const attempt = apply();
    await expect(attempt).rejects.toThrow(HostError);
    const message = ((await attempt.catch((error: unknown) => error)) as Error).message;
    expect(message).toBe(
      `${target()} is ${what}, not a file tungen generated; tungen only replaces its own regular files and changed nothing: move it away, then apply again`,
    );
    expect(await names(networkDir)).toEqual(['10-tungen-gre1.netdev']);
    expect(await readFile(outside, 'utf8')).toBe('precious\n');
    expect(host.changing()).toEqual([]);
  });

  it('a link planted after the plan, before the files are swapped in, is refused and nothing is changed', async () => {
    await apply();
    // Planted while the new files are staged, i.e. after the plan looked at the target.
    const files: FileOps = {
      ...nodeFileOps,
      async writeNew(path, contents, mode, owner) {
        if (path.includes('.10-tungen-gre1.netdev.')) {
          await nodeFileOps.unlink(target());
          await symlink('/nonexistent/tungen-target', target());
        }
        return nodeFileOps.writeNew(path, contents, mode, owner);
      },
    };
    const result = await applySpec(
      await specFrom(twoTunnels.replace('key: 42', 'key: 43'), specDir),
      { target: 'networkd', host: 'a' },
      host.context(root, { files }),
    );
    expect(result).toEqual(expect.objectContaining({ ok: false, failedAt: 'writing the files', files: 'not written' }));
    expect(result.error).toMatch(/10-tungen-gre1\.netdev is a symbolic link, which tungen does not follow/);
    expect((await lstat(target())).isSymbolicLink()).toBe(true);
  });
});

describe('temporary files', () => {
  it('have random names and are created exclusively, never through a link', async () => {
    const path = target();
    expect(tempPath(path)).not.toBe(tempPath(path));
    expect(tempPath(path)).toMatch(/\/\.10-tungen-gre1\.netdev\.tungen-[0-9a-f]{16}\.tmp$/);
    const outside = join(await tempDir('tungen-outside-'), 'victim');
    await writeFile(outside, 'precious\n');
    await mkdir(join(root, networkDir), { recursive: true });
    const planted = tempPath(path);
    await symlink(outside, planted);
    await expect(nodeFileOps.writeNew(planted, 'tungen\n', 0o644)).rejects.toThrow(/EEXIST/);
    expect(await readFile(outside, 'utf8')).toBe('precious\n');
  });

  it('left by an interrupted run are removed by the next one in every folder tungen writes in (regular files only)', async () => {
    await apply();
    const outside = join(await tempDir('tungen-outside-'), 'victim');
    await writeFile(outside, 'precious\n');
    const leftovers = [
      tempPath(target()),
      tempPath(join(root, 'etc/modules-load.d/tungen.conf')),
      join(root, 'run/tungen.lock.4242.tmp'),
      tempPath(join(root, 'var/lib/tungen/pending-try.json')),
    ];
    for (const path of leftovers) {
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, '');
    }
    const link = tempPath(target());
    await symlink(outside, link);
    const result = await apply();
    expect(result.notes[0]).toMatch(/^removed 4 temporary file\(s\) an interrupted run left: /);
    for (const path of leftovers) await expect(lstat(path)).rejects.toThrow(/ENOENT/);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(outside, 'utf8')).toBe('precious\n');
  });

  it('of a full disk while staging are removed at once', async () => {
    await apply();
    const files: FileOps = {
      ...nodeFileOps,
      async writeNew(path, contents, mode) {
        await nodeFileOps.writeNew(path, '', mode);
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
      },
    };
    const result = await applySpec(
      await specFrom(twoTunnels.replace('key: 42', 'key: 43'), specDir),
      { target: 'networkd', host: 'a' },
      host.context(root, { files }),
    );
    expect(result.files).toBe('not written');
    expect(result.error).toMatch(
      /^staging the new files failed: no space left on the device of .*; nothing was changed; free some space and run again$/,
    );
    expect((await names(networkDir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('a replaced file', () => {
  it('keeps the mode and owner of the file it replaces', async () => {
    await apply();
    await chmod(target(), 0o600);
    await chown(target(), 1234, 1235);
    await applySpec(
      await specFrom(twoTunnels.replace('key: 42', 'key: 43'), specDir),
      { target: 'networkd', host: 'a' },
      host.context(root),
    );
    const after = await stat(target());
    expect([after.mode & 0o777, after.uid, after.gid]).toEqual([0o600, 1234, 1235]);
    expect(await readFile(target(), 'utf8')).toMatch(/Key=43/);
  });
});

describe('conditions of the system are one line, exit 2, no stack trace', () => {
  const failing = (call: keyof FileOps, code: string): FileOps => ({
    ...nodeFileOps,
    [call]: () => Promise.reject(Object.assign(new Error(`${code}: injected`), { code })),
  });
  it.each([
    [
      'writeNew',
      'EACCES',
      /^staging the new files failed: permission denied on .*\/etc\/systemd\/network\/\.10-tungen-gre1\.netdev\.tungen-[0-9a-f]+\.tmp; nothing was changed; tungen needs root to change .*\/etc\/systemd\/network: run it as root, or give --root DIR$/,
    ],
    [
      'writeNew',
      'EROFS',
      /^staging the new files failed: .* is on a read-only file system; nothing was changed; remount it read-write, or give --root DIR$/,
    ],
    [
      'writeNew',
      'ENOSPC',
      /^staging the new files failed: no space left on the device of .*; nothing was changed; free some space and run again$/,
    ],
    [
      'rename',
      'EISDIR',
      /^replacing the files failed: .*10-tungen-gre1\.netdev is a directory; nothing was changed; move it away and run again$/,
    ],
    [
      'syncDir',
      'EIO',
      /^syncing the folder failed: I\/O error on .*; the new files are in place but may not be on disk; check the disk \(dmesg\) and run again$/,
    ],
    [
      'lstat',
      'EACCES',
      /^reading .* failed: permission denied on .*; nothing was changed; tungen needs root to change .*: run it as root, or give --root DIR$/,
    ],
  ] as const)('%s failing with %s', async (call, code, message) => {
    const specFile = join(specDir, 'spec.yaml');
    await writeFile(specFile, twoTunnels);
    // Through the CLI's own error mapping, as the binary ends.
    const run = await runInProcess(() =>
      applyCommand(
        { target: 'networkd', host: 'a', root },
        specFile,
        host.context(root, { files: failing(call, code) }),
      ),
    );
    const line = run.stderr.trim().replace(/^tungen: /, '');
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
    expect(line).not.toMatch(/\bat .*\.[jt]s:\d+/);
    expect(run.code).toBe(2);
  });
});
