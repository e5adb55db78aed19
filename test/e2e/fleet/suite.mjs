// The fleet suite: three guests, each reachable by SSH on a loopback port of this machine,
// joined by one virtual wire per pair, and ansible-playbook on this machine as the controller,
// rolling tunnels out with the tungen.fleet collection. Prints one row per case, like the pair suite.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const cache = process.env.TUNGEN_E2E_CACHE || join(repo, '.cache/e2e');
const run = join(cache, 'runs/fleet');
const bootTimeoutS = Number(process.env.TUNGEN_E2E_BOOT_TIMEOUT ?? 300);

/**
 * @typedef {{ inventory: string; spec: string; underlay: string; target: string; index: number; dir: string;
 *   mgmtMac: string; sshPort: number }} Guest
 */

/**
 * The guests. The third one's inventory name differs from its spec name, so every run maps
 * hosts through tungen_host; each target has at least one host. sshPort is chosen at start.
 * @type {Guest[]}
 */
const guests = [
  { inventory: 'node-a', spec: 'node-a', underlay: '10.9.100.1', target: 'networkd' },
  { inventory: 'node-b', spec: 'node-b', underlay: '10.9.100.2', target: 'ifupdown' },
  { inventory: 'gw-c', spec: 'node-c', underlay: '10.9.100.3', target: 'networkd' },
].map((g, index) => ({
  ...g,
  index,
  dir: join(run, g.inventory),
  mgmtMac: `52:54:00:e2:f2:0${index + 1}`,
  sshPort: 0,
}));
/** @param {number} index */
const guestAt = (index) => guests[index] ?? assertNever(`no guest ${index}`);
/** @param {string} inventory */
const guestNamed = (inventory) => guests.find((g) => g.inventory === inventory) ?? assertNever(`no guest ${inventory}`);
/**
 * @param {string} message
 * @returns {never}
 */
function assertNever(message) {
  throw new Error(message);
}
/**
 * One wire per pair of guests: the first of the pair listens, the second connects.
 * @type {[number, number][]}
 */
const wires = [
  [0, 1],
  [0, 2],
  [1, 2],
];
/** The MAC of guest g's NIC on its wire to guest peer. */
const wireMac = (g, peer) => `52:54:00:e2:f1:${g + 1}${peer + 1}`;

const log = (...parts) => console.log(`[fleet ${new Date().toISOString().slice(11, 19)}]`, ...parts);

/**
 * Runs a command without a shell; the transcript goes to commands.log in the run folder.
 * @param {string[]} argv
 * @param {{ env?: Record<string, string>; cwd?: string; timeoutS?: number }} [options]
 * @returns {Promise<{ code: number; stdout: string; stderr: string }>}
 */
function exec(argv, { env, cwd, timeoutS = 900 } = {}) {
  return new Promise((done) => {
    const [command = '', ...args] = argv;
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: 127, stdout, stderr: String(error) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      appendFileSync(join(run, 'commands.log'), `$ ${argv.join(' ')}\n${stdout}${stderr}[exit ${code}]\n`);
      done({ code: code ?? 1, stdout, stderr });
    });
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((ok) => server.close(ok));
  return port;
}

function kernelFiles() {
  const current = join(cache, 'current');
  const boot = join(current, 'boot');
  const vmlinuz = existsSync(boot) ? readdirSync(boot).find((n) => n.startsWith('vmlinuz-')) : undefined;
  if (!vmlinuz) throw new Error(`no kernel in ${current}: run test/e2e/vm/prepare.sh first`);
  return { kernel: join(boot, vmlinuz), initrd: join(current, 'initramfs.gz'), modules: join(current, 'lib/modules') };
}

// ---------------------------------------------------------------- guests

const qemu = new Map();
let kernel;
let wirePorts;

