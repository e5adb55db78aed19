// Benchmark: tungen against netplan, on equivalent specs of GRE tunnels.
//
//   npm run bench                      (builds, then runs this file)
//   node bench/run.mjs [--sizes 100,2000,20000] [--runs N] [--dir DIR] [--tmpfs DIR] [--inherit-env] [--keep]
//
// For each size it writes one tungen spec and one netplan YAML describing the
// same tunnels, runs both tools several times, alternating which goes first,
// and prints a markdown table of medians to stdout (progress goes to stderr).
// Every run is a whole process: start-up, parsing, checks, rendering, writing.
// Wall time is measured around the process; peak memory is GNU time's %M (the
// process's maximum resident set size). It also checks that both tools wrote
// the same tunnel-defining networkd keys, so the two sides do the same work.
// Results go to bench/results.json (all samples) and bench/results-latest.md.
//
// The files are written under --dir (default: the system's temporary folder);
// the output names its filesystem, since creating 4,000 files costs very
// different amounts on ext4 and on tmpfs. The rows that measure the tools
// rather than the disk run on tmpfs (--tmpfs DIR, or one the bench mounts
// when run as root): the cold start (validate of 50 tunnels against `node -e 0`, the
// least a Node program costs) and emit of 2,000 tunnels. NODE_EXTRA_CA_CERTS is removed from
// the environment of the measured processes unless --inherit-env is given:
// Node parses that certificate bundle at every start, before any of tungen's
// code runs, and tungen makes no TLS connections; the cold-start line reports
// the inherited environment too when it differs.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tungenBin = join(root, 'bin/tungen.js');
const netplanGenerate = '/usr/libexec/netplan/generate';
const gnuTime = '/usr/bin/time';
const python = '/usr/bin/python3';
const netplanParse = join(root, 'bench/netplan-parse.py');

const options = parseArgs(process.argv.slice(2));
const sizes = options.sizes ?? [100, 2000, 20000];
const runsFor = (n) => options.runs ?? (n >= 20000 ? 5 : 7);
const coldSize = 50;
const coldRuns = options.runs ? Math.max(options.runs, 5) : 15;

const log = (text) => process.stderr.write(`${text}\n`);

const inheritedEnv = { ...process.env };
const benchEnv = { ...process.env };
if (!options.inheritEnv) delete benchEnv.NODE_EXTRA_CA_CERTS;
const envDiffers = 'NODE_EXTRA_CA_CERTS' in inheritedEnv && !options.inheritEnv;

function parseArgs(argv) {
  const parsed = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--sizes') parsed.sizes = argv[++i].split(',').map(Number);
    else if (arg === '--runs') parsed.runs = Number(argv[++i]);
    else if (arg === '--dir') parsed.dir = argv[++i];
    else if (arg === '--inherit-env') parsed.inheritEnv = true;
    else if (arg === '--keep') parsed.keep = true;
    else if (arg === '--tmpfs') parsed.tmpfs = argv[++i];
    else {
      process.stderr.write(
        `usage: node bench/run.mjs [--sizes 100,2000,20000] [--runs N] [--dir DIR] [--tmpfs DIR] [--inherit-env] [--keep]\nunknown argument ${arg}\n`,
      );
      process.exit(2);
    }
  }
  return parsed;
}

// ---------------------------------------------------------------- tools

const installed = [];

