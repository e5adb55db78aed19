/** The real binary, as users and pipelines run it: exit codes, help, output formats, discovery, plugins. */
// Each test spawns the binary in its own folder, so they run concurrently.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { binPath, emitOutInProcess, listFiles, repoRoot, tungen } from './support/run-cli.js';

const seed = join(repoRoot, 'examples/seed.yaml');
const invalidSpec = 'tunnels:\n  - name: gre0\n    mode: gre\n    local: 192.0.2.1\n    remote: 192.0.2.2\n';
const twoTunnels = `tunnels:
  - name: gre1
    mode: gre
    local: 192.0.2.1
    remote: 192.0.2.2
  - name: gre2
    mode: gre
    local: 192.0.2.1
    remote: 192.0.2.3
`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tungen-cli-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A fresh folder with the given files. */
async function folder(name: string, files: Record<string, string> = {}): Promise<string> {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

describe.concurrent('exit codes', () => {
  it('0 for a valid spec, with a summary on stdout', async () => {
    const run = await tungen(['-c', seed, 'validate']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/seed\.yaml: valid \(1 tunnel\)\n$/);
    expect((await tungen(['validate', '--quiet', seed])).stdout).toBe('');
  });

  it('1 for an invalid spec, from validate and emit alike', async () => {
    const dir = await folder('exit-1', { 'spec.yaml': invalidSpec });
    const validate = await tungen(['validate', 'spec.yaml'], { cwd: dir });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toBe(
      'spec.yaml:2:11: interface name "gre0" is reserved by the kernel (fallback device or /proc/sys entry); choose another (tunnels[0].name)\n',
    );
    const emit = await tungen(['-c', 'spec.yaml', 'emit', '-t', 'networkd'], { cwd: dir });
    expect(emit.code).toBe(1);
    expect(emit.stdout).toBe('');
    expect(emit.stderr).toBe(`${validate.stderr}tungen: 1 problem in spec.yaml; nothing was written\n`);
  });

  it.each([
    ['an unknown option', ['--bogus'], /unknown option '--bogus'/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['emit without a target', ['-c', seed, 'emit'], /required option '-t, --target <target>' not specified/],
    [
      'an unknown target',
      ['-c', seed, 'emit', '-t', 'netplan'],
      /^error: option '-t, --target <target>' argument 'netplan' is invalid\. Allowed choices are networkd, ifupdown\.\n/,
    ],
    [
      '--check without --out',
      ['-c', seed, 'emit', '-t', 'networkd', '--check'],
      /^tungen: --check compares with a folder: give --out DIR\n$/,
    ],
    [
      'an unknown host',
      ['-c', seed, 'emit', '-t', 'networkd', '-H', 'host-c'],
      /^tungen: unknown host "host-c"; hosts are: host-a, host-b\n$/,
    ],
  ])('2 for %s', async (_label, args, message) => {
    const run = await tungen(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('2 for a spec file that cannot be read, naming it', async () => {
    const run = await tungen(['validate', 'no-such-spec.yaml'], { cwd: root });
    expect(run).toMatchObject({ code: 2, stderr: 'no-such-spec.yaml: cannot read spec: ENOENT\n' });
  });

  it('the same code and words in process as from the binary, for a spec that is not there', async () => {
    const out = join(root, 'missing-spec-out');
    const binary = await tungen(['-c', 'no-such-spec.yaml', 'emit', '-t', 'networkd', '--out', out], { cwd: root });
    const inProcess = await emitOutInProcess(join(root, 'no-such-spec.yaml'), 'networkd', out);
    expect(binary.code).toBe(2);
    expect(inProcess.code).toBe(binary.code);
    expect(inProcess.stderr.replaceAll(`${root}/`, '')).toBe(binary.stderr);
  });
});

describe.concurrent('help and version', () => {
  // Run while collecting: the commands it lists become one test each.
  const help = spawnSync(process.execPath, [binPath, '--help'], { encoding: 'utf8' });
  const commands = [...help.stdout.split('Commands:')[1]!.matchAll(/^ {2}([a-z-]+)/gm)]
    .map((m) => m[1]!)
    .filter((c) => c !== 'help');

  it('--help lists at least the core commands and exits 0', () => {
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tungen \[options\] \[command\]/);
    expect(commands).toEqual(expect.arrayContaining(['emit', 'validate', 'schema']));
  });

  it.each(commands)('%s --help prints its usage and exits 0', async (command) => {
    const run = await tungen([command, '--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(new RegExp(`^Usage: tungen ${command} `));
  });

  it('--version prints the package version and exits 0', async () => {
    const version = await tungen(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });
});

describe('colour', () => {
  // eslint-disable-next-line no-control-regex
  const escape = /\u001b\[/;

  it('is never written to a pipe', async () => {
    const dir = await folder('colour-pipe', { 'spec.yaml': invalidSpec });
    const run = await tungen(['validate', 'spec.yaml'], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(escape);
  });

  // `script` gives the binary a terminal, where colour is on unless NO_COLOR is set.
  const script = ['/usr/bin/script', '/bin/script'].find((path) => existsSync(path));
  it.skipIf(!script)('is written to a terminal, and not with NO_COLOR', async () => {
    const dir = await folder('colour-tty', { 'spec.yaml': invalidSpec });
    const onTerminal = (env: Record<string, string | undefined>) =>
      spawnSync(script!, ['-qec', `${process.execPath} ${binPath} validate spec.yaml`, '/dev/null'], {
        cwd: dir,
        encoding: 'utf8',
        env: Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)),
      });
    const coloured = onTerminal({ NO_COLOR: undefined });
    expect(coloured.stdout).toMatch(escape);
    expect(coloured.stdout).toContain('reserved by the kernel');
    const plain = onTerminal({ NO_COLOR: '1' });
    expect(plain.stdout).toContain('reserved by the kernel');
    expect(plain.stdout).not.toMatch(escape);
  });
});

describe.concurrent('emit', () => {
  it('--json prints a manifest whose sha256 are those of the written files', async () => {
    const out = join(root, 'manifest-out');
    const run = await tungen(['-c', seed, 'emit', '-t', 'networkd', '--out', out, '--json']);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(manifest.map((e) => Object.keys(e).sort())).toEqual(
      Array(4).fill(['host', 'path', 'sha256', 'target', 'tunnel']),
    );
    expect(manifest.map((e) => e['path'])).toEqual(await listFiles(out));
    for (const entry of manifest) {
      expect(entry).toMatchObject({
        tunnel: 'tun0',
        target: 'networkd',
        host: expect.stringMatching(/^host-[ab]$/) as unknown,
      });
      const text = await readFile(join(out, entry['path'] as string));
      expect(entry['sha256']).toBe(createHash('sha256').update(text).digest('hex'));
    }
    const printed = await tungen(['-c', seed, 'emit', '-t', 'networkd', '--json']);
    expect(JSON.parse(printed.stdout)).toEqual(manifest);
  });

  it('--json gives host null in a spec without hosts', async () => {
    const dir = await folder('manifest-no-hosts', { 'spec.yaml': twoTunnels });
    const run = await tungen(['-c', 'spec.yaml', 'emit', '-t', 'ifupdown', '--json'], { cwd: dir });
    expect(JSON.parse(run.stdout)).toEqual([
      {
        path: 'tungen-gre1',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        tunnel: 'gre1',
        host: null,
        target: 'ifupdown',
      },
      {
        path: 'tungen-gre2',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        tunnel: 'gre2',
        host: null,
        target: 'ifupdown',
      },
    ]);
  });

  it('--check exits 0 in sync, 1 with each missing, changed and stale file', async () => {
    const dir = await folder('check', { 'spec.yaml': twoTunnels, 'out/user-file.network': '[Match]\nName=x\n' });
    const emit = (...args: string[]) =>
      tungen(['-c', 'spec.yaml', 'emit', '-t', 'networkd', '--out', 'out', ...args], { cwd: dir });
    expect((await emit()).code).toBe(0);
    expect(await emit('--check')).toMatchObject({ code: 0, stdout: '', stderr: '' });

    await writeFile(join(dir, 'out/10-tungen-gre1.netdev'), 'edited by hand\n');
    await unlink(join(dir, 'out/10-tungen-gre1.network'));
    await unlink(join(dir, 'out/10-tungen-gre2.network'));
    await writeFile(join(dir, 'spec.yaml'), twoTunnels.split('  - name: gre2')[0]!);
    const drift = await emit('--check');
    expect(drift.code).toBe(1);
    // gre2's netdev is generated (it has the header) and no longer in the spec; the user's file is not tungen's.
    expect(drift.stdout).toBe(
      'missing  10-tungen-gre1.network\nchanged  10-tungen-gre1.netdev\nstale    10-tungen-gre2.netdev\n',
    );
    const json = await emit('--check', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      missing: ['10-tungen-gre1.network'],
      changed: ['10-tungen-gre1.netdev'],
      stale: ['10-tungen-gre2.netdev'],
    });
  });

  it('--out removes its own stale files and leaves other files alone', async () => {
    const dir = await folder('stale', { 'spec.yaml': twoTunnels, 'out/99-mine.network': '[Match]\nName=x\n' });
    const emit = () => tungen(['-c', 'spec.yaml', 'emit', '-t', 'networkd', '--out', 'out'], { cwd: dir });
    await emit();
    await writeFile(join(dir, 'spec.yaml'), twoTunnels.split('  - name: gre2')[0]!);
    expect((await emit()).code).toBe(0);
    expect(await listFiles(join(dir, 'out'))).toEqual([
      '10-tungen-gre1.netdev',
      '10-tungen-gre1.network',
      '99-mine.network',
    ]);
  });

  it('--check on an invalid spec exits 1 and writes nothing', async () => {
    const dir = await folder('check-invalid', { 'spec.yaml': invalidSpec });
    const run = await tungen(['-c', 'spec.yaml', 'emit', '-t', 'networkd', '--out', 'out', '--check'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe.concurrent('spec discovery', () => {
  const spec = (name: string) =>
    `tunnels:\n  - name: ${name}\n    mode: ipip\n    local: 192.0.2.1\n    remote: 192.0.2.2\n`;

  it('finds tungen.config.yaml in the current folder', async () => {
    const dir = await folder('find-config', { 'tungen.config.yaml': spec('found1') });
    const run = await tungen(['emit', '-t', 'networkd'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# Generated by tungen from tungen.config.yaml.');
    expect(run.stdout).toContain('Name=found1');
  });

  it('finds .tungenrc.json from a subfolder of the project', async () => {
    const dir = await folder('find-rc', {
      'package.json': '{"name": "p"}',
      '.tungenrc.json': JSON.stringify({ tunnels: [] }),
      'deep/er/x': '',
    });
    const run = await tungen(['validate'], { cwd: join(dir, 'deep/er') });
    // Outside the working folder, the path is shown in full.
    expect(run).toMatchObject({ code: 0, stdout: `${dir}/.tungenrc.json: valid (0 tunnels)\n` });
  });

  it('finds the "tungen" key of package.json and locates its problems there', async () => {
    const pkg = `{\n  "name": "p",\n  "tungen": {\n    "tunnels": [{ "name": "found3", "mode": "ipip", "local": "192.0.2.1", "remote": "192.0.2.2", "ttl": 0 }]\n  }\n}\n`;
    const dir = await folder('find-package', { 'package.json': pkg });
    const run = await tungen(['validate'], { cwd: dir });
    expect(run).toMatchObject({
      code: 1,
      stderr: 'package.json:4:105: expected a TTL 1-255 or "inherit", got 0 (tungen.tunnels[0].ttl)\n',
    });
  });

  it('says what to create when there is no spec', async () => {
    const dir = await folder('find-none', { 'package.json': '{"name": "p"}' });
    const run = await tungen(['validate'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no spec found: give --config FILE or create one of tungen\.config\.yaml/);
  });
});

describe.concurrent('third-party plugins', () => {
  /** A mode written against the plugin contract alone, as an npm package would be. */
  const demoPlugin = `
const text = (end) => [['Local', end.local], ['Remote', end.remote]];
export default {
  name: 'demo',
  description: 'IPv4 in IPv4 under another name, as a third-party package',
  kind: 'ipip',
  outer: 'ipv4',
  inner: ['ipv4'],
  remote: 'required',
  kernelModules: ['ipip'],
  fallbackDevices: ['tunl0'],
  options: { hops: { type: 'integer', minimum: 1, maximum: 255, description: 'TTL' } },
  rules: { unlucky: 'refuses 13 hops' },
  check(end, report) {
    if (end.options.hops === 13) report.error('unlucky', '13 hops is unlucky', ['hops']);
  },
  identity: (end) => ['ipip', end.local, end.remote].join('|'),
  networkd: (end) => ({ tunnel: [...text(end), ...(end.options.hops ? [['TTL', end.options.hops]] : [])] }),
  ifupdown: (end) => ({ method: 'manual', ipLinkAdd: ['type', 'ipip', 'local', end.local, 'remote', end.remote] }),
  expect: (end) => ({ data: { local: end.local, remote: end.remote } }),
};
`;
  const project = (spec: string, plugins: Record<string, string>) => {
    const files: Record<string, string> = { 'spec.yaml': spec };
    for (const [name, code] of Object.entries(plugins)) {
      files[`node_modules/${name}/package.json`] = JSON.stringify({
        name,
        version: '1.0.0',
        type: 'module',
        main: 'index.js',
      });
      files[`node_modules/${name}/index.js`] = code;
    }
    return files;
  };
  const demoSpec = (extra = '') =>
    `plugins: [tungen-mode-demo]\ntunnels:\n  - name: demo1\n    mode: demo\n    local: 192.0.2.1\n    remote: 192.0.2.2\n${extra}`;

  it('loads a mode by package name and renders it end to end', async () => {
    const dir = await folder('plugin-ok', project(demoSpec('    hops: 9\n'), { 'tungen-mode-demo': demoPlugin }));
    expect(await tungen(['validate', 'spec.yaml'], { cwd: dir })).toMatchObject({
      code: 0,
      stdout: 'spec.yaml: valid (1 tunnel)\n',
    });
    const run = await tungen(['-c', 'spec.yaml', 'emit', '-t', 'networkd', '--out', 'out'], { cwd: dir });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(await readFile(join(dir, 'out/10-tungen-demo1.netdev'), 'utf8')).toBe(
      '# Generated by tungen from spec.yaml. Do not edit: tungen apply replaces it.\n[NetDev]\nName=demo1\nKind=ipip\n\n' +
        '[Tunnel]\nLocal=192.0.2.1\nRemote=192.0.2.2\nTTL=9\nIndependent=yes\n',
    );
  });

  it("applies the plugin's schema and checks, with locations", async () => {
    const dir = await folder(
      'plugin-check',
      project(demoSpec('    hops: 13\n    ttl: 5\n'), { 'tungen-mode-demo': demoPlugin }),
    );
    const run = await tungen(['validate', 'spec.yaml'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'spec.yaml:8:5: unknown field "ttl" for mode demo; allowed: addresses, description, ends, hops, host, local, mode, mtu, name, remote, routes (tunnels[0].ttl)\n',
    );
    await writeFile(join(dir, 'spec.yaml'), demoSpec('    hops: 13\n'));
    expect((await tungen(['validate', 'spec.yaml'], { cwd: dir })).stderr).toBe(
      'spec.yaml:7:11: 13 hops is unlucky (tunnels[0].hops)\n',
    );
  });

  it("reserves the names of the fallback devices the plugin's kernel modules create", async () => {
    const plugin = demoPlugin.replace("fallbackDevices: ['tunl0']", "fallbackDevices: ['tunl0', 'demo0']");
    const spec = demoSpec().replace('name: demo1', 'name: demo0');
    const dir = await folder('plugin-fallback', project(spec, { 'tungen-mode-demo': plugin }));
    const run = await tungen(['validate', 'spec.yaml'], { cwd: dir });
    expect(run).toMatchObject({
      code: 1,
      stderr:
        'spec.yaml:3:11: interface name "demo0" is reserved by the kernel (fallback device or /proc/sys entry); choose another (tunnels[0].name)\n',
    });
  });

  it.each([
    [
      'names no link kind',
      demoPlugin.replace("kind: 'ipip',", ''),
      'plugin "tungen-mode-x": mode demo has an invalid kind undefined: the kernel\'s link kind, e.g. "sit"',
    ],
    [
      'lacks functions',
      'export default { name: "broken", outer: "ipv4", inner: ["ipv4"], options: {} };',
      'plugin "tungen-mode-x": mode broken lacks identity, networkd, ifupdown, expect',
    ],
    ['takes a built-in name', 'export { gre as default } from "./gre.js";', null],
    ['fails to import', 'throw new Error("boom");', 'cannot load plugin "tungen-mode-x": boom'],
    [
      'redefines a base field',
      `${demoPlugin.replace('options: { hops:', 'options: { mtu: {}, hops:')}`,
      'plugin "tungen-mode-x": mode demo redefines base fields mtu',
    ],
  ])('refuses a plugin that %s, and writes nothing', async (label, code, message) => {
    const files = project('plugins: [tungen-mode-x]\ntunnels: []\n', { 'tungen-mode-x': code });
    if (label === 'takes a built-in name') {
      files['node_modules/tungen-mode-x/gre.js'] = demoPlugin
        .replace("name: 'demo'", "name: 'gre'")
        .replace('export default', 'export const gre =');
    }
    const dir = await folder(`plugin-bad-${label.replace(/ /g, '-')}`, files);
    const run = await tungen(['-c', 'spec.yaml', 'emit', '-t', 'networkd', '--out', 'out'], { cwd: dir });
    expect(run.code).toBe(1);
    const expected = message ?? 'plugin "tungen-mode-x": mode gre is already defined';
    expect(run.stderr).toBe(
      `spec.yaml:1:11: ${expected} (plugins[0])\ntungen: 1 problem in spec.yaml; nothing was written\n`,
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('schema', () => {
  // The build rewrites schema/; these compare with the file as it was before (see test/support/build-first.ts).
  const committedSchema = inject('schemaBeforeBuild');

  it('the committed schema/tungen.schema.json is what `tungen schema` prints', async () => {
    const run = await tungen(['schema']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(committedSchema);
  });

  it('and what the sources assemble now (a plugin changed without a rebuild)', async () => {
    const { assembleSchema } = await import('../src/schema/assemble.js');
    const { publishedSchema } = await import('../src/schema/publish.js');
    const { builtinModes } = await import('../plugins/index.js');
    const committed = JSON.parse(committedSchema) as unknown;
    expect(publishedSchema(assembleSchema(builtinModes))).toEqual(committed);
  });
});
