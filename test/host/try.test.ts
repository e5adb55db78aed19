import { chmod, chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applySpec } from '../../src/host/apply.js';
import { verify } from '../../src/cli/commands/verify.js';
import { readPendingTry } from '../../src/host/pending-try.js';
import { rollbackPendingTry, trySpec, type TryOptions } from '../../src/host/try.js';
import { FakeHost, failed, fixture, greOnly, ok, recordedLink, specFrom, tempDir, twoTunnels } from './fake-host.js';

let root: string;
let specDir: string;
let host: FakeHost;

beforeEach(async () => {
  root = await tempDir();
  specDir = await tempDir('tungen-spec-');
  host = new FakeHost();
  host.pings.set('192.168.10.2', [ok(await fixture('ping-ok.txt'))]);
  host.pings.set('fd00:1::2', [ok((await fixture('ping-ok.txt')).replaceAll('192.168.10.2', 'fd00:1::2'))]);
});

const files = async () => {
  const out: Record<string, string> = {};
  for (const dir of ['etc/systemd/network', 'etc/network/interfaces.d', 'etc/modules-load.d']) {
    for (const name of await readdir(join(root, dir)).catch(() => [] as string[]))
      out[`${dir}/${name}`] = await readFile(join(root, dir, name), 'utf8');
  }
  return out;
};
const spec = (yaml: string) => specFrom(yaml, specDir);
const options = (extra: Partial<TryOptions> = {}): TryOptions => ({
  target: 'networkd',
  host: 'a',
  verify: { count: 3, timeoutSeconds: 0 },
  confirmBy: 'verify',
  ...extra,
});
const pingsFail = async (peer: string) => host.pings.set(peer, [failed(1, '', await fixture('ping-lost.txt'))]);

describe('try', () => {
  it('keeps the changes when verify passes (confirm by verify)', async () => {
    await applySpec(await spec(greOnly), { target: 'networkd', host: 'a' }, host.context(root));
    const result = await trySpec(await spec(twoTunnels), options(), host.context(root));
    expect(result).toEqual(expect.objectContaining({ kept: true, reason: 'verify passed' }));
    expect(result.rollback).toBeUndefined();
    expect(Object.keys(await files())).toContain('etc/systemd/network/10-tungen-sit1.netdev');
  });

  it('rolls back to the exact previous files and links when verify fails', async () => {
    await applySpec(await spec(greOnly), { target: 'networkd', host: 'a' }, host.context(root));
    const before = await files();
    await pingsFail('fd00:1::2');
    host.calls.length = 0;
    const result = await trySpec(await spec(twoTunnels.replace('key: 42', 'key: 43')), options(), host.context(root));
    expect(result.kept).toBe(false);
    expect(result.reason).toBe('verify failed');
    expect(await files()).toEqual(before);
    expect(result.rollback!.plan.links.map((l) => `${l.action} ${l.name}`).sort()).toEqual([
      'delete sit1',
      'recreate gre1',
    ]);
    expect(host.changing()).toEqual([
      ['modprobe', 'sit'],
      ['networkctl', 'delete', '--', 'gre1'],
      ['networkctl', 'reload'],
      ['ping', '-c', '3', '-W', '1', '-I', 'gre1', '192.168.10.2'],
      ['ping', '-6', '-c', '3', '-W', '1', '-I', 'sit1', 'fd00:1::2'],
      // The link the try added goes before its files; the changed one is rebuilt from the restored files.
      ['networkctl', 'delete', '--', 'sit1'],
      ['networkctl', 'delete', '--', 'gre1'],
      ['networkctl', 'reload'],
    ]);
    expect(host.kernelState()).toEqual({
      gre1: expect.objectContaining({
        kind: 'gre',
        data: expect.objectContaining({ ikey: '0.0.0.42', okey: '0.0.0.42' }),
      }),
    });
  });

  it('re-creates files the try removed', async () => {
    await applySpec(await spec(twoTunnels), { target: 'networkd', host: 'a' }, host.context(root));
    const before = await files();
    await pingsFail('192.168.10.2');
    const result = await trySpec(await spec(greOnly), options(), host.context(root));
    expect(result.kept).toBe(false);
    expect(await files()).toEqual(before);
    expect(result.rollback!.plan.changes.filter((c) => c.action === 'add').map((c) => c.path)).toEqual([
      '/etc/systemd/network/10-tungen-sit1.netdev',
      '/etc/systemd/network/10-tungen-sit1.network',
    ]);
  });

  it('asks after a passing verify, showing what was done, and rolls back when nobody confirms', async () => {
    await applySpec(await spec(greOnly), { target: 'networkd', host: 'a' }, host.context(root));
    const before = await files();
    const asked: string[] = [];
    const confirm = (applied: { plan: { changes: unknown[] } }, verify: { ok: boolean }) => {
      asked.push(`${applied.plan.changes.length} changes, verify ${verify.ok ? 'ok' : 'failed'}`);
      return Promise.resolve(false);
    };
    const result = await trySpec(await spec(twoTunnels), options({ confirmBy: 'prompt', confirm }), host.context(root));
    expect(asked).toEqual(['3 changes, verify ok']);
    expect(result).toEqual(expect.objectContaining({ kept: false, reason: 'the changes were not confirmed in time' }));
    expect(await files()).toEqual(before);
  });

  it('keeps the changes when confirmed', async () => {
    const result = await trySpec(
      await spec(twoTunnels),
      options({ confirmBy: 'prompt', confirm: () => Promise.resolve(true) }),
      host.context(root),
    );
    expect(result.kept).toBe(true);
    expect(result.rollback).toBeUndefined();
  });

  it('does not ask when verify failed', async () => {
    await pingsFail('192.168.10.2');
    let asked = false;
    const result = await trySpec(
      await spec(twoTunnels),
      options({ confirmBy: 'prompt', confirm: () => Promise.resolve((asked = true)) }),
      host.context(root),
    );
    expect(asked).toBe(false);
    expect(result.kept).toBe(false);
    expect(await files()).toEqual({});
  });

  it('with ifupdown, takes the tried interfaces down with their new stanzas and brings the old ones back', async () => {
    await mkdir(join(root, 'etc/network'), { recursive: true });
    await writeFile(join(root, 'etc/network/interfaces'), 'source /etc/network/interfaces.d/*\n');
    await applySpec(await spec(twoTunnels), { target: 'ifupdown', host: 'a' }, host.context(root));
    const before = await files();
    host.links.set('gre1', await recordedLink('gre1'));
    host.links.set('sit1', await recordedLink('sit1'));
    await pingsFail('192.168.10.2');
    host.calls.length = 0;
    const seen: string[] = [];
    host.hooks.push(async (argv) => {
      if (argv[0] === 'ifdown' || argv[0] === 'ifup')
        seen.push(
          `${argv.join(' ')}: ${/ikey (\S+)/.exec((await files())['etc/network/interfaces.d/tungen-gre1'] ?? '')?.[1] ?? 'no stanza'}`,
        );
      return undefined;
    });
    const result = await trySpec(
      await spec(greOnly.replace('key: 42', 'key: 43')),
      options({ target: 'ifupdown' }),
      host.context(root),
    );
    expect(result.kept).toBe(false);
    expect(await files()).toEqual(before);
    expect(seen).toEqual([
      'ifdown -- gre1: 0.0.0.42',
      'ifdown -- sit1: 0.0.0.42',
      'ifup -- gre1: 0.0.0.43',
      'ifdown -- gre1: 0.0.0.43',
      'ifup -- gre1: 0.0.0.42',
      'ifup -- sit1: 0.0.0.42',
    ]);
  });
});