/** Installs a Debian package with apt-get when `path` is missing. */
function ensure(path, pkg) {
  if (existsSync(path)) return;
  log(`${path} is missing: installing the Debian package ${pkg} with apt-get`);
  if (process.getuid?.() !== 0)
    throw new Error(`${pkg} is not installed and installing it needs root: sudo apt-get install ${pkg}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', pkg],
  ]) {
    // apt-get's output goes to stderr with the progress; stdout carries only the table.
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 2, 'inherit'], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
  if (!existsSync(path)) throw new Error(`${pkg} is installed but ${path} is still missing`);
  installed.push(pkg);
}

function packageVersion(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

// ---------------------------------------------------------------- specs

const ipv4 = (n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const base = (text) => text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);

/** Tunnel i: distinct endpoints (the kernel tells tunnels apart by them) and a /30 inside 172.16.0.0/12. */
function tunnel(i) {
  return {
    name: `tun${i}`,
    local: ipv4(base('10.0.0.0') + i + 1),
    remote: ipv4(base('10.64.0.0') + i + 1),
    address: `${ipv4(base('172.16.0.0') + 4 * i + 1)}/30`,
    ttl: 64,
  };
}

function tungenSpec(n) {
  const lines = ['tunnels:'];
  for (let i = 0; i < n; i++) {
    const t = tunnel(i);
    lines.push(
      `  - name: ${t.name}`,
      '    mode: gre',
      `    local: ${t.local}`,
      `    remote: ${t.remote}`,
      `    addresses: [${t.address}]`,
      `    ttl: ${t.ttl}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function netplanSpec(n) {
  const lines = ['network:', '  version: 2', '  renderer: networkd', '  tunnels:'];
  for (let i = 0; i < n; i++) {
    const t = tunnel(i);
    lines.push(
      `    ${t.name}:`,
      '      mode: gre',
      `      local: ${t.local}`,
      `      remote: ${t.remote}`,
      `      addresses: [${t.address}]`,
      `      ttl: ${t.ttl}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes both specs for n tunnels under work/n; returns their paths. */
function prepare(work, n) {
  const dir = join(work, String(n));
  const netplanRoot = join(dir, 'netplan-root');
  mkdirSync(join(netplanRoot, 'etc/netplan'), { recursive: true });
  const netplanFile = join(netplanRoot, 'etc/netplan/50-tunnels.yaml');
  writeFileSync(netplanFile, netplanSpec(n));
  // netplan warns about (and one day refuses) world-readable configuration.
  chmodSync(netplanFile, 0o600);
  const spec = join(dir, 'tungen.yaml');
  writeFileSync(spec, tungenSpec(n));
  return {
    dir,
    spec,
    netplanRoot,
    netplanOut: join(netplanRoot, 'run/systemd/network'),
    tungenOut: join(dir, 'tungen-out'),
  };
}

// ---------------------------------------------------------------- measuring

/** Runs one whole process under GNU time; wall time in ms around it, peak RSS in KiB from %M. */
function measure(work, command, args, env = benchEnv) {
  const memFile = join(work, 'time.out');
  const start = process.hrtime.bigint();
  const result = spawnSync(gnuTime, ['-f', '%M %U %S', '-o', memFile, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 << 20,
    env,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status}:\n${result.stderr.toString().slice(0, 2000)}`,
    );
  }
  const lines = readFileSync(memFile, 'utf8').trim().split('\n');
  const last = lines.at(-1) ?? '';
  const [rssKiB, user, system] = last.split(' ').map(Number);
  if (rssKiB === undefined || user === undefined || system === undefined)
    throw new Error(`GNU time wrote ${JSON.stringify(last)}, not "%M %U %S"`);
  // CPU time (user + system, 10 ms resolution) is kept in the JSON: on a shared machine it varies less than wall time.
  return { ms, rssKiB, cpuMs: Math.round((user + system) * 1000) };
}

/** Filesystem type of a folder, as stat reports it (ext2/ext3 for ext4, tmpfs, ...). */
function filesystemOf(dir) {
  const result = spawnSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' });
  const type = result.status === 0 ? result.stdout.trim() : 'unknown';
  return type === 'ext2/ext3' ? 'ext2/3/4 filesystem' : `${type} filesystem`;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The measured operations; each side runs as one process. */
const operations = {
  emitFresh: {
    label: 'emit to an empty folder',
    tungen: (p) => [process.execPath, [tungenBin, '-c', p.spec, 'emit', '--target', 'networkd', '--out', p.tungenOut]],
    netplan: (p) => [netplanGenerate, ['--root-dir', p.netplanRoot]],
    before: (p) => {
      rmSync(p.tungenOut, { recursive: true, force: true });
      rmSync(join(p.netplanRoot, 'run'), { recursive: true, force: true });
      // Let the removal reach the disk now rather than during the next measurement.
      spawnSync('sync');
    },
  },
  emitAgain: {
    label: 'emit again, folder up to date',
    tungen: (p) => [process.execPath, [tungenBin, '-c', p.spec, 'emit', '--target', 'networkd', '--out', p.tungenOut]],
    netplan: (p) => [netplanGenerate, ['--root-dir', p.netplanRoot]],
    before: () => {},
  },
  validate: {
    label: 'validate only',
    tungen: (p) => [process.execPath, [tungenBin, '-c', p.spec, 'validate']],
    netplan: (p) => [python, ['-I', '-S', netplanParse, p.netplanRoot]],
    before: () => {},
  },
};

function benchSize(work, n) {
  const p = prepare(work, n);
  const runs = runsFor(n);
  const samples = {};
  for (const key of Object.keys(operations)) samples[key] = { tungen: [], netplan: [] };
  log(`${n} tunnels: ${runs} runs of each, after one warm-up run`);
  for (const [, op] of Object.entries(operations)) {
    op.before(p);
    for (const tool of ['tungen', 'netplan']) measure(work, ...op[tool](p));
  }
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? ['tungen', 'netplan'] : ['netplan', 'tungen'];
    for (const [key, op] of Object.entries(operations)) {
      op.before(p);
      for (const tool of order) {
        const [command, args] = op[tool](p);
        samples[key][tool].push(measure(work, command, args));
      }
    }
  }
  const equivalence = compareOutputs(p.tungenOut, p.netplanOut, n);
  if (!options.keep) rmSync(p.dir, { recursive: true, force: true });
  const summary = {};
  for (const [key, bySide] of Object.entries(samples)) {
    summary[key] = {};
    for (const [tool, list] of Object.entries(bySide)) {
      summary[key][tool] = {
        ms: median(list.map((s) => s.ms)),
        cpuMs: median(list.map((s) => s.cpuMs)),
        rssKiB: median(list.map((s) => s.rssKiB)),
        maxRssKiB: Math.max(...list.map((s) => s.rssKiB)),
      };
    }
  }
  return { tunnels: n, runs, samples, summary, equivalence };
}

/** emit --out of n tunnels on tmpfs, where writing files costs little: the tools' own time. */
function tmpfsEmit(work, n) {
  const p = prepare(work, n);
  const runs = runsFor(n);
  const samples = { tungen: [], netplan: [] };
  log(`${n} tunnels on ${filesystemOf(work)}: emit, ${runs} runs of each, after one warm-up run`);
  const op = operations.emitFresh;
  for (let r = -1; r < runs; r++) {
    const order = r % 2 === 0 ? ['tungen', 'netplan'] : ['netplan', 'tungen'];
    op.before(p);
    for (const tool of order) {
      const sample = measure(work, ...op[tool](p));
      if (r >= 0) samples[tool].push(sample);
    }
  }
  if (!options.keep) rmSync(p.dir, { recursive: true, force: true });
  const side = (list) => ({ ms: median(list.map((x) => x.ms)), rssKiB: median(list.map((x) => x.rssKiB)) });
  return {
    tunnels: n,
    runs,
    filesystem: filesystemOf(work),
    samples,
    tungen: side(samples.tungen),
    netplan: side(samples.netplan),
  };
}

function coldValidate(work) {
  const p = prepare(work, coldSize);
  const samples = { tungen: [], netplan: [], node: [], tungenInheritedEnv: [] };
  const sides = ['tungen', 'netplan', 'node', ...(envDiffers ? ['tungenInheritedEnv'] : [])];
  log(`cold start: validate ${coldSize} tunnels, ${coldRuns} runs of each, in ${filesystemOf(work)}`);
  for (let r = -1; r < coldRuns; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const [command, args] =
        side === 'node'
          ? [process.execPath, ['-e', '0']]
          : operations.validate[side === 'netplan' ? 'netplan' : 'tungen'](p);
      const sample = measure(work, command, args, side === 'tungenInheritedEnv' ? inheritedEnv : benchEnv);
      if (r >= 0) samples[side].push(sample); // r = -1: warm-up
    }
  }
  if (!options.keep) rmSync(p.dir, { recursive: true, force: true });
  const medianMs = (list) => (list.length ? median(list.map((s) => s.ms)) : undefined);
  return {
    tunnels: coldSize,
    runs: coldRuns,
    ...samples,
    tungenMedianMs: medianMs(samples.tungen),
    netplanMedianMs: medianMs(samples.netplan),
    nodeMedianMs: medianMs(samples.node),
    filesystem: filesystemOf(work),
    tungenInheritedEnvMedianMs: medianMs(samples.tungenInheritedEnv),
  };
}

// ---------------------------------------------------------------- equivalence

/** Section/key/value triples of a networkd unit file. */
function parseUnit(text) {
  const entries = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[') && line.endsWith(']')) section = line.slice(1, -1);
    else {
      const eq = line.indexOf('=');
      if (eq > 0) entries.push([section, line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
    }
  }
  return entries;
}

// networkd booleans: yes/true/on/1 all mean the same.
const booleanWords = new Map([
  ['true', 'yes'],
  ['on', 'yes'],
  ['1', 'yes'],
  ['false', 'no'],
  ['off', 'no'],
  ['0', 'no'],
]);
const normalise = (value) => booleanWords.get(value.toLowerCase()) ?? value;

/** Per interface name: the tunnel-defining keys, and every other key as Section.Key=value. */
function readOutputs(dir) {
  const tunnels = new Map();
  const get = (name) => {
    if (!tunnels.has(name))
      tunnels.set(name, {
        defining: { Kind: undefined, Local: undefined, Remote: undefined, TTL: undefined, Address: [] },
        other: new Set(),
      });
    return tunnels.get(name);
  };
  for (const file of readdirSync(dir).sort()) {
    const entries = parseUnit(readFileSync(join(dir, file), 'utf8'));
    const nameEntry = entries.find(([section, key]) => (section === 'NetDev' || section === 'Match') && key === 'Name');
    if (!nameEntry) continue;
    const t = get(nameEntry[2]);
    for (const [section, key, value] of entries) {
      if (key === 'Name' && (section === 'NetDev' || section === 'Match')) continue;
      if (section === 'NetDev' && key === 'Kind') t.defining.Kind = value;
      else if (section === 'Tunnel' && ['Local', 'Remote', 'TTL'].includes(key)) t.defining[key] = value;
      // netplan writes Address= in [Network], tungen an [Address] section: the same address either way.
      else if (key === 'Address' && (section === 'Network' || section === 'Address')) t.defining.Address.push(value);
      else t.other.add(`${section}.${key}=${normalise(value)}`);
    }
  }
  for (const t of tunnels.values()) t.defining.Address.sort();
  return tunnels;
}

function compareOutputs(tungenDir, netplanDir, n) {
  const tungen = readOutputs(tungenDir);
  const netplan = readOutputs(netplanDir);
  const differences = [];
  const names = new Set([...tungen.keys(), ...netplan.keys()]);
  const otherOnly = { tungen: new Map(), netplan: new Map() };
  const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const name of [...names].sort()) {
    const a = tungen.get(name);
    const b = netplan.get(name);
    if (!a || !b) {
      differences.push(`${name}: only in ${a ? 'tungen' : 'netplan'} output`);
      continue;
    }
    for (const key of Object.keys(a.defining)) {
      const x = JSON.stringify(a.defining[key]);
      const y = JSON.stringify(b.defining[key]);
      if (x !== y) differences.push(`${name}: ${key} tungen ${x} netplan ${y}`);
    }
    for (const entry of a.other) if (!b.other.has(entry)) count(otherOnly.tungen, entry);
    for (const entry of b.other) if (!a.other.has(entry)) count(otherOnly.netplan, entry);
  }
  const summarise = (map) =>
    [...map].sort().map(([entry, k]) => `${entry} (${k === n ? 'every tunnel' : `${k} tunnels`})`);
  return {
    tunnels: names.size,
    compared: ['Kind', 'Local', 'Remote', 'TTL', 'Address'],
    same: differences.length === 0 && tungen.size === n && netplan.size === n,
    differences: differences.slice(0, 50),
    differenceCount: differences.length,
    otherKeys: { tungenOnly: summarise(otherOnly.tungen), netplanOnly: summarise(otherOnly.netplan) },
  };
}

// ---------------------------------------------------------------- report

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 100 ? 1 : 0)} ms`);
const fmtMiB = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
const fmtRatio = (x) => x.toFixed(2);
const fmtInt = (n) => n.toLocaleString('en-US');

function report(results, cold, fast, meta) {
  const lines = [];
  lines.push('## tungen vs netplan: GRE tunnels to systemd-networkd files', '');
  lines.push(
    `Machine: ${meta.cpus} CPUs (${meta.cpuModel}), ${fmtMiB(meta.memKiB)} RAM, load average ${meta.loadAverageAtStart[0]} at the start and ${meta.loadAverageAtEnd[0]} at the end; Node ${meta.node}; netplan.io ${meta.netplan}; tungen ${meta.commit}.`,
    `Files written under ${meta.dirShown} (${meta.filesystem}). ${meta.envNote}`,
    'Each cell is the median of whole-process runs (start-up included) after one warm-up run, the two tools alternating which goes first.',
    'tungen: `tungen -c SPEC emit --target networkd --out DIR`, `tungen -c SPEC validate`.',
    'netplan: emit is `/usr/libexec/netplan/generate --root-dir DIR` (4 files per 2 tunnels, like tungen);',
    "validate is netplan's parser alone: libnetplan `netplan_parser_load_yaml_hierarchy` + `netplan_state_import_parser_results` through ctypes",
    '(bench/netplan-parse.py under `python3 -I -S`; the calls `netplan get` makes before printing), as netplan has no validate-only command.',
    'Peak memory: maximum resident set size of the process, from GNU time `%M` (/usr/bin/time).',
    '',
  );
  lines.push('| tunnels | runs | measure | tungen | netplan | tungen/netplan |', '|---:|---:|---|---:|---:|---:|');
  for (const r of results) {
    for (const [key, op] of Object.entries(operations)) {
      const s = r.summary[key];
      lines.push(
        `| ${fmtInt(r.tunnels)} | ${r.runs} | ${op.label}, wall | ${fmtMs(s.tungen.ms)} | ${fmtMs(s.netplan.ms)} | ${fmtRatio(s.tungen.ms / s.netplan.ms)} |`,
      );
    }
    for (const [key, op] of Object.entries(operations)) {
      if (key === 'emitAgain') continue;
      const s = r.summary[key];
      lines.push(
        `| ${fmtInt(r.tunnels)} | ${r.runs} | ${op.label}, peak RSS | ${fmtMiB(s.tungen.rssKiB)} | ${fmtMiB(s.netplan.rssKiB)} | ${fmtRatio(s.tungen.rssKiB / s.netplan.rssKiB)} |`,
      );
    }
  }
  lines.push('');

  lines.push('Same tunnels in both outputs (per interface: Kind, Local, Remote, TTL, Address):');
  for (const r of results) {
    const e = r.equivalence;
    lines.push(
      `- ${fmtInt(r.tunnels)}: ${e.same ? `identical for all ${fmtInt(e.tunnels)} tunnels` : `${e.differenceCount} differences, e.g. ${e.differences.slice(0, 3).join('; ')}`}`,
    );
  }
  const first = results[0]?.equivalence;
  if (first) {
    lines.push(`- other keys only tungen writes: ${first.otherKeys.tungenOnly.join(', ') || 'none'}`);
    lines.push(`- other keys only netplan writes: ${first.otherKeys.netplanOnly.join(', ') || 'none'}`);
    lines.push('  (booleans compared as networkd reads them: Independent=yes and Independent=true match)');
  }
  lines.push('');

  const bySize = new Map(results.map((r) => [r.tunnels, r]));
  const targets = [];
  const at2k = bySize.get(2000);
  const at20k = bySize.get(20000);
  if (at2k) {
    const ratio = at2k.summary.emitFresh.tungen.ms / at2k.summary.emitFresh.netplan.ms;
    targets.push({
      name: 'emit 2,000 tunnels, tungen/netplan wall time <= 1.0',
      value: fmtRatio(ratio),
      met: ratio <= 1.0,
    });
  }
  const coldRatio = cold.tungenMedianMs / cold.nodeMedianMs;
  targets.push({
    name: `validate ${coldSize} tunnels, cold process on ${cold.filesystem}, tungen / \`node -e 0\` <= 2.0`,
    value: fmtRatio(coldRatio),
    met: coldRatio <= 2.0,
  });
  if (fast) {
    const ratio = fast.tungen.ms / fast.netplan.ms;
    targets.push({
      name: `emit --out ${fmtInt(fast.tunnels)} tunnels on ${fast.filesystem}, tungen/netplan wall time <= 1.5`,
      value: fmtRatio(ratio),
      met: ratio <= 1.5,
    });
  }
  let perTunnel;
  const base = bySize.get(Math.min(...sizes));
  if (at2k && at20k && base && base.tunnels < 2000) {
    // Whole-process time over tunnels, and the same with the smallest size's
    // time taken off (start-up and other fixed costs), which shows growth
    // faster than linear instead of hiding it behind the start-up.
    const t = (r) => r.summary.emitFresh.tungen.ms;
    const plain = { at2000: t(at2k) / 2000, at20000: t(at20k) / 20000 };
    const marginal = {
      at2000: (t(at2k) - t(base)) / (2000 - base.tunnels),
      at20000: (t(at20k) - t(base)) / (20000 - base.tunnels),
    };
    perTunnel = {
      plainMs: { ...plain, ratio: plain.at20000 / plain.at2000 },
      marginalMs: { ...marginal, ratio: marginal.at20000 / marginal.at2000, baseTunnels: base.tunnels },
    };
    const ratio = perTunnel.marginalMs.ratio;
    targets.push({
      name: `emit time per tunnel, 20,000 vs 2,000, start-up excluded, ratio <= 1.5`,
      value: fmtRatio(ratio),
      met: ratio <= 1.5,
    });
  }
  let peak;
  if (at20k) {
    peak = Math.max(
      at20k.summary.emitFresh.tungen.maxRssKiB,
      at20k.summary.emitAgain.tungen.maxRssKiB,
      at20k.summary.validate.tungen.maxRssKiB,
    );
    targets.push({ name: 'peak RSS at 20,000 tunnels < 200 MiB', value: fmtMiB(peak), met: peak < 200 * 1024 });
  }

  const inherited =
    cold.tungenInheritedEnvMedianMs === undefined
      ? ''
      : `; tungen with NODE_EXTRA_CA_CERTS as inherited ${fmtMs(cold.tungenInheritedEnvMedianMs)}`;
  lines.push(
    `Cold-start validate, ${coldSize} tunnels on ${cold.filesystem} (whole process, median of ${cold.runs}): tungen ${fmtMs(cold.tungenMedianMs)}; \`node -e 0\` ${fmtMs(cold.nodeMedianMs)} (ratio ${fmtRatio(cold.tungenMedianMs / cold.nodeMedianMs)}); netplan parser ${fmtMs(cold.netplanMedianMs)}${inherited}`,
  );
  if (fast) {
    lines.push(
      `emit --out ${fmtInt(fast.tunnels)} tunnels on ${fast.filesystem} (median of ${fast.runs}): tungen ${fmtMs(fast.tungen.ms)} (peak RSS ${fmtMiB(fast.tungen.rssKiB)}); netplan generate ${fmtMs(fast.netplan.ms)} (${fmtMiB(fast.netplan.rssKiB)}); ratio ${fmtRatio(fast.tungen.ms / fast.netplan.ms)}`,
    );
  }
  if (perTunnel) {
    const { plainMs: p, marginalMs: m } = perTunnel;
    const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;
    lines.push(
      `Per-tunnel emit time (tungen): ${us(m.at2000)} at 2,000, ${us(m.at20000)} at 20,000, ratio ${fmtRatio(m.ratio)}, with the ${fmtInt(m.baseTunnels)}-tunnel time taken off as start-up; whole process over tunnels: ${us(p.at2000)} and ${us(p.at20000)}, ratio ${fmtRatio(p.ratio)}`,
    );
  }
  if (peak !== undefined) {
    const np = at20k.summary.emitFresh.netplan.maxRssKiB;
    lines.push(
      `Peak RSS at 20,000 tunnels: tungen ${fmtMiB(peak)} (highest of all its runs), netplan generate ${fmtMiB(np)}`,
    );
  }
  lines.push('');
  lines.push('| target | measured | met |', '|---|---:|---|');
  for (const t of targets) lines.push(`| ${t.name} | ${t.value} | ${t.met ? 'yes' : 'NO'} |`);
  lines.push('');
  return { markdown: lines.join('\n'), targets, perTunnel, peakRssKiB: peak };
}

