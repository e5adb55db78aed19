// Runs inside a test guest: applies real specs with the real tungen CLI,
// verifies them with pings through every tunnel, and records one result per
// case in /e2e/results.json for the host to tabulate.
import { execFile as execFileCb, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { createBarrier } from './barrier.mjs';
import { allModes, ipv6Underlay, newModes, routed, sitAddress, vtiAddress, xfrmCommands } from './specs.mjs';

const execFile = promisify(execFileCb);
const { values: args } = parseArgs({ options: { role: { type: 'string' }, target: { type: 'string' } } });
/** @returns {never} */
const usage = () => {
  throw new Error('usage: cases.mjs --role a|b --target networkd|ifupdown');
};
const role = args.role === 'a' || args.role === 'b' ? args.role : usage();
const target = args.target ?? usage();
const repo = process.env.TUNGEN_REPO ?? '';
if (!repo) throw new Error('TUNGEN_REPO must name the tungen checkout inside the guest');
const underlayIf = process.env.UNDERLAY_IF ?? 'eth0';
const outDir = process.env.E2E_DIR ?? '/e2e';
const tungen = join(repo, 'bin/tungen.js');
const host = role === 'a' ? 'host-a' : 'host-b';
const [myUnderlay, peerUnderlay] = role === 'a' ? ['10.9.29.68', '10.9.142.136'] : ['10.9.142.136', '10.9.29.68'];
const configDir = target === 'networkd' ? '/etc/systemd/network' : '/etc/network/interfaces.d';
const fileOf = (name) => join(configDir, target === 'networkd' ? `10-tungen-${name}.netdev` : `tungen-${name}`);

const results = [];
const log = (...parts) => console.log(`[${new Date().toISOString().slice(11, 19)} ${host} ${target}]`, ...parts);

/**
 * @param {string[]} argv
 * @param {{ allowFail?: boolean, env?: NodeJS.ProcessEnv }} [options]
 */
async function run(argv, { allowFail = false, env } = {}) {
  log('$', argv.join(' '));
  try {
    const { stdout, stderr } = await execFile(argv[0] ?? '', argv.slice(1), {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
      ...(env && { env }),
    });
    if (stdout.trim()) console.log(stdout.trimEnd());
    if (stderr.trim()) console.log(stderr.trimEnd());
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error.stdout?.trim()) console.log(error.stdout.trimEnd());
    if (error.stderr?.trim()) console.log(error.stderr.trimEnd());
    if (!allowFail) throw new Error(`${argv.join(' ')} exited ${error.code}`);
    return {
      code: typeof error.code === 'number' ? error.code : 1,
      signal: error.signal ?? null,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    };
  }
}

/** Case-name prefixes to run (TUNGEN_E2E_ONLY, comma-separated); the seed and all-modes set-up always run. */
const only = (process.env.TUNGEN_E2E_ONLY ?? '').split(',').filter(Boolean);
const selected = (name) =>
  !only.length || /^(seed|all modes):/.test(name) || only.some((prefix) => name.startsWith(prefix));

/** Records a case; a thrown error or a false `ok` fails it with its detail. */
async function testCase(name, body) {
  if (!selected(name)) return;
  const started = Date.now();
  let ok = false;
  let detail = '';
  try {
    const outcome = await body();
    ok = outcome.ok;
    detail = outcome.detail ?? '';
  } catch (error) {
    detail = error.message;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ case: name, host, target, ok, detail, seconds });
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
  log(ok ? 'PASS' : 'FAIL', name, detail);
}

function writeSpec(name, spec) {
  const path = `/tmp/${name}.json`;
  writeFileSync(path, JSON.stringify(spec, null, 2));
  return path;
}

/** Applies a spec; never throws, so a failing guest still reaches the next barrier and the peer does not hang. */
async function apply(spec) {
  const { code } = await run(['node', tungen, '-c', spec, 'apply', '--target', target, '--host', host], {
    allowFail: true,
  });
  return code === 0 ? '' : ` apply exited ${code};`;
}

