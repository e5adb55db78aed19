/**
 * The command line writes its output to file descriptors 1 and 2 itself (src/cli/io.ts), not
 * through process.stdout: what a stream did for it has to hold here too. A reader that stops
 * early ends the output quietly; a descriptor that would block (made non-blocking by whoever
 * shares it) loses nothing and keeps the order.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigSpec } from './support/big-spec.js';
import { binPath, runIntoClosedPipe } from './support/run-cli.js';

const run = promisify(execFile);

describe('output of the command line', () => {
  let dir: string;
  let spec: string;
  let expected: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tungen-output-'));
    spec = join(dir, 'tunnels.yaml');
    await writeFile(spec, bigSpec(1000));
    expected = (await run(process.execPath, [binPath, '-c', spec, 'emit', '-t', 'networkd'], { maxBuffer: 1 << 26 }))
      .stdout;
    expect(expected.length).toBeGreaterThan(1 << 18);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ends quietly, exit 0, when the reader closes the pipe early (tungen emit | head)', async () => {
    expect(await runIntoClosedPipe(process.execPath, [binPath, '-c', spec, 'emit', '-t', 'networkd'])).toEqual({
      code: 0,
      stderr: '',
    });
  });

  it('writes everything, in order, to a non-blocking stdout that fills up', async () => {
    // python3 gives tungen a pipe it made non-blocking (Node has no fcntl), and reads it only
    // after a pause, so the pipe's 64 KiB fill and the writes meet EAGAIN.
    const slowReader = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
      'child = subprocess.Popen(sys.argv[1:], stdout=w)',
      'os.close(w)',
      'time.sleep(0.5)',
      'sys.stdout.buffer.write(os.fdopen(r, "rb").read())',
      'sys.exit(child.wait())',
    ].join('\n');
    const { stdout, stderr } = await run(
      'python3',
      ['-c', slowReader, process.execPath, binPath, '-c', spec, 'emit', '-t', 'networkd'],
      { maxBuffer: 1 << 26 },
    );
    expect(stderr).toBe('');
    expect(stdout.length).toBe(expected.length);
    expect(stdout === expected).toBe(true);
  });
});