function qemuArgs(g) {
  const nics = [];
  wires.forEach(([a, b], w) => {
    if (a !== g.index && b !== g.index) return;
    const peer = a === g.index ? b : a;
    const end = a === g.index ? `listen=127.0.0.1:${wirePorts[w]}` : `connect=127.0.0.1:${wirePorts[w]}`;
    nics.push(
      '-netdev',
      `socket,id=w${w},${end}`,
      '-device',
      `virtio-net-pci,netdev=w${w},mac=${wireMac(g.index, peer)}`,
    );
  });
  // Only SSH from this machine's loopback reaches the guest; restrict=on keeps the guest off every other network.
  nics.push(
    '-netdev',
    `user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:${g.sshPort}-:22`,
    '-device',
    `virtio-net-pci,netdev=mgmt,mac=${g.mgmtMac}`,
  );
  // no_timer_check: on a busy host the emulated timer can miss the kernel's boot-time check, which then panics.
  const append = `console=ttyS0 panic=1 no_timer_check systemd.unit=multi-user.target e2e.env.TUNGEN_REPO=${repo} e2e.env.E2E_DIR=/e2e`;
  return [
    ...['-accel', 'tcg', '-m', '768', '-smp', '1', '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot'],
    ...['-kernel', kernel.kernel, '-initrd', kernel.initrd, '-append', append, '-serial', `file:${g.dir}/console.log`],
    ...['-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap'],
    ...['-virtfs', `local,path=${kernel.modules},mount_tag=modules,security_model=none,readonly=on`],
    ...['-virtfs', `local,path=${g.dir},mount_tag=e2e,security_model=none`],
    ...['-nic', 'none', ...nics],
  ];
}

function prepareGuestDir(g) {
  mkdirSync(g.dir, { recursive: true });
  for (const name of ['ready', 'stop', 'rc', 'run.log', 'journal.log', 'console.log', 'sshd.log'])
    rmSync(join(g.dir, name), { force: true });
  writeFileSync(join(g.dir, 'hostname'), `${g.spec}\n`);
  const links = wires
    .filter(([a, b]) => a === g.index || b === g.index)
    .map(([a, b]) => {
      const peer = a === g.index ? b : a;
      return `${wireMac(g.index, peer)}=${guestAt(peer).underlay}`;
    });
  writeFileSync(
    join(g.dir, 'fleet.env'),
    `UNDERLAY=${g.underlay}\nLINKS="${links.join(' ')}"\nMGMT_MAC=${g.mgmtMac}\n`,
  );
  writeFileSync(join(g.dir, 'run.sh'), `#!/bin/bash\nexec bash "$TUNGEN_REPO/test/e2e/fleet/guest.sh"\n`, {
    mode: 0o755,
  });
  writeFileSync(join(g.dir, 'authorized_keys'), readFileSync(join(run, 'id_ed25519.pub')));
  writeFileSync(join(g.dir, 'ssh_host_ed25519_key'), readFileSync(join(run, 'host_key')), { mode: 0o600 });
}

async function listening(port) {
  const { stdout } = await exec(['ss', '-Htln', `sport = :${port}`]);
  return stdout.trim() !== '';
}

/** A QEMU killed by a signal has no exit code, only a signal code. */
const exited = (child) => child.exitCode !== null || child.signalCode !== null;

