import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applySpec } from '../../src/host/apply.js';
import { sourcesFolder } from '../../src/host/interfaces-source.js';
import { FakeHost, greOnly, specFrom, tempDir, twoTunnels } from './fake-host.js';

const stanzas = 'etc/network/interfaces.d';
let root: string;
let specDir: string;
let host: FakeHost;

beforeEach(async () => {
  root = await tempDir();
  specDir = await tempDir('tungen-spec-');
  host = new FakeHost();
  await mkdir(join(root, 'etc/network'), { recursive: true });
  await writeFile(
    join(root, 'etc/network/interfaces'),
    '# interfaces(5) file used by ifup(8) and ifdown(8)\n# Include files from /etc/network/interfaces.d:\nsource /etc/network/interfaces.d/*\n',
  );
});

const apply = async (yaml: string) =>
  applySpec(await specFrom(yaml, specDir), { target: 'ifupdown', host: 'a' }, host.context(root));
const stanza = (name: string) => readFile(join(root, stanzas, `tungen-${name}`), 'utf8').catch(() => null);

describe('apply with ifupdown', () => {
  it('writes one stanza per tunnel and brings each up', async () => {
    const result = await apply(twoTunnels);
    expect(result.ok).toBe(true);
    expect((await readdir(join(root, stanzas))).sort()).toEqual(['tungen-gre1', 'tungen-sit1']);
    expect(host.changing()).toEqual([
      ['modprobe', 'ip_gre'],
      ['modprobe', 'sit'],
      ['ifup', '--', 'gre1'],
      ['ifup', '--', 'sit1'],
    ]);
  });

  it('takes down a changed interface with its old stanza and brings it up with the new one, leaving the others alone', async () => {
    await apply(twoTunnels);
    host.calls.length = 0;
    const seenByIfdown: Array<string | null> = [];
    host.hooks.push(async (argv) => {
      if (argv[0] === 'ifdown') seenByIfdown.push(await stanza(argv.at(-1)!));
      return undefined;
    });
    await apply(twoTunnels.replace('key: 42', 'key: 43'));
    expect(host.changing()).toEqual([
      ['ifdown', '--', 'gre1'],
      ['ifup', '--', 'gre1'],
    ]);
    expect(seenByIfdown[0]).toMatch(/ikey 0\.0\.0\.42/);
    expect(await stanza('gre1')).toMatch(/ikey 0\.0\.0\.43/);
  });

  it('takes down a removed interface while its stanza still exists, then removes the stanza', async () => {
    await apply(twoTunnels);
    host.calls.length = 0;
    let stanzaAtIfdown: string | null = null;
    host.hooks.push(async (argv) => {
      if (argv[0] === 'ifdown') stanzaAtIfdown = await stanza(argv.at(-1)!);
      return undefined;
    });
    await apply(greOnly);
    expect(host.changing()).toEqual([['ifdown', '--', 'sit1']]);
    expect(stanzaAtIfdown).toMatch(/^iface sit1 /m);
    expect(await stanza('sit1')).toBeNull();
  });

  it('stops before the files when ifdown fails, and the next apply finishes the job', async () => {
    await apply(twoTunnels);
    let fail = true;
    host.hooks.push((argv) =>
      argv[0] === 'ifdown' && fail ? { code: 1, stdout: '', stderr: 'ifdown: failed to bring down gre1\n' } : undefined,
    );
    const changed = twoTunnels.replace('key: 42', 'key: 43');
    const result = await apply(changed);
    expect(result).toEqual(expect.objectContaining({ ok: false, files: 'not written', failedAt: 'ifdown -- gre1' }));
    expect(await stanza('gre1')).toMatch(/ikey 0\.0\.0\.42/);
    fail = false;
    expect((await apply(changed)).ok).toBe(true);
    expect(host.kernelState()['gre1']).toEqual(
      expect.objectContaining({ data: expect.objectContaining({ ikey: '0.0.0.43' }), up: true, ifupdown: true }),
    );
  });

  it('restarts an interface ifupdown has up but whose link someone changed, though no file changed', async () => {
    await apply(twoTunnels);
    host.links.get('gre1')!.model!.data['ikey'] = '0.0.0.7';
    host.calls.length = 0;
    const result = await apply(twoTunnels);
    expect(result.plan.drift.map((d) => d.detail)).toEqual(['ikey: expected 0.0.0.42, found 0.0.0.7']);
    expect(host.changing()).toEqual([
      ['ifdown', '--', 'gre1'],
      ['ifup', '--', 'gre1'],
    ]);
    expect(host.kernelState()['gre1']).toEqual(
      expect.objectContaining({ data: expect.objectContaining({ ikey: '0.0.0.42' }) }),
    );
  });

  it('deletes a link a failed ifup left behind (ifupdown does not count it as up), then brings it up', async () => {
    await apply(greOnly);
    host.ifstate.delete('gre1');
    host.calls.length = 0;
    const result = await apply(greOnly);
    expect(result.ok).toBe(true);
    expect(host.changing()).toEqual([
      ['ip', 'link', 'delete', 'dev', 'gre1'],
      ['ifup', '--', 'gre1'],
    ]);
  });

  it('refuses when /etc/network/interfaces does not source interfaces.d, and says how to fix it', async () => {
    await writeFile(join(root, 'etc/network/interfaces'), 'auto lo\niface lo inet loopback\n');
    await expect(apply(twoTunnels)).rejects.toThrow(
      /has no "source" or "source-directory" line covering \/etc\/network\/interfaces\.d.*add the line "source \/etc\/network\/interfaces\.d\/\*"/,
    );
    await expect(readdir(join(root, stanzas))).rejects.toThrow();
    expect(host.changing()).toEqual([]);
  });
});

describe('sourcesFolder', () => {
  const dir = '/etc/network/interfaces.d';
  it.each([
    ['source /etc/network/interfaces.d/*', true],
    ['source-directory /etc/network/interfaces.d', true],
    ['source-directory /etc/network/interfaces.d/', true],
    ['source interfaces.d/*', true],
    ['source /etc/network/interfaces.d/tungen-*', true],
    ['  source   /etc/network/interfaces.d/*  ', true],
    ['source /etc/network/interfaces.d/*.cfg', false],
    ['# source /etc/network/interfaces.d/*', false],
    ['source /etc/network/other.d/*', false],
    ['iface lo inet loopback', false],
  ])('%s -> %s', (line, expected) => {
    expect(sourcesFolder(`auto lo\n${line}\n`, dir, 'tungen-gre1')).toBe(expected);
  });
});