/** Verify with pings; the JSON report becomes one row per tunnel. */
async function verify(spec, label) {
  const { code, stdout } = await run(
    ['node', tungen, '-c', spec, 'verify', '--host', host, '--json', '--count', '3', '--timeout', '60'],
    { allowFail: true },
  );
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return { ok: false, detail: `verify printed no JSON (exit ${code})` };
  }
  const tunnels = report.tunnels ?? report;
  const failed = (Array.isArray(tunnels) ? tunnels : []).filter((t) => !t.ok);
  const detail = failed.map((t) => `${t.name ?? t.tunnel}: ${(t.failures ?? t.problems ?? []).join('; ')}`).join(' | ');
  return { ok: code === 0 && failed.length === 0, detail: `${label}${detail ? ` ${detail}` : ''}`, tunnels };
}

const linkInfo = async (name) => JSON.parse((await run(['ip', '-d', '-j', 'link', 'show', 'dev', name])).stdout)[0];
const sha = (path) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent');

async function main() {
  await run(['ip', 'link', 'set', underlayIf, 'up']);
  await run(['ip', 'addr', 'add', `${myUnderlay}/16`, 'dev', underlayIf]);
  await run(['ip', 'addr', 'add', `${vtiAddress[role]}/16`, 'dev', underlayIf]);
  await run(['ip', 'addr', 'add', `${sitAddress[role]}/16`, 'dev', underlayIf]);
  // IPv6 underlays on the same wire; no duplicate address detection, so they are usable at once.
  for (const address of ipv6Underlay[role])
    await run(['ip', 'addr', 'add', `${address}/64`, 'dev', underlayIf, 'nodad']);
  await run(['modprobe', '-a', 'esp4', 'esp6', 'xfrm_user']);
  const barrier = await createBarrier(myUnderlay, peerUnderlay);
  await barrier.wait('start', 240);

  // The seed scenario itself, from the bundled example; the wire must show GRE.
  const seed = join(repo, 'examples/seed.yaml');
  await testCase('seed: apply + verify', async () => {
    const applied = await apply(seed);
    await barrier.wait('seed-applied');
    const capture =
      role === 'a'
        ? spawn('tcpdump', ['-lni', underlayIf, '-c', '4', 'proto gre'], { stdio: ['ignore', 'pipe', 'ignore'] })
        : undefined;
    let wire = '';
    capture?.stdout.on('data', (chunk) => (wire += chunk));
    // Listen for the exit now: tcpdump -c may be done before verify is.
    const captured = capture && new Promise((resolve) => capture.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const result = await verify(seed, 'seed');
    if (capture) {
      const timer = setTimeout(() => capture.kill(), 10000);
      await captured;
      clearTimeout(timer);
      console.log(wire.trimEnd());
      if (!/GREv0.*ICMP echo request/.test(wire) || !/GREv0.*ICMP echo reply/.test(wire)) {
        result.ok = false;
        result.detail += ' no GRE-encapsulated ICMP echo request and reply on the wire';
      } else result.detail += ' (wire: GREv0 + ICMP echo request/reply)';
    }
    await barrier.wait('seed-verified');
    return { ok: result.ok && !applied, detail: applied + result.detail };
  });

  // Every mode at once; tun0 is unchanged from the seed, so its link must survive.
  const full = writeSpec('all-modes', allModes());
  await testCase('all modes: apply + verify', async () => {
    const before = (await linkInfo('tun0').catch(() => ({}))).ifindex;
    for (const argv of xfrmCommands(role)) await run(argv, { allowFail: true });
    const applied = await apply(full);
    await barrier.wait('all-applied');
    const result = await verify(full, 'all modes');
    const after = (await linkInfo('tun0').catch(() => ({}))).ifindex;
    if (applied) Object.assign(result, { ok: false, detail: applied + result.detail });
    if (before !== after) {
      result.ok = false;
      result.detail += ` unchanged tun0 was recreated (ifindex ${before} -> ${after})`;
    }
    for (const t of result.tunnels ?? [])
      results.push({
        case: `  mode ${t.mode ?? '?'} ${t.name ?? t.tunnel}`,
        host,
        target,
        ok: Boolean(t.ok),
        detail: '',
        seconds: '',
      });
    await barrier.wait('all-verified');
    return result;
  });

  // A changed key and TTL must be in force after a second apply, not just in the file.
  const changed = writeSpec('changed', allModes({ gk1: { key: 43, ttl: 32 } }));
  await testCase('changed tunnel in force', async () => {
    const applied = await apply(changed);
    await barrier.wait('changed-applied');
    const result = await verify(changed, 'changed');
    if (applied) Object.assign(result, { ok: false, detail: applied + result.detail });
    const data = (await linkInfo('gk1').catch(() => ({}))).linkinfo?.info_data ?? {};
    if (data.ikey !== '0.0.0.43' || data.ttl !== 32) {
      result.ok = false;
      result.detail += ` kernel still has ikey ${data.ikey} ttl ${data.ttl}`;
    } else result.detail += ' (kernel: ikey 0.0.0.43 ttl 32)';
    await barrier.wait('changed-verified');
    return result;
  });

  // Removing a tunnel from the spec removes its files and its link.
  const removed = writeSpec('removed', allModes({ gk1: { key: 43, ttl: 32 } }, ['ip1']));
  await testCase('removed tunnel gone', async () => {
    const applied = await apply(removed);
    const link = await run(['ip', 'link', 'show', 'dev', 'ip1'], { allowFail: true });
    const problems = applied ? [applied] : [];
    if (link.code === 0) problems.push('link ip1 still exists');
    if (existsSync(fileOf('ip1'))) problems.push(`${fileOf('ip1')} still exists`);
    await barrier.wait('removed-applied');
    const result = await verify(removed, 'removed');
    await barrier.wait('removed-verified');
    return { ok: result.ok && problems.length === 0, detail: [result.detail, ...problems].join(' ') };
  });

  // try with a change that breaks traffic (a key the peer does not use) must roll back exactly.
  await testCase('try rolls back a broken change', async () => {
    if (role !== 'a') {
      await barrier.wait('try-done', 400);
      return verify(removed, 'after peer try');
    }
    const broken = writeSpec('broken', allModes({ gk1: { key: 99, ttl: 32 } }, ['ip1']));
    const files = ['gk1', 'tun0', 'vti1'].map(fileOf);
    const before = files.map(sha);
    const tried = await run(
      [
        'node',
        tungen,
        '-c',
        broken,
        'try',
        '--target',
        target,
        '--host',
        host,
        '--confirm-by',
        'verify',
        '--timeout',
        '25',
      ],
      { allowFail: true },
    );
    const after = files.map(sha);
    const data = (await linkInfo('gk1').catch(() => ({}))).linkinfo?.info_data ?? {};
    const problems = [];
    if (tried.code === 0) problems.push('try exited 0 with a broken change');
    if (before.join() !== after.join()) problems.push('files differ after rollback');
    if (data.ikey !== '0.0.0.43') problems.push(`gk1 key after rollback is ${data.ikey}`);
    const result = await verify(removed, 'after rollback');
    await barrier.wait('try-done', 400);
    return {
      ok: result.ok && problems.length === 0,
      detail: [`try exit ${tried.code};`, result.detail, ...problems].join(' '),
    };
  });

  // Convergence: whatever stopped an apply half-way, a plain apply brings the kernel to the spec.
  // Each guest changes only its own state; the keys tried below never match the peer's.
  const inKernel = async (name) => (await linkInfo(name).catch(() => ({}))).linkinfo?.info_data ?? {};
  const realCommand = (
    await run(['sh', '-c', `command -v ${target === 'networkd' ? 'networkctl' : 'ifup'}`])
  ).stdout.trim();
  /** A folder put first on PATH whose command replaces the real one for a single run of tungen. */
  const plant = (name, body) => {
    const dir = `/tmp/planted-${name}`;
    mkdirSync(dir, { recursive: true });
    const command = target === 'networkd' ? 'networkctl' : 'ifup';
    writeFileSync(join(dir, command), `#!/bin/sh\n${body.replaceAll('REAL', realCommand)}\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${dir}:${process.env.PATH}` };
  };
  const tungenRun = (argv, env) => run(['node', tungen, ...argv], { allowFail: true, env });
  const applyArgs = (spec) => ['-c', spec, 'apply', '--target', target, '--host', host];
  const keyAndTtl = async (key, ttl) => {
    const data = await inKernel('gk1');
    return {
      ok: data.ikey === key && data.okey === key && data.ttl === ttl,
      found: `ikey ${data.ikey} ttl ${data.ttl}`,
    };
  };
  const leftovers = () => readdirSync(configDir).filter((n) => /\.tungen-[0-9a-f]+\.tmp$/.test(n));

  const failOnce = writeSpec('fail-once', allModes({ gk1: { key: 44, ttl: 40 } }, ['ip1']));
  await testCase(
    `converge: ${target === 'networkd' ? 'networkctl reload' : 'ifup'} fails once, apply repairs`,
    async () => {
      // The peer may still be pinging through gk1 for the case before; these cases change gk1's key.
      await barrier.wait('converge-start', 400);
      // The planted command fails (networkctl: only reload; ifup: always), as a stopped service or broken hook would.
      const env = plant(
        'fail',
        target === 'networkd'
          ? 'if [ "$1" = reload ]; then echo "planted failure: networkctl reload" >&2; exit 1; fi\nexec REAL "$@"'
          : 'echo "planted failure: ifup $*" >&2\nexit 1',
      );
      const first = await tungenRun(applyArgs(failOnce), env);
      const half = await keyAndTtl('0.0.0.44', 40);
      const second = await tungenRun(applyArgs(failOnce));
      const after = await keyAndTtl('0.0.0.44', 40);
      const check = await tungenRun([...applyArgs(failOnce), '--check']);
      const problems = [];
      if (first.code === 0) problems.push('the apply with the failing command exited 0');
      if (half.ok) problems.push('the new key was in force although the command failed');
      if (second.code !== 0) problems.push(`the plain apply exited ${second.code}`);
      if (!after.ok) problems.push(`kernel after the plain apply: ${after.found}`);
      if (check.code !== 0) problems.push(`apply --check exited ${check.code} afterwards`);
      const said = (first.stderr.split('\n').find((l) => l.startsWith('tungen:')) ?? '').slice(0, 120);
      return {
        ok: !problems.length,
        detail: problems.length ? problems.join('; ') : `first exit ${first.code} (${said}); after: ${after.found}`,
      };
    },
  );

  const killed = writeSpec('killed', allModes({ gk1: { key: 45, ttl: 50 } }, ['ip1']));
  await testCase('converge: apply killed (-9) mid-way, re-run repairs', async () => {
    // The first networkctl/ifup call kills the apply that ran it: its files are written, its commands half done.
    const env = plant('kill', 'kill -9 $PPID\nexit 1');
    const first = await tungenRun(applyArgs(killed), env);
    const second = await tungenRun(applyArgs(killed));
    const after = await keyAndTtl('0.0.0.45', 50);
    const problems = [];
    if (first.signal !== 'SIGKILL') problems.push(`the apply was not killed (exit ${first.code})`);
    if (second.code !== 0) problems.push(`the re-run exited ${second.code}`);
    if (!after.ok) problems.push(`kernel after the re-run: ${after.found}`);
    if (leftovers().length) problems.push(`temporary files left: ${leftovers().join(', ')}`);
    return {
      ok: !problems.length,
      detail: problems.length ? problems.join('; ') : `killed (${first.signal}); after: ${after.found}`,
    };
  });

  await testCase('converge: hand change reported by apply --check, repaired by apply', async () => {
    let how = 'ip tunnel change gk1 key 7';
    const changedByHand = await run(['ip', 'tunnel', 'change', 'gk1', 'key', '7'], { allowFail: true });
    if (changedByHand.code !== 0) {
      how = 'ip link set dev gk1 down';
      await run(['ip', 'link', 'set', 'dev', 'gk1', 'down']);
    }
    const check = await tungenRun([...applyArgs(killed), '--check']);
    const repaired = await tungenRun(applyArgs(killed));
    const after = await keyAndTtl('0.0.0.45', 50);
    const up = (await linkInfo('gk1').catch(() => ({ flags: [] }))).flags.includes('UP');
    const recheck = await tungenRun([...applyArgs(killed), '--check']);
    const problems = [];
    const reported = check.stdout.split('\n').find((l) => l.includes('kernel gk1')) ?? '';
    if (check.code !== 1 || !reported) problems.push(`apply --check exited ${check.code} without naming gk1`);
    if (repaired.code !== 0) problems.push(`apply exited ${repaired.code}`);
    if (!after.ok || !up) problems.push(`kernel after apply: ${after.found}, ${up ? 'up' : 'down'}`);
    if (recheck.code !== 0) problems.push(`apply --check exited ${recheck.code} after the repair`);
    return {
      ok: !problems.length,
      detail: problems.length ? problems.join('; ') : `${how}; check: ${reported.trim()}; after: ${after.found}`,
    };
  });

  await testCase('converge: try + SIGTERM restores the old key', async () => {
    const tried = writeSpec('try-signal', allModes({ gk1: { key: role === 'a' ? 46 : 47, ttl: 50 } }, ['ip1']));
    const files = ['gk1', 'tun0', 'vti1'].map(fileOf);
    const before = files.map(sha);
    const key = role === 'a' ? '0.0.0.46' : '0.0.0.47';
    const child = spawn(
      'node',
      [tungen, '-c', tried, 'try', '--target', target, '--host', host, '--confirm-by', 'verify', '--timeout', '150'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
    let tryInForce = false;
    for (let i = 0; i < 120 && !tryInForce; i++) {
      tryInForce = (await inKernel('gk1')).ikey === key;
      if (!tryInForce) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await exited;
    clearTimeout(timer);
    console.log(output.trimEnd());
    const after = await keyAndTtl('0.0.0.45', 50);
    const problems = [];
    if (!tryInForce) problems.push(`the tried key ${key} never reached the kernel`);
    if (code === 0) problems.push('try exited 0 after SIGTERM');
    if (!after.ok) problems.push(`kernel after the rollback: ${after.found}`);
    if (before.join() !== files.map(sha).join()) problems.push('files differ after the rollback');
    if (existsSync('/var/lib/tungen/pending-try.json')) problems.push('the record of the try is still there');
    return {
      ok: !problems.length,
      detail: problems.length ? problems.join('; ') : `tried ${key}, SIGTERM, exit ${code}; after: ${after.found}`,
    };
  });

  await testCase('converge: verify after the convergence cases', async () => {
    await barrier.wait('converge-done', 400);
    return verify(killed, 'converged');
  });

  // Every mode over IPv6, Ethernet and UDP at once, then what each must show beyond verify.
  const fresh = writeSpec('new-modes', newModes());
  await testCase('new modes: apply + verify', async () => {
    const v6 = { a: ipv6Underlay.a[3] ?? '', b: ipv6Underlay.b[3] ?? '' };
    const ipsec = { addresses: v6, mark: '62', spis: ['0x3003', '0x4004'], inner: ['ipv4', 'ipv6'] };
    for (const argv of xfrmCommands(role, ipsec)) await run(argv, { allowFail: true });
    // host-b owns one address in each network host-a routes through t46.
    if (role === 'b')
      for (const target of routed.targets) await run(['ip', 'addr', 'add', `${target}/32`, 'dev', 'lo']);
    const applied = await apply(fresh);
    await barrier.wait('new-applied');
    const result = await verify(fresh, 'new modes');
    if (applied) Object.assign(result, { ok: false, detail: applied + result.detail });
    for (const t of result.tunnels ?? [])
      results.push({
        case: `  mode ${t.mode ?? '?'} ${t.name ?? t.tunnel}`,
        host,
        target,
        ok: Boolean(t.ok),
        detail: '',
        seconds: '',
      });
    // A gretap is an Ethernet link whose addresses have no peer.
    const tap = await linkInfo('tap4').catch(() => ({}));
    const tapAddresses = JSON.parse(
      (await run(['ip', '-j', 'addr', 'show', 'dev', 'tap4'], { allowFail: true })).stdout || '[]',
    );
    const peered = (tapAddresses[0]?.addr_info ?? []).filter((a) => a.address !== undefined);
    if (tap.link_type !== 'ether' || peered.length) {
      result.ok = false;
      result.detail += ` tap4 is ${tap.link_type} with ${peered.length} peered addresses`;
    } else result.detail += ' (tap4: ether, no peer)';
    await barrier.wait('new-verified');
    return result;
  });

  await testCase('fou: ipip and sit in UDP to their ports on the wire', async () => {
    if (role !== 'a') {
      await barrier.wait('udp-seen', 120);
      return { ok: true, detail: 'host-a captures' };
    }
    const capture = spawn('tcpdump', ['-lni', underlayIf, '-c', '4', 'udp dst port 5555 or udp dst port 6666'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let wire = '';
    capture.stdout.on('data', (chunk) => (wire += chunk));
    const captured = new Promise((resolve) => capture.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pings = await Promise.all([
      run(['ping', '-c', '3', '-W', '2', '-I', 'ipfou', '192.168.27.2'], { allowFail: true }),
      run(['ping', '-6', '-c', '3', '-W', '2', '-I', 'sitfou', 'fd00:28::2'], { allowFail: true }),
    ]);
    const timer = setTimeout(() => capture.kill(), 10000);
    await captured;
    clearTimeout(timer);
    console.log(wire.trimEnd());
    await barrier.wait('udp-seen', 120);
    const fou = /\.5555: UDP/.test(wire);
    const sitFou = /\.6666: UDP/.test(wire);
    const replies = pings.every((p) => p.code === 0);
    return {
      ok: fou && sitFou && replies,
      detail: `wire: ${fou ? 'UDP to 5555' : 'no UDP to 5555'}, ${sitFou ? 'UDP to 6666' : 'no UDP to 6666'}; pings ${replies ? 'answered' : 'failed'}`,
    };
  });

  await testCase('routes: via the tunnel and in table 100', async () => {
    if (role !== 'a') {
      await barrier.wait('routes-done', 120);
      return { ok: true, detail: `host-b answers on ${routed.targets.join(', ')}` };
    }
    // tungen writes routes, not rules: the rule is what a user adds to pick table 100.
    await run(['ip', 'rule', 'add', 'to', routed.table, 'lookup', '100', 'pref', '1000'], { allowFail: true });
    const problems = [];
    const seen = [];
    for (const [address, want] of /** @type {Array<[string, RegExp]>} */ ([
      [routed.targets[0], /via 192\.168\.24\.2 dev t46/],
      [routed.targets[1], /via 192\.168\.24\.2 dev t46 table 100/],
    ])) {
      const got = await run(['ip', 'route', 'get', address], { allowFail: true });
      const line = got.stdout.split('\n')[0].trim();
      if (!want.test(line)) problems.push(`ip route get ${address}: ${line || got.stderr.trim()}`);
      const ping = await run(['ping', '-c', '3', '-W', '2', address], { allowFail: true });
      if (ping.code !== 0) problems.push(`ping ${address} failed`);
      seen.push(line);
    }
    await barrier.wait('routes-done', 120);
    return { ok: problems.length === 0, detail: problems.length ? problems.join('; ') : seen.join(' | ') };
  });

  // networkd neither removes nor changes a fou port and ignores a netdev name it has loaded
  // before: the port moves to 5557, then back to 5555, and the kernel must have exactly the
  // ports of the spec each time, with ipfou carrying traffic on the new one.
  for (const [step, port] of /** @type {const} */ ([
    ['changed to', 5557],
    ['changed back to', 5555],
  ])) {
    const spec = writeSpec(`fou-${port}`, newModes({ fouPort: port }));
    await testCase(`fou: port ${step} ${port}, no other port left`, async () => {
      const applied = await apply(spec);
      const shown = await run(['ip', '-json', 'fou', 'show'], { allowFail: true });
      /** @type {Array<{ port: number, ipproto?: number }>} */
      const found = JSON.parse(shown.stdout || '[]');
      const ports = found.map((p) => `${p.port}/${p.ipproto ?? 'gue'}`).sort();
      const wanted = [`${port}/4`, '6666/41'].sort();
      await barrier.wait(`fou-${port}-applied`);
      const ping = await run(
        ['ping', '-c', '3', '-W', '2', '-I', 'ipfou', role === 'a' ? '192.168.27.2' : '192.168.27.1'],
        {
          allowFail: true,
        },
      );
      await barrier.wait(`fou-${port}-pinged`);
      const problems = [];
      if (applied) problems.push(applied.trim());
      if (ports.join() !== wanted.join())
        problems.push(`ip fou show: ${ports.join(', ') || 'none'}, wanted ${wanted.join(', ')}`);
      if (ping.code !== 0) problems.push(`ping through ipfou failed`);
      return {
        ok: !problems.length,
        detail: problems.length ? problems.join('; ') : `ip fou show: ${ports.join(', ')}; ping through ipfou answered`,
      };
    });
  }

  /** tungen's problems for a spec, as `validate --json` reports them. */
  const problemsOf = async (name, spec) => {
    const { stdout } = await run(['node', tungen, 'validate', '--json', writeSpec(name, spec)], { allowFail: true });
    /** @type {Array<{ path: string, rule: string, message: string }>} */
    const problems = JSON.parse(stdout).problems ?? [];
    return problems;
  };

  // Both targets give the MTU when they create the link; above its cap the kernel does not
  // fail but gives the link its default MTU. For each GRE link whose headers tungen accounts
  // for, tungen's cap (read from its refusal of 65535) must be the largest MTU a new link keeps:
  // the kernel keeps the cap and not one more. ip6gretap's cap is Debian's 6.1.176's (65359,
  // 65351 with an output key): 6.1.192 keeps more, and tungen must not allow what the older
  // kernel silently drops. There the kernel must keep the cap, and its own largest is shown.
  await testCase('mtu: the largest MTU a new GRE link keeps is the largest tungen allows', async () => {
    const v4 = myUnderlay;
    const v6 = ipv6Underlay[role][0] ?? '';
    const variants = [
      { mode: 'gretap', local: v4, keys: [], options: {} },
      { mode: 'gretap', local: v4, keys: ['okey', '5'], options: { outputKey: 5 } },
      { mode: 'gretap', local: v4, keys: ['ikey', '5'], options: { inputKey: 5 } },
      { mode: 'ip6gretap', local: v6, keys: [], options: {} },
      { mode: 'ip6gretap', local: v6, keys: ['okey', '5'], options: { outputKey: 5 } },
      { mode: 'ip6gretap', local: v6, keys: ['ikey', '5'], options: { inputKey: 5 } },
      { mode: 'ip6gre', local: v6, keys: [], options: {} },
      { mode: 'ip6gre', local: v6, keys: ['okey', '5'], options: { outputKey: 5 } },
    ].map((v, i) => ({ ...v, remote: v.local.includes(':') ? `fd00:9::f:${i + 1}` : `10.9.250.${i + 1}` }));
    const refusals = await problemsOf('mtu-65535', {
      tunnels: variants.map((v, i) => ({
        name: `mtu${i + 1}`,
        mode: v.mode,
        local: v.local,
        remote: v.remote,
        ...v.options,
        mtu: 65535,
        addresses: [`10.98.${i + 1}.1/24`],
      })),
    });
    /** The MTU a link created with `mtu` has: the kernel keeps it or falls back to its default. */
    const created = async (v, mtu) => {
      const argv = ['link', 'add', 'mtucap', 'mtu', String(mtu), 'type', v.mode, 'local', v.local, 'remote', v.remote];
      const script = `ip ${[...argv, ...v.keys].join(' ')} && cat /sys/class/net/mtucap/mtu; ip link del mtucap`;
      return Number((await run(['sh', '-c', script], { allowFail: true })).stdout.trim());
    };
    /** Modes whose cap a newer kernel exceeds (see above). */
    const newerKernelKeepsMore = new Set(['ip6gretap']);
    const problems = [];
    const figures = [];
    for (const [i, v] of variants.entries()) {
      const name = `${v.mode}${v.keys.length ? ` ${v.keys[0]}` : ''}`;
      const refusal = refusals.find((p) => p.path === `tunnels[${i}].mtu` && p.rule === `${v.mode}/mtu-maximum`);
      const cap = Number(/larger than (\d+)/.exec(refusal?.message ?? '')?.[1] ?? NaN);
      if (!cap) {
        problems.push(`${name}: tungen allows 65535`);
        continue;
      }
      const atCap = await created(v, cap);
      let kept = (await created(v, cap + 1)) === cap + 1 ? cap + 1 : cap;
      if (kept > cap && newerKernelKeepsMore.has(v.mode)) {
        // This kernel's own largest, by bisection.
        let refused = 65536;
        while (refused - kept > 1) {
          const mid = (kept + refused) >> 1;
          if ((await created(v, mid)) === mid) kept = mid;
          else refused = mid;
        }
      }
      figures.push(`${name} ${cap}${kept > cap ? ` (this kernel keeps up to ${kept})` : ''}`);
      if (atCap !== cap) problems.push(`${name}: created with ${cap}, the kernel gave it ${atCap}`);
      if (kept > cap && !newerKernelKeepsMore.has(v.mode))
        problems.push(`${name}: the kernel keeps ${kept}, which tungen refuses`);
    }
    return {
      ok: !problems.length,
      detail: `tungen's caps: ${figures.join(', ')}${problems.length ? `; ${problems.join('; ')}` : '; the kernel keeps each cap, and more only where shown'}`,
    };
  });

  // The kernel finds an ip6_tunnel by its endpoints alone: a second one between the same
  // addresses fails whatever the modes, which is why tungen refuses the pair.
  await testCase('ip6tnl: two tunnels between the same addresses, refused by the kernel and by tungen', async () => {
    const local = ipv6Underlay[role][0] ?? '';
    const pairs = [
      ['ip6ip6', 'ipip6'],
      ['ipip6', 'ip6ip6'],
      ['ip6tnl', 'ip6ip6'],
    ].map(([first, second], i) => ({ first: first ?? '', second: second ?? '', remote: `fd00:9::f:9${i}` }));
    const kernelMode = (mode) => (mode === 'ip6tnl' ? 'any' : mode);
    // An address the mode carries: ip6ip6 only IPv6, ipip6 only IPv4.
    const inner = (mode, n) => (mode === 'ip6ip6' ? `fd00:97:${n}::1/64` : `10.97.${n}.1/30`);
    // One spec, the pairs on their own remotes: tungen must refuse the second tunnel of each.
    const refused = await problemsOf('clash', {
      tunnels: pairs.flatMap(({ first, second, remote }, i) => [
        { name: `clash${2 * i}`, mode: first, local, remote, addresses: [inner(first, 2 * i)] },
        { name: `clash${2 * i + 1}`, mode: second, local, remote, addresses: [inner(second, 2 * i + 1)] },
      ]),
    });
    const problems = [];
    const seen = [];
    for (const [i, { first, second, remote }] of pairs.entries()) {
      const add = (name, mode) =>
        run(['ip', 'link', 'add', name, 'type', 'ip6tnl', 'mode', kernelMode(mode), 'local', local, 'remote', remote], {
          allowFail: true,
        });
      const one = await add('clash1', first);
      const two = await add('clash2', second);
      await run(['ip', 'link', 'del', 'clash1'], { allowFail: true });
      await run(['ip', 'link', 'del', 'clash2'], { allowFail: true });
      const tungen = refused.some((p) => p.path === `tunnels[${2 * i + 1}]` && p.rule === 'tunnel/duplicate-identity');
      if (one.code !== 0) problems.push(`${first} alone failed: ${one.stderr.trim()}`);
      if (two.code === 0) problems.push(`the kernel took ${second} beside ${first}`);
      if (!tungen) problems.push(`tungen does not refuse ${second} beside ${first}`);
      seen.push(`${first} then ${second}: ${two.stderr.trim() || `exit ${two.code}`}`);
    }
    return { ok: !problems.length, detail: [...problems, `kernel: ${seen.join('; ')}`].join('; ') };
  });

  if (target === 'networkd') {
    // Every warning or error networkd logged this boot about a link or file of tungen's fails
    // the case, unless it is listed here with the reason it is harmless.
    /** @type {Array<{ pattern: RegExp, reason: string }>} */
    const harmless = [
      {
        pattern: /^fou\d+: netdev could not be created: Address already in use$/,
        reason:
          'apply adds a FOU port itself before the reload (networkd does not create one again under a netdev name it has loaded), so networkd finds the port taken; the fou cases check ip fou show',
      },
    ];
    const names = new Set([
      ...[...readFileSync(seed, 'utf8').matchAll(/^\s*- name: (\S+)/gm)].map((m) => m[1] ?? ''),
      ...allModes().tunnels.map((t) => t.name),
      ...newModes().tunnels.map((t) => t.name),
      ...[5555, 5557, 6666].map((port) => `fou${port}`),
    ]);
    const ours = (line) => line.includes('10-tungen-') || names.has(/^([^:\s]+):/.exec(line)?.[1] ?? '');
    await testCase('networkd journal: no warning about our links or files', async () => {
      const { stdout } = await run(
        ['journalctl', '-b', '-u', 'systemd-networkd', '-p', 'warning', '--no-pager', '-o', 'cat'],
        { allowFail: true },
      );
      const about = stdout.split('\n').filter(ours);
      const known = about.filter((line) => harmless.some((h) => h.pattern.test(line)));
      const unexpected = about.filter((line) => !known.includes(line));
      const reasons = [...new Set(harmless.filter((h) => known.some((l) => h.pattern.test(l))).map((h) => h.reason))];
      return {
        ok: unexpected.length === 0,
        detail: unexpected.length
          ? unexpected.join(' | ')
          : `${about.length} warning lines about ${names.size} links and the 10-tungen-* files` +
            (known.length ? `, all known harmless: ${reasons.join('; ')}` : ''),
      };
    });
  }
  await barrier.wait('end', 120);
  barrier.close();
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    results.push({ case: 'guest driver', host, target, ok: false, detail: error.message, seconds: '' });
    writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
    process.exit(1);
  },
);