// ---------------------------------------------------------------- main

/**
 * A tmpfs folder for the rows that measure the tools rather than the disk: --tmpfs DIR, or
 * else (as root) a tmpfs mounted for this run under the work folder. Not /dev/shm: tungen
 * refuses to write under /dev. Without either, those rows run in the work folder, and the
 * report names its filesystem.
 */
function tmpfsFolder(work) {
  const isTmpfs = (dir) => existsSync(dir) && filesystemOf(dir) === 'tmpfs filesystem';
  if (options.tmpfs) {
    if (isTmpfs(options.tmpfs)) return { dir: options.tmpfs, release: () => {} };
    log(`${options.tmpfs} is not tmpfs: the cold-start and tmpfs rows run in the work folder`);
    return undefined;
  }
  const dir = join(work, 'tmpfs');
  mkdirSync(dir);
  const mounted =
    process.getuid?.() === 0 &&
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2g', 'tungen-bench', dir], { stdio: 'ignore' }).status === 0;
  if (mounted && isTmpfs(dir)) return { dir, release: () => spawnSync('umount', [dir], { stdio: 'ignore' }) };
  log('no tmpfs (give --tmpfs DIR, or run as root to mount one): the cold-start and tmpfs rows run in the work folder');
  return undefined;
}

ensure(gnuTime, 'time');
ensure(netplanGenerate, 'netplan.io');
if (!existsSync(python)) ensure(python, 'python3');
if (!existsSync(join(root, 'dist/cli.cjs')))
  throw new Error('dist/cli.cjs is missing: run npm run build first (npm run bench does)');
