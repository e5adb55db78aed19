/**
 * No false drift: what tungen writes depends on the spec alone, not on the
 * current folder or on how the spec's path is written. Files are written
 * once, from the project folder with a relative path; then --check, emit
 * (printed) and apply --dry-run run from other folders, with absolute paths,
 * paths through `..` and a symbolic link, and through discovery, and must all
 * find the same bytes.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, repoRoot, tungen } from '../support/run-cli.js';

let base: string;
let project: string;
let spec: string;
const written = new Map<string, string>();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'tungen-stable-'));
  project = join(base, 'project');
  spec = join(project, 'network/tungen.config.yaml');
  await mkdir(join(project, 'network/sub'), { recursive: true });
  await mkdir(join(base, 'elsewhere'));
  const seed = await readFile(join(repoRoot, 'examples/seed.yaml'), 'utf8');
  // Named so that discovery from a subfolder finds it too.
  await writeFile(spec, seed);
  await symlink(join(project, 'network'), join(base, 'link'));

  for (const target of ['networkd', 'ifupdown']) {
    const run = await tungen(['-c', 'network/tungen.config.yaml', 'emit', '-t', target, '--out', `out-${target}`], {
      cwd: project,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const dir = join(project, `out-${target}`);
    for (const file of await listFiles(dir)) written.set(`${target}/${file}`, await readFile(join(dir, file), 'utf8'));
  }
  expect(written.size).toBe(6);
});

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

/** Ways to name the same spec, each with the folder it is run from. */
const namings = () => [
  { cwd: join(project, 'network'), config: ['-c', 'tungen.config.yaml'] },
  { cwd: join(project, 'network/sub'), config: ['-c', '../tungen.config.yaml'] },
  { cwd: '/', config: ['-c', spec] },
  { cwd: join(base, 'elsewhere'), config: ['-c', '../project/network/sub/../tungen.config.yaml'] },
  { cwd: base, config: ['-c', 'link/tungen.config.yaml'] },
  { cwd: join(project, 'network/sub'), config: [] },
];

describe('the same files whatever the folder and the spec path', () => {
  it('emit --check finds no drift', async () => {
    for (const { cwd, config } of namings()) {
      for (const target of ['networkd', 'ifupdown']) {
        const run = await tungen(
          [...config, 'emit', '-t', target, '--out', join(project, `out-${target}`), '--check'],
          {
            cwd,
          },
        );
        expect({ cwd, config, target, ...run }).toEqual({ cwd, config, target, code: 0, stdout: '', stderr: '' });
      }
    }
  }, 180_000);

  it('emit prints the bytes it wrote', async () => {
    for (const { cwd, config } of namings()) {
      const run = await tungen([...config, 'emit', '-t', 'networkd'], { cwd });
      expect(run.code).toBe(0);
      const printed = new Map<string, string>();
      // Files are printed as `==> PATH <==` and the contents, joined by a newline.
      const parts = run.stdout.split(/^==> /m).slice(1);
      parts.forEach((part, i) => {
        const [path, ...rest] = part.split(' <==\n');
        const contents = rest.join(' <==\n');
        printed.set(`networkd/${path}`, i < parts.length - 1 ? contents.slice(0, -1) : contents);
      });
      for (const [path, contents] of printed) expect({ path, contents }).toEqual({ path, contents: written.get(path) });
      expect(printed.size).toBe(4);
    }
  }, 180_000);

  it('apply --root finds every file up to date', async () => {
    const root = join(base, 'root');
    await mkdir(join(root, 'etc/systemd'), { recursive: true });
    await rm(join(root, 'etc/systemd/network'), { recursive: true, force: true });
    const first = await tungen(
      [
        '-c',
        'network/tungen.config.yaml',
        'emit',
        '-t',
        'networkd',
        '-H',
        'host-a',
        '--out',
        join(root, 'etc/systemd/network'),
      ],
      { cwd: project },
    );
    expect(first.code).toBe(0);
    for (const { cwd, config } of namings()) {
      const run = await tungen(
        [...config, 'apply', '-t', 'networkd', '-H', 'host-a', '--root', root, '--dry-run', '--json'],
        { cwd },
      );
      const plan = JSON.parse(run.stdout) as { changes: Array<{ path: string }>; unchanged: string[] };
      const networkFiles = (paths: string[]) => paths.filter((p) => p.includes('/etc/systemd/network/'));
      expect({ cwd, config, changed: networkFiles(plan.changes.map((c) => c.path)) }).toEqual({
        cwd,
        config,
        changed: [],
      });
      expect(networkFiles(plan.unchanged)).toHaveLength(2);
    }
  }, 180_000);
});
