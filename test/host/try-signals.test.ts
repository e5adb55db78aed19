import { spawn } from 'node:child_process';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { greOnly, tempDir } from './fake-host.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fakeCommand = fileURLToPath(new URL('support/fake-command.mjs', import.meta.url));
/** A root folder, fake commands first on PATH, and the real CLI run as a child process against them. */
async function setup() {
  const root = await tempDir();
  const bin = await tempDir('tungen-bin-');
  for (const name of ['ip', 'networkctl', 'modprobe', 'ping'])
    await writeFile(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${fakeCommand}" ${name} "$@"\n`, {
      mode: 0o755,
    });
  const specFile = join(await tempDir('tungen-spec-'), 'spec.yaml');
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env['PATH']}`,
    FAKE_ROOT: root,
    FAKE_STATE: join(root, 'fake-kernel.json'),
  };
  const tungen = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const child = spawn(
      process.execPath,
      [join(repo, 'bin/tungen.js'), '-c', specFile, ...args, '--host', 'a', '--root', root],
      { env: { ...env, ...extra }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, output: () => output, done };
  };
  const key = async (): Promise<string | undefined> =>
    (
      JSON.parse(await readFile(join(root, 'fake-kernel.json'), 'utf8')) as {
        links: Record<string, { data: { ikey?: string } }>;
      }
    ).links['gre1']?.data.ikey;
  return { root, specFile, tungen, key, netdev: join(root, 'etc/systemd/network/10-tungen-gre1.netdev') };
}

async function until(condition: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 1200; i++) {
    if (await condition().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.concurrent('try under signals (the real CLI as a child process)', () => {
  it.each([
    ['SIGTERM', 'verify', 'while verify still retries'],
    ['SIGINT', 'prompt', 'at the prompt'],
    ['SIGHUP', 'prompt', 'at the prompt'],
  ] as const)(
    '%s before confirmation (%s: %s) rolls back, then exits 1',
    async (signal, confirmBy, _when) => {
      const { root, specFile, tungen, key, netdev: file } = await setup();
      const netdev = () => file;
      await writeFile(specFile, greOnly);
      const applied = tungen(['apply', '--target', 'networkd']);
      const appliedCode = await applied.done;
      if (appliedCode !== 0) console.log(applied.output());
      expect(appliedCode).toBe(0);
      await chmod(netdev(), 0o600);
      const before = await readFile(netdev(), 'utf8');
      await writeFile(specFile, greOnly.replace('key: 42', 'key: 43'));
      const tried = tungen(['try', '--target', 'networkd', '--confirm-by', confirmBy, '--timeout', '60'], {
        FAKE_PING: confirmBy === 'prompt' ? 'ok' : 'fail',
      });
      if (confirmBy === 'prompt')
        await until(() => Promise.resolve(tried.output().includes('Press Enter')), 'the prompt');
      else await until(async () => (await key()) === '0.0.0.43', 'the tried key in the kernel');
      tried.child.kill(signal);
      expect(await tried.done).toBe(1);
      expect(tried.output()).toContain(`tungen: ${signal} received: rolling back the try, then exiting`);
      expect(tried.output()).toContain(`Rolled back: ${signal} received before the changes were confirmed.`);
      expect(await key()).toBe('0.0.0.42');
      expect(await readFile(netdev(), 'utf8')).toBe(before);
      expect((await stat(netdev())).mode & 0o777).toBe(0o600);
      await expect(stat(join(root, 'var/lib/tungen/pending-try.json'))).rejects.toThrow(/ENOENT/);
      // The lock went with the process, and the host is as the old spec says.
      await writeFile(specFile, greOnly);
      const again = tungen(['apply', '--target', 'networkd']);
      expect(await again.done).toBe(0);
    },
    60_000,
  );
});