/** Starts a guest's QEMU; returns once the wires it listens on are bound, so its peers can connect. */
async function startGuest(g) {
  prepareGuestDir(g);
  const child = spawn('qemu-system-x86_64', qemuArgs(g), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const ended = new Promise((ok) => child.on('exit', () => ok(output)));
  qemu.set(g.inventory, { child, ended });
  const listens = wires.map(([a], w) => (a === g.index ? wirePorts[w] : undefined)).filter(Boolean);
  const deadline = Date.now() + 20_000;
  for (const port of listens) {
    while (!(await listening(port))) {
      if (exited(child) || Date.now() > deadline)
        throw new Error(`QEMU of ${g.inventory} did not listen on ${port}: ${output.trim()}`);
      await sleep(100);
    }
  }
}

/** Pauses or resumes a guest's QEMU: while paused, nothing in the guest runs and SSH to it times out. */
function pauseGuest(g, paused) {
  // An SSH connection kept open to a paused guest would wait forever instead of timing out:
  // drop every shared connection (ansible's and the suite's), so new ones are made.
  if (paused)
    for (const dir of ['cp', 'cps']) for (const name of readdirSync(join(run, dir))) rmSync(join(run, dir, name));
  qemu.get(g.inventory)?.child.kill(paused ? 'SIGSTOP' : 'SIGCONT');
}

const sshOptions = (g) => [
  ...['-p', String(g.sshPort), '-i', join(run, 'id_ed25519'), '-o', `UserKnownHostsFile=${join(run, 'known_hosts')}`],
  ...['-o', 'StrictHostKeyChecking=yes', '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5'],
  // One connection per guest for all the suite's commands: a key exchange costs seconds in an emulated guest.
  ...['-o', 'LogLevel=ERROR', '-o', 'ControlMaster=auto', '-o', `ControlPath=${join(run, 'cps')}/%C`],
  ...['-o', 'ControlPersist=300'],
];
const ssh = (g, command) => exec(['ssh', ...sshOptions(g), 'root@127.0.0.1', command], { timeoutS: 120 });

async function waitForSsh(g) {
  const deadline = Date.now() + bootTimeoutS * 1000;
  while (Date.now() < deadline) {
    if (!qemu.has(g.inventory) || exited(qemu.get(g.inventory).child))
      throw new Error(`${g.inventory} stopped while booting (see ${g.dir}/console.log)`);
    if (existsSync(join(g.dir, 'ready')) && (await ssh(g, 'true')).code === 0) return;
    await sleep(2000);
  }
  throw new Error(`${g.inventory}: no SSH after ${bootTimeoutS} s (see ${g.dir}/console.log)`);
}

// ---------------------------------------------------------------- the spec and ansible

/**
 * A triangle of three modes: gre with a key (networkd - ifupdown), ipip (ifupdown - networkd), sit (networkd - networkd).
 * @param {{ key?: number; without?: string[] }} [options]
 */
function triangle({ key = 42, without = [] } = {}) {
  const tunnels = [
    { name: 'gk1', mode: 'gre', key, ends: [end('node-a', '10.20.1.1/30'), end('node-b', '10.20.1.2/30')] },
    { name: 'ip1', mode: 'ipip', ends: [end('node-b', '10.20.2.1/30'), end('node-c', '10.20.2.2/30')] },
    { name: 'st1', mode: 'sit', ends: [end('node-a', 'fd00:20:3::1/64'), end('node-c', 'fd00:20:3::2/64')] },
  ];
  return {
    version: 1,
    hosts: Object.fromEntries(guests.map((g) => [g.spec, { underlay: g.underlay }])),
    tunnels: tunnels.filter((t) => !without.includes(t.name)),
  };
}
const end = (host, address) => ({ host, addresses: [address] });
const specFile = () => join(run, 'fleet.json');
const writeSpec = (spec) => writeFileSync(specFile(), `${JSON.stringify(spec, null, 2)}\n`);

function writeAnsibleFiles() {
  const inventory = {
    all: {
      vars: {
        ansible_user: 'root',
        ansible_host: '127.0.0.1',
        ansible_ssh_private_key_file: join(run, 'id_ed25519'),
        ansible_ssh_common_args: `-o UserKnownHostsFile=${join(run, 'known_hosts')} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes`,
        ansible_python_interpreter: '/usr/bin/python3',
      },
      hosts: Object.fromEntries(
        guests.map((g) => [
          g.inventory,
          {
            ansible_port: g.sshPort,
            tungen_target: g.target,
            tungen_underlay: g.underlay,
            ...(g.spec !== g.inventory && { tungen_host: g.spec }),
          },
        ]),
      ),
    },
  };
  writeFileSync(join(run, 'inventory.yml'), `${JSON.stringify(inventory, null, 2)}\n`);
  // The same hosts plus one the spec does not know.
  /** @type {Record<string, object>} */
  const hosts = inventory.all.hosts;
  hosts['stray'] = { ansible_port: guestAt(0).sshPort };
  writeFileSync(join(run, 'inventory-stray.yml'), `${JSON.stringify(inventory, null, 2)}\n`);
  const playbook = [
    {
      name: "Roll the fleet's tunnels out",
      hosts: 'all',
      gather_facts: false,
      roles: [
        {
          role: 'tungen.fleet.rollout',
          vars: {
            tungen_spec: specFile(),
            tungen_command: ['node', join(repo, 'bin/tungen.js')],
            tungen_strict: true,
            tungen_verify_count: 2,
          },
        },
      ],
    },
  ];
  writeFileSync(join(run, 'playbook.yml'), `${JSON.stringify(playbook, null, 2)}\n`);
}

let playbookRuns = 0;
/** Runs the playbook; returns its exit code, output and the recap by inventory host. */
async function playbook(label, extra = [], inventory = 'inventory.yml') {
  const number = String(++playbookRuns).padStart(2, '0');
  const result = await exec(['ansible-playbook', '-i', join(run, inventory), join(run, 'playbook.yml'), ...extra], {
    cwd: run,
    env: {
      ANSIBLE_COLLECTIONS_PATH: join(run, 'collection/collections'),
      ANSIBLE_PIPELINING: 'True',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
      ANSIBLE_RETRY_FILES_ENABLED: 'False',
      ANSIBLE_SSH_CONTROL_PATH_DIR: join(run, 'cp'),
      ANSIBLE_LOCAL_TEMP: join(run, 'tmp'),
      ANSIBLE_TIMEOUT: '10',
      // The log file has a timestamp on each line: where a run's time goes.
      ANSIBLE_LOG_PATH: join(run, 'ansible.log'),
    },
  });
  const output = result.stdout + result.stderr;
  writeFileSync(join(run, `playbook-${number}-${label}.log`), `$ ansible-playbook ${extra.join(' ')}\n${output}`);
  /** @type {Record<string, Record<string, number>>} */
  const recap = {};
  const lines = [];
  for (const line of output.split('\n')) {
    const match = /^(\S+)\s+:\s+(ok=.*)$/.exec(line.trim());
    if (!match) continue;
    const [, host = '', counts = ''] = match;
    recap[host] = Object.fromEntries(
      counts
        .split(/\s+/)
        .map((kv) => kv.split('='))
        .map(([k, v]) => [k, Number(v)]),
    );
    lines.push(line.trim().replace(/\s+/g, ' '));
  }
  log(`playbook ${label}: exit ${result.code}\n  ${lines.join('\n  ')}`);
  recaps.push({ label, code: result.code, lines });
  return { code: result.code, output, recap };
}
const recaps = [];

/** One problem per host whose recap does not match `want` (e.g. {changed: (n) => n > 0, failed: 0}). */
function recapProblems(recap, want) {
  /** @type {string[]} */
  const problems = [];
  for (const [host, fields] of Object.entries(want)) {
    const found = recap[host];
    if (!found) {
      problems.push(`${host}: not in the recap`);
      continue;
    }
    for (const [field, expected] of Object.entries(fields)) {
      const ok = typeof expected === 'function' ? expected(found[field]) : found[field] === expected;
      if (!ok) problems.push(`${host}: ${field}=${found[field]}`);
    }
  }
  return problems;
}
const positive = (n) => n > 0;
const everyHost = (fields) => Object.fromEntries(guests.map((g) => [g.inventory, fields]));

// ---------------------------------------------------------------- checks made over SSH, not through the role

/** Pings each tunnel's peer from each of its ends; returns one problem per direction without replies. */
async function traffic(spec, hosts = guests) {
  const problems = await Promise.all(
    hosts.map(async (g) => {
      // All of a host's pings in one SSH session, at once; a link changed a moment ago gets three tries.
      const pings = spec.tunnels.flatMap((tunnel) => {
        const mine = tunnel.ends.findIndex((e) => e.host === g.spec);
        if (mine < 0) return [];
        const peer = tunnel.ends[1 - mine].addresses[0].split('/')[0];
        const ping = `ping ${peer.includes(':') ? '-6 ' : ''}-c 2 -W 3 -I ${tunnel.name} ${peer}`;
        const out = `/tmp/fleet-ping-${tunnel.name}`;
        return [
          `(for i in 1 2 3; do ${ping} >${out} 2>&1 && exit 0; done; echo "${g.inventory} -> ${peer} through ${tunnel.name}: $(tail -n 1 ${out})") &`,
        ];
      });
      if (!pings.length) return [];
      const { code, stdout, stderr } = await ssh(g, `${pings.join(' ')} wait`);
      if (code !== 0) return [`${g.inventory}: ssh exited ${code}: ${stderr.trim()}`];
      return stdout.split('\n').filter(Boolean);
    }),
  );
  return problems.flat();
}

async function linkData(g, name) {
  const { code, stdout } = await ssh(g, `ip -details -json link show dev ${name}`);
  if (code !== 0) return undefined;
  return JSON.parse(stdout)[0]?.linkinfo?.info_data ?? {};
}

async function tungenFiles(g) {
  const { stdout } = await ssh(
    g,
    'ls /etc/systemd/network /etc/network/interfaces.d 2>/dev/null | grep tungen || true',
  );
  return stdout.split('\n').filter(Boolean);
}

// ---------------------------------------------------------------- cases

const rows = [];
/**
 * Runs one case: it returns its problems, or one line starting "ok: " when it passed.
 * @param {string} name
 * @param {() => string[] | Promise<string[]>} body
 */
async function testCase(name, body) {
  const started = Date.now();
  let ok = false;
  let detail = '';
  try {
    const problems = await body();
    ok = problems.length === 0 || (problems.length === 1 && problems[0]?.startsWith('ok: ') === true);
    detail = problems.join('; ');
  } catch (error) {
    detail = error.message;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  rows.push({ case: name, ok, detail: ok ? detail.replace(/^ok: /, '') : detail, seconds });
  log(ok ? 'PASS' : 'FAIL', name, detail);
  return ok;
}

async function cases() {
  const a = guestNamed('node-a');
  const b = guestNamed('node-b');
  const c = guestNamed('gw-c');

  writeSpec(triangle());
  await testCase('first run: triangle gre+key, ipip, sit', async () => {
    const { code, recap, output } = await playbook('first');
    const problems = recapProblems(recap, everyHost({ changed: positive, failed: 0, unreachable: 0 }));
    if (code !== 0) problems.push(`ansible-playbook exited ${code}`);
    if (!/Ping through each tunnel/.test(output)) problems.push('the role did not verify');
    problems.push(...(await traffic(triangle())));
    const files = await tungenFiles(b);
    if (!files.includes('tungen-gk1')) problems.push(`node-b (ifupdown) has no tungen-gk1: ${files.join(' ')}`);
    return problems.length ? problems : ['ok: every host changed, 6 directions ping'];
  });

  await testCase('second run: changed=0 everywhere', async () => {
    const { code, recap } = await playbook('second');
    const problems = recapProblems(recap, everyHost({ changed: 0, failed: 0, unreachable: 0 }));
    if (code !== 0) problems.push(`ansible-playbook exited ${code}`);
    return problems;
  });

  await testCase('host mapping: unknown play host, strict', async () => {
    const stray = await playbook('stray', ['--check'], 'inventory-stray.yml');
    const problems = recapProblems(stray.recap, {
      stray: { failed: 1 },
      'node-a': { failed: 0, changed: 0 },
      'gw-c': { failed: 0, changed: 0 },
    });
    // The message is inside the task's JSON result, so its quotes are escaped.
    if (!/inventory host stray is spec host \\?"stray\\?", which/.test(stray.output))
      problems.push('no message naming the stray host');
    const strict = await playbook('strict', ['--limit', 'node-a,node-b']);
    problems.push(...recapProblems(strict.recap, { 'node-a': { failed: 1 } }).map((p) => `strict: ${p}`));
    if (strict.code === 0) problems.push('strict: ansible-playbook exited 0');
    if (!/names hosts that are not in the play: node-c/.test(strict.output)) problems.push('strict: node-c not named');
    if (/Install the files/.test(strict.output)) problems.push('strict: a host went on to install files');
    return problems.length ? problems : ['ok: stray fails alone, named; strict stops the play naming node-c'];
  });

  writeSpec(triangle({ key: 43 }));
  await testCase('--check --diff: key 42 -> 43', async () => {
    const { code, recap, output } = await playbook('check-key', ['--check', '--diff']);
    const problems = recapProblems(recap, {
      'node-a': { changed: 1, failed: 0 },
      'node-b': { changed: 1, failed: 0 },
      'gw-c': { changed: 0, failed: 0 },
    });
    if (code !== 0) problems.push(`ansible-playbook exited ${code}`);
    for (const named of [
      '/etc/systemd/network/10-tungen-gk1.netdev',
      '/etc/network/interfaces.d/tungen-gk1',
      'link gk1 (recreate',
    ])
      if (!output.includes(named)) problems.push(`the diff does not name ${named}`);
    if (!/^\+ikey 0\.0\.0\.43$/m.test(output)) problems.push('the link diff does not show ikey 0.0.0.43');
    for (const g of [a, b]) {
      const data = await linkData(g, 'gk1');
      if (data?.ikey !== '0.0.0.42') problems.push(`${g.inventory}: kernel has ikey ${data?.ikey} after --check`);
    }
    return problems.length ? problems : ['ok: diff names both files and link gk1; kernels keep 0.0.0.42'];
  });

  await testCase('apply the new key', async () => {
    const { code, recap } = await playbook('apply-key');
    const problems = recapProblems(recap, {
      'node-a': { changed: positive, failed: 0 },
      'node-b': { changed: positive, failed: 0 },
      'gw-c': { changed: 0, failed: 0 },
    });
    if (code !== 0) problems.push(`ansible-playbook exited ${code}`);
    for (const g of [a, b]) {
      const data = await linkData(g, 'gk1');
      if (data?.ikey !== '0.0.0.43' || data?.okey !== '0.0.0.43')
        problems.push(`${g.inventory}: kernel has ikey ${data?.ikey} okey ${data?.okey}`);
    }
    problems.push(...(await traffic(triangle({ key: 43 }), [a, b])));
    return problems.length ? problems : ['ok: ikey/okey 0.0.0.43 on both ends, gk1 pings both ways'];
  });

  await testCase('rollback: a change to one end only', async () => {
    // Only node-a gets key 44, so gk1 carries nothing; the role must put node-a back on 43.
    writeSpec(triangle({ key: 44 }));
    const { code, recap, output } = await playbook('rollback', [
      '--limit',
      'node-a',
      '-e',
      '{"tungen_strict": false, "tungen_rollback": true, "tungen_verify_timeout": 10}',
    ]);
    writeSpec(triangle({ key: 43 }));
    const problems = recapProblems(recap, { 'node-a': { failed: 1, rescued: 1 } });
    if (code === 0) problems.push('ansible-playbook exited 0');
    if (!/gk1\s+gre\s+node-b\s+FAIL/.test(output)) problems.push('no per-tunnel table naming gk1 as FAIL');
    if (!output.includes('the previous files and links are back')) problems.push('no word of the rollback');
    const data = await linkData(a, 'gk1');
    if (data?.ikey !== '0.0.0.43') problems.push(`node-a: kernel has ikey ${data?.ikey} after the rollback`);
    problems.push(...(await traffic(triangle({ key: 43 }), [a])));
    return problems.length ? problems : ['ok: verify failed on gk1, node-a back on 0.0.0.43, traffic passes'];
  });

  // This run also takes the spec's hosts section from the inventory (each host's tungen_underlay):
  // node-b, whose tunnels did not change, must find its files exactly as they are.
  const { hosts: _, ...hostless } = triangle({ key: 43, without: ['st1'] });
  writeSpec(hostless);
  await testCase('remove tunnel st1 (hosts from the inventory)', async () => {
    const { code, recap } = await playbook('remove', ['-e', '{"tungen_hosts_from_inventory": true}']);
    const problems = recapProblems(recap, {
      'node-a': { changed: positive, failed: 0 },
      'node-b': { changed: 0, failed: 0 },
      'gw-c': { changed: positive, failed: 0 },
    });
    if (code !== 0) problems.push(`ansible-playbook exited ${code}`);
    for (const g of [a, c]) {
      const left = (await tungenFiles(g)).filter((f) => f.includes('st1'));
      if (left.length) problems.push(`${g.inventory} still has ${left.join(' ')}`);
      if ((await linkData(g, 'st1')) !== undefined) problems.push(`${g.inventory} still has link st1`);
    }
    return problems.length ? problems : ['ok: files and link st1 gone on node-a and gw-c'];
  });

  writeSpec(triangle({ key: 43, without: ['st1'] }));
  await testCase('broken by hand: ip link del gk1 on both ends', async () => {
    // node-a has networkd (which must build the netdev again), node-b ifupdown (which still thinks it is up).
    /** @type {string[]} */
    /** @type {string[]} */
    const problems = [];
    for (const g of [a, b]) {
      const deleted = await ssh(g, 'ip link del dev gk1');
      if (deleted.code !== 0) problems.push(`${g.inventory}: ip link del failed: ${deleted.stderr.trim()}`);
    }
    const want = {
      'node-a': { changed: 1, failed: 0 },
      'node-b': { changed: 1, failed: 0 },
      'gw-c': { changed: 0, failed: 0 },
    };
    const check = await playbook('broken-check', ['--check', '--diff']);
    problems.push(...recapProblems(check.recap, want).map((p) => `--check: ${p}`));
    const named = check.output.split('link gk1 (create: missing from the kernel)').length - 1;
    if (named !== 2) problems.push(`--check names the missing gk1 ${named} times, not 2`);
    for (const g of [a, b])
      if ((await linkData(g, 'gk1')) !== undefined) problems.push(`--check recreated gk1 on ${g.inventory}`);
    const repair = await playbook('broken-repair');
    problems.push(...recapProblems(repair.recap, want).map((p) => `repair: ${p}`));
    problems.push(...(await traffic(triangle({ key: 43, without: ['st1'] }), [a, b])));
    return problems.length
      ? problems
      : ['ok: --check names gk1 on both and changes nothing; the run recreates both; gk1 pings both ways'];
  });

  // The guest is stopped by pausing its QEMU (SIGSTOP): SSH to it times out, as to a machine that is
  // off, and it comes back with its state, so the rerun has exactly the change it missed. (A fresh
  // machine converging is what the first run shows.)
  writeSpec(triangle({ key: 43 }));
  await testCase('gw-c stopped while st1 comes back; then gw-c is back', async () => {
    pauseGuest(c, true);
    const down = await playbook('guest-down');
    const problems = recapProblems(down.recap, {
      'node-a': { changed: positive, failed: 0, unreachable: 0 },
      'node-b': { changed: 0, failed: 0, unreachable: 0 },
      'gw-c': { unreachable: 1 },
    });
    if (down.code === 0) problems.push('ansible-playbook exited 0 with a host unreachable');
    if (!/st1\s+sit\s+node-c\s+skip/.test(down.output)) problems.push("node-a's table does not skip st1");
    if (!/ip1\s+ipip\s+node-c\s+skip/.test(down.output)) problems.push("node-b's table does not skip ip1");
    pauseGuest(c, false);
    await waitForSsh(c);
    const back = await playbook('guest-back');
    problems.push(
      ...recapProblems(back.recap, {
        'node-a': { changed: 0, failed: 0 },
        'node-b': { changed: 0, failed: 0 },
        'gw-c': { changed: positive, failed: 0, unreachable: 0 },
      }).map((p) => `rerun: ${p}`),
    );
    if (back.code !== 0) problems.push(`rerun exited ${back.code}`);
    problems.push(...(await traffic(triangle({ key: 43 }))));
    return problems.length
      ? problems
      : ['ok: gw-c unreachable, the others finished; back, the rerun gave it st1; every tunnel pings'];
  });
}

// ---------------------------------------------------------------- main

function printTable() {
  const header = ['case', 'result', 's', 'detail'];
  const cells = rows.map((r) => [r.case, r.ok ? 'pass' : 'FAIL', r.seconds, r.detail]);
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i < widths.length ? v.padEnd(widths[i]) : v)).join('  ');
  console.log(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)).concat('------'))}`);
  for (const c of cells) console.log(line(c));
}

async function main() {
  const started = Date.now();
  rmSync(run, { recursive: true, force: true });
  mkdirSync(join(run, 'cp'), { recursive: true });
  mkdirSync(join(run, 'cps'), { recursive: true });
  mkdirSync(join(run, 'tmp'), { recursive: true });
  kernel = kernelFiles();
  for (const key of ['id_ed25519', 'host_key'])
    await exec(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'tungen-fleet-e2e', '-f', join(run, key)]);
  wirePorts = await Promise.all(wires.map(() => freePort()));
  for (const g of guests) g.sshPort = await freePort();
  const hostKey = readFileSync(join(run, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(join(run, 'known_hosts'), guests.map((g) => `[127.0.0.1]:${g.sshPort} ${hostKey}\n`).join(''));
  writeAnsibleFiles();

  // The collection is built and linted while the guests boot.
  const lint = exec(['bash', join(here, 'lint.sh'), join(run, 'collection')], { timeoutS: 600 });
  const bootStarted = Date.now();
  try {
    for (const g of guests) await startGuest(g);
    log(`guests started: ssh ports ${guests.map((g) => `${g.inventory}=${g.sshPort}`).join(' ')}`);
    const linted = await lint;
    await testCase('collection: build, ansible-lint production, syntax-check', () => {
      if (linted.code === 0)
        return ['ok: ' + (/Passed with production profile[^\n]*/.exec(linted.stdout + linted.stderr)?.[0] ?? '')];
      return [
        `lint.sh exited ${linted.code}: ${(linted.stdout + linted.stderr).trim().split('\n').slice(-5).join(' | ')}`,
      ];
    });
    const booted = await testCase('three guests boot, SSH on loopback ports', async () => {
      await Promise.all(guests.map((g) => waitForSsh(g)));
      return [`ok: in ${((Date.now() - bootStarted) / 1000).toFixed(0)} s`];
    });
    if (booted && rows[0].ok) await cases();
  } finally {
    for (const g of guests.filter((guest) => qemu.has(guest.inventory))) {
      pauseGuest(g, false);
      writeFileSync(join(g.dir, 'stop'), '');
    }
    const deadline = Date.now() + 60_000;
    for (const g of guests) {
      const entry = qemu.get(g.inventory);
      if (!entry) continue;
      const timer = setTimeout(() => entry.child.kill('SIGKILL'), Math.max(0, deadline - Date.now()));
      await entry.ended;
      clearTimeout(timer);
    }
  }
  printTable();
  console.log('\nrecap lines per playbook run:');
  for (const r of recaps) console.log(`  ${r.label} (exit ${r.code})\n    ${r.lines.join('\n    ')}`);
  const failed = rows.filter((r) => !r.ok).length;
  console.log(`\nfleet wall time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (failed) console.log(`logs kept in ${run}: playbook-*.log commands.log */console.log`);
  console.log(`fleet: ${rows.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

process.exitCode = await main().catch((error) => {
  console.error(`fleet: ${error.message}`);
  return 2;
});