if (installed.length) log(`installed with apt-get: ${installed.join(', ')}`);

const work = mkdtempSync(join(options.dir ?? tmpdir(), 'tungen-bench-'));
try {
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const meta = {
    commit: `${commit}${git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : ''}`,
    dirShown: options.dir ? options.dir : 'the temporary folder',
    filesystem: filesystemOf(work),
    envNote: envDiffers
      ? 'NODE_EXTRA_CA_CERTS is set here and removed for the measured processes (see the cold-start line).'
      : 'Measured processes get the environment as inherited.',
    date: new Date().toISOString(),
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memKiB: Math.round(totalmem() / 1024),
    node: process.versions.node,
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    netplan: packageVersion('netplan.io'),
    installed,
    memoryMethod: 'GNU time %M: maximum resident set size of the process, KiB',
    netplanValidate: 'libnetplan parser via ctypes (bench/netplan-parse.py), python3 -I -S',
  };
  const tmpfs = tmpfsFolder(work);
  const fastWork = tmpfs ? mkdtempSync(join(tmpfs.dir, 'tungen-bench-')) : work;
  let cold;
  let fast;
  try {
    cold = coldValidate(fastWork);
    fast = tmpfsEmit(fastWork, 2000);
  } finally {
    if (fastWork !== work) rmSync(fastWork, { recursive: true, force: true });
    tmpfs?.release();
  }
  const results = sizes.map((n) => benchSize(work, n));
  meta.loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  const { markdown, targets, perTunnel, peakRssKiB } = report(results, cold, fast, meta);
  process.stdout.write(`${markdown}\n`);
  if (installed.length) process.stdout.write(`(installed with apt-get for this run: ${installed.join(', ')})\n`);
  writeFileSync(
    join(root, 'bench/results.json'),
    `${JSON.stringify({ meta, cold, fast, results, perTunnel, peakRssKiB, targets }, null, 2)}\n`,
  );
  writeFileSync(join(root, 'bench/results-latest.md'), `${markdown}\n`);
  log('wrote bench/results.json and bench/results-latest.md');
} finally {
  if (!options.keep) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}