describe('a try that was killed before it decided', () => {
  it('is noticed by apply, try and verify, and try --rollback restores contents, modes, owners and links', async () => {
    await applySpec(await spec(greOnly), { target: 'networkd', host: 'a' }, host.context(root));
    const netdev = join(root, 'etc/systemd/network/10-tungen-gre1.netdev');
    await chmod(netdev, 0o600);
    await chown(netdev, 1234, 1235);
    const before = await files();
    // Killed at the prompt: the confirmation never comes and nothing after it runs.
    let asked!: () => void;
    const atPrompt = new Promise<void>((resolve) => (asked = resolve));
    void trySpec(
      await spec(twoTunnels.replace('key: 42', 'key: 43')),
      options({ confirmBy: 'prompt', confirm: () => (asked(), new Promise<boolean>(() => undefined)) }),
      host.context(root),
    );
    await atPrompt;
    expect(await readFile(netdev, 'utf8')).toMatch(/Key=43/);
    const record = await readPendingTry(host.context(root));
    expect(record).toEqual(expect.objectContaining({ pid: process.pid, target: 'networkd', host: 'a' }));
    expect(record!.files.map((f) => [f.path, f.contents === null ? 'absent' : 'saved'])).toEqual([
      ['/etc/systemd/network/10-tungen-gre1.netdev', 'saved'],
      ['/etc/systemd/network/10-tungen-sit1.netdev', 'absent'],
      ['/etc/systemd/network/10-tungen-sit1.network', 'absent'],
      ['/etc/modules-load.d/tungen.conf', 'saved'],
    ]);
    // verify warns; a second try keeps the first one's saved state.
    const warned: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const out = process.stdout.write.bind(process.stdout);
    process.stderr.write = (chunk: string | Uint8Array) => (warned.push(String(chunk)), true);
    process.stdout.write = () => true;
    try {
      await verify({ host: 'a', count: 1, timeout: 0 }, join(specDir, 'tungen.yaml'), host.context(root));
    } finally {
      process.stderr.write = write;
      process.stdout.write = out;
    }
    expect(warned.join('')).toMatch(
      /^tungen: warning: an unconfirmed try \("tungen try --target networkd", pid \d+, started .*\) is still in force: run "tungen try --rollback"/,
    );
    const rolled = await rollbackPendingTry(host.context(root));
    expect(rolled.rollback.ok).toBe(true);
    expect(await files()).toEqual(before);
    const after = await stat(netdev);
    expect([after.mode & 0o777, after.uid, after.gid]).toEqual([0o600, 1234, 1235]);
    expect(host.kernelState()).toEqual({
      gre1: expect.objectContaining({ data: expect.objectContaining({ ikey: '0.0.0.42' }) }),
    });
    expect(await readPendingTry(host.context(root))).toBeNull();
    await expect(rollbackPendingTry(host.context(root))).rejects.toThrow(
      'there is no unconfirmed try to roll back; nothing was changed',
    );
  });

  it('is replaced by an apply that succeeds, which says so', async () => {
    await applySpec(await spec(greOnly), { target: 'networkd', host: 'a' }, host.context(root));
    let asked!: () => void;
    const atPrompt = new Promise<void>((resolve) => (asked = resolve));
    void trySpec(
      await spec(twoTunnels),
      options({ confirmBy: 'prompt', confirm: () => (asked(), new Promise<boolean>(() => undefined)) }),
      host.context(root),
    );
    await atPrompt;
    const result = await applySpec(await spec(greOnly), { target: 'networkd', host: 'a' }, host.context(root));
    expect(result.ok).toBe(true);
    expect(result.notes.join('\n')).toMatch(/an unconfirmed try .* was in force; this apply replaced it/);
    expect(await readPendingTry(host.context(root))).toBeNull();
  });
});
