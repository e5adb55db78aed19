/**
 * tungen on the Node.js a Debian 12 server has: Debian's own 18.20 (package.json promises
 * >=18.17), unpacked beside this machine's node by install-debian-node18.sh. The built command
 * line and library run under it and must do what they do under the node the tests run on: the
 * same exit codes and the same bytes, on stdout, on stderr and in the files written. The code
 * caches the build wrote are another V8's, so Node 18 refuses them: that must only cost time.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { load as parseYaml } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigSpec } from '../support/big-spec.js';
import { debianNode18 } from '../support/debian-packages.js';
import type { CliRun } from '../../src/testing/in-process.js';
import { binPath, listFiles, repoRoot, runIntoClosedPipe, runProgram } from '../support/run-cli.js';

const execute = promisify(execFile);
const node18 = await debianNode18();

/** Runs NODE ARGS in CWD; stdio are pipes. */
function runNode(node: string, args: string[], cwd: string): Promise<CliRun> {
  return runProgram(node, args, { cwd });
}

/** Every file under DIR with its bytes, by relative path. */
async function tree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of await listFiles(dir)) files[file] = (await readFile(join(dir, file))).toString('base64');
  return files;
}

describe.skipIf(node18.skip !== undefined)("Debian 12's Node.js 18", () => {
  const node = node18.node!;
  let base: string;
  /** A folder where `tungen` resolves to this repository and tungen-mode-6rd is installed, built. */
  let project: string;

  /** `tungen ARGS` under Node 18 and under this node, from CWD: the Node 18 run, checked to be the same. */
  async function both(args: string[], cwd = repoRoot): Promise<CliRun> {
    const [old, current] = await Promise.all([
      runNode(node, [binPath, ...args], cwd),
      runNode(process.execPath, [binPath, ...args], cwd),
    ]);
    expect({ args, ...old }).toEqual({ args, ...current });
    return old;
  }

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'tungen-node18-'));
    project = join(base, 'project');
    const plugin = join(project, 'node_modules/tungen-mode-6rd');
    await mkdir(join(plugin, 'dist'), { recursive: true });
    await symlink(repoRoot, join(project, 'node_modules/tungen'), 'dir');
    // The example plugin as its package ships it: its package.json and index.ts compiled to dist/index.js.
    await cp(join(repoRoot, 'examples/tungen-mode-6rd/package.json'), join(plugin, 'package.json'));
    const source = await readFile(join(repoRoot, 'examples/tungen-mode-6rd/index.ts'), 'utf8');
    const compiled = await transform(source, { loader: 'ts', format: 'esm', target: 'node18' });
    await writeFile(join(plugin, 'dist/index.js'), compiled.code);
    await writeFile(join(project, 'package.json'), '{"name": "site", "private": true, "type": "module"}\n');
    // A spec of the plugin's mode, and one its check refuses.
    await writeFile(
      join(project, 'sixrd.yaml'),
      'plugins: [tungen-mode-6rd]\ntunnels:\n  - {name: 6rd, mode: sixrd, local: 192.0.2.1, prefix: "2001:db8::/32"}\n',
    );
    await writeFile(
      join(project, 'sixrd-bad.yaml'),
      'plugins: [tungen-mode-6rd]\ntunnels:\n  - {name: 6rd, mode: sixrd, local: 192.0.2.1, prefix: "2001:db8::/48"}\n',
    );
  });

  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('is Node.js 18', async () => {
    const { stdout } = await execute(node, ['--version']);
    expect(stdout).toMatch(/^v18\.\d+\.\d+\n$/);
  });

  it('--version, and validate of every example', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(await both(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    for (const example of ['seed', 'lab-five-modes', 'ipv6-underlay', 'routes', 'udp-encapsulation', 'ethernet']) {
      const run = await both(['validate', `examples/${example}.yaml`]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^examples/${example}\\.yaml: valid \\(\\d+ tunnels?\\)\\n$`));
    }
  });

  it('validate of a bad spec: exit 1, the problem located, in every format', async () => {
    const bad = join(base, 'bad.yaml');
    const seed = await readFile(join(repoRoot, 'examples/seed.yaml'), 'utf8');
    await writeFile(bad, seed.replace('mode: gre', 'mode: gre\n    ttll: 64'));
    const text = await both(['validate', bad]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(new RegExp(`^${bad}:\\d+:5: unknown field "ttll".*\\(tunnels\\[0\\]\\.ttll\\)\\n$`));
    for (const format of ['json', 'sarif']) {
      const run = await both(['validate', '--format', format, bad]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('ttll');
      expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
    }
  });

  it('emit --out writes the same bytes for both targets', async () => {
    for (const target of ['networkd', 'ifupdown']) {
      const old = join(base, `emit-18-${target}`);
      const current = join(base, `emit-now-${target}`);
      const args = (out: string) => ['-c', 'examples/lab-five-modes.yaml', 'emit', '-t', target, '--out', out];
      const [fromOld, fromCurrent] = await Promise.all([
        runNode(node, [binPath, ...args(old)], repoRoot),
        runNode(process.execPath, [binPath, ...args(current)], repoRoot),
      ]);
      expect(fromOld).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(fromCurrent).toEqual(fromOld);
      const files = await tree(old);
      expect(Object.keys(files).length).toBeGreaterThan(4);
      expect(files).toEqual(await tree(current));
    }
  });

  it('emit prints files far bigger than a pipe holds, all of them, and ends quietly when the reader stops', async () => {
    await writeFile(join(base, 'big.yaml'), bigSpec(1000));
    const run = await both(['-c', join(base, 'big.yaml'), 'emit', '-t', 'networkd']);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(1 << 18);
    // tungen emit | head: the reader goes away after the first chunk.
    expect(await runIntoClosedPipe(node, [binPath, '-c', join(base, 'big.yaml'), 'emit', '-t', 'networkd'])).toEqual({
      code: 0,
      stderr: '',
    });
  });

  it('schema, emit --check of a drifted folder, and a folder it cannot use: the same answers', async () => {
    const schema = await both(['schema']);
    expect(schema.code).toBe(0);
    expect(schema.stdout).toBe(await readFile(join(repoRoot, 'schema/tungen.schema.json'), 'utf8'));
    const out = join(base, 'drift');
    const emit = ['-c', 'examples/seed.yaml', 'emit', '-t', 'networkd', '--out', out];
    expect(await both(emit)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await both([...emit, '--check'])).toEqual({ code: 0, stdout: '', stderr: '' });
    await writeFile(join(out, 'host-a/10-tungen-tun0.netdev'), 'edited by hand\n');
    const drift = await both([...emit, '--check']);
    expect(drift.code).toBe(1);
    expect(drift.stdout + drift.stderr).toContain('host-a/10-tungen-tun0.netdev');
    // A system condition: one line, no stack trace.
    await writeFile(join(base, 'a-file'), '');
    const refused = await both([
      '-c',
      'examples/seed.yaml',
      'emit',
      '-t',
      'networkd',
      '--out',
      join(base, 'a-file/out'),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^tungen: --out .*ENOTDIR\n$/);
  });

  it('apply --root --dry-run plans the same, as text and as JSON', async () => {
    const root = join(base, 'root');
    // As Debian ships it: ifup reads the stanzas tungen writes into interfaces.d.
    await mkdir(join(root, 'etc/network'), { recursive: true });
    await writeFile(join(root, 'etc/network/interfaces'), 'source /etc/network/interfaces.d/*\n');
    for (const target of ['networkd', 'ifupdown']) {
      const args = ['-c', 'examples/seed.yaml', 'apply', '-t', target, '-H', 'host-a', '--root', root, '--dry-run'];
      const text = await both(args);
      expect(text).toMatchObject({ code: 0, stderr: '' });
      expect(text.stdout).toContain(`Plan for host host-a (${target}, root ${root}`);
      const json = await both([...args, '--json']);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toHaveProperty('changes');
    }
  });

  it('a JavaScript spec (.mjs) and a plugin package, both loaded through import()', async () => {
    const seed = parseYaml(await readFile(join(repoRoot, 'examples/seed.yaml'), 'utf8'));
    await writeFile(join(project, 'tunnels.mjs'), `export default ${JSON.stringify(seed, null, 2)};\n`);
    expect(await both(['validate', 'tunnels.mjs'], project)).toEqual({
      code: 0,
      stdout: 'tunnels.mjs: valid (1 tunnel)\n',
      stderr: '',
    });
    expect((await both(['-c', 'tunnels.mjs', 'emit', '-t', 'networkd'], project)).stdout).toContain('Kind=gre');
    expect(await both(['validate', 'sixrd.yaml'], project)).toMatchObject({ code: 0, stderr: '' });
    for (const target of ['networkd', 'ifupdown']) {
      const run = await both(['-c', 'sixrd.yaml', 'emit', '-t', target], project);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(target === 'networkd' ? 'IPv6RapidDeploymentPrefix=2001:db8::/32' : '6rd-prefix');
    }
    const bad = await both(['validate', 'sixrd-bad.yaml'], project);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^sixrd-bad\.yaml:3:\d+: .*\(tunnels\[0\]\.prefix\)\n$/);
  });

  it("refuses the other V8's code caches quietly and starts from the sources", async () => {
    const script = `require(${JSON.stringify(binPath)}).runWithCacheReport(['validate', 'examples/seed.yaml'])
      .then((report) => process.stderr.write('\\n' + JSON.stringify(report) + '\\n'))`;
    const run = await runNode(node, ['-e', script], repoRoot);
    const lines = run.stderr.split('\n');
    const report = JSON.parse(lines.at(-2)!) as { code: number; caches: Record<string, string> };
    expect({ code: run.code, stdout: run.stdout, before: lines.slice(0, -2) }).toEqual({
      code: 0,
      stdout: 'examples/seed.yaml: valid (1 tunnel)\n',
      before: [''],
    });
    expect(report.code).toBe(0);
    expect(Object.keys(report.caches).length).toBeGreaterThan(1);
    for (const [file, how] of Object.entries(report.caches)) expect({ file, how }).toEqual({ file, how: 'rejected' });
  });

  it('builds under Node 18, as npm install from git does there, with code caches Node 18 accepts', async () => {
    const copy = join(base, 'clone');
    const listed = await execute('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const file of new Set(listed.stdout.split('\0').filter(Boolean))) {
      if (!existsSync(join(repoRoot, file))) continue; // deleted, not yet committed
      await mkdir(dirname(join(copy, file)), { recursive: true });
      await cp(join(repoRoot, file), join(copy, file));
    }
    await symlink(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
    expect(await runNode(node, ['scripts/build.mjs'], copy)).toMatchObject({ code: 0, stderr: '' });
    const script = `require('./bin/tungen.js').runWithCacheReport(['validate', 'examples/seed.yaml'])
      .then((report) => process.stderr.write(JSON.stringify(Object.values(report.caches))))`;
    expect(await runNode(node, ['-e', script], copy)).toEqual({
      code: 0,
      stdout: 'examples/seed.yaml: valid (1 tunnel)\n',
      stderr: JSON.stringify(['accepted', 'accepted', 'accepted']),
    });
    const emit = ['-c', 'examples/lab-five-modes.yaml', 'emit', '-t', 'networkd'];
    const [built, shipped] = await Promise.all([
      runNode(node, [join(copy, 'bin/tungen.js'), ...emit], copy),
      runNode(process.execPath, [binPath, ...emit], repoRoot),
    ]);
    expect(built).toEqual(shipped);
  }, 120_000);

  it('the library, imported by name from a project that has tungen installed', async () => {
    const script = `
      const tungen = await import('tungen');
      const spec = await tungen.validateSpec(await tungen.loadSpec('${join(repoRoot, 'examples/lab-five-modes.yaml')}'));
      const files = tungen.renderSpec(spec, 'networkd').concat(tungen.renderSpec(spec, 'ifupdown'));
      const bad = await tungen.checkSpec(await tungen.loadSpec('sixrd-bad.yaml'));
      const six = await tungen.validateSpec(await tungen.loadSpec('sixrd.yaml'));
      console.log(JSON.stringify({ files, problems: bad.problems.map(tungen.formatProblem), six: six.ends.length }));`;
    const args = ['--input-type=module', '-e', script];
    const [old, current] = await Promise.all([runNode(node, args, project), runNode(process.execPath, args, project)]);
    expect(old).toEqual(current);
    expect(old).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(old.stdout) as { files: unknown[]; problems: string[]; six: number };
    expect(result.files.length).toBeGreaterThan(4);
    expect(result.problems).toHaveLength(1);
    expect(result.six).toBe(1);
  });
});
