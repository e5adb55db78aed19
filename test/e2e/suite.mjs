// Host side of the real-kernel suite: boots one pair of guests per target
// pairing (networkd+ifupdown, then the reverse), runs every case inside them,
// and prints one table. Guests' logs stay in the run folder on failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const runRoot = join(process.env.TUNGEN_E2E_CACHE || join(repo, '.cache/e2e'), 'runs');
const guestTimeout = Number(process.env.TUNGEN_E2E_GUEST_TIMEOUT ?? 540);

const pairs = [
  { name: 'networkd-ifupdown', a: 'networkd', b: 'ifupdown' },
  { name: 'ifupdown-networkd', a: 'ifupdown', b: 'networkd' },
].filter((pair) => !process.argv[2] || pair.name === process.argv[2]);

function prepareGuest(dir, role, target) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hostname'), role === 'a' ? 'host-a\n' : 'host-b\n');
  writeFileSync(
    join(dir, 'run.sh'),
    `#!/bin/bash\nexport TUNGEN_E2E_ONLY=${JSON.stringify(process.env.TUNGEN_E2E_ONLY ?? '')}\nexec node "$TUNGEN_REPO/test/e2e/guest/cases.mjs" --role ${role} --target ${target}\n`,
    { mode: 0o755 },
  );
}

function bootPair(dirA, dirB) {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(here, 'vm/boot-pair.sh'), dirA, dirB, String(guestTimeout)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function readResults(dir) {
  const path = join(dir, 'results.json');
  if (!existsSync(path))
    return [{ case: 'guest produced no results', ok: false, detail: `see ${dir}/console.log`, seconds: '' }];
  return JSON.parse(readFileSync(path, 'utf8'));
}

function printTable(rows) {
  const header = ['pair', 'host', 'target', 'case', 'result', 's', 'detail'];
  const cells = rows.map((r) => [
    r.pair,
    r.host ?? '',
    r.target ?? '',
    r.case,
    r.ok ? 'pass' : 'FAIL',
    String(r.seconds ?? ''),
    r.detail ?? '',
  ]);
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i < widths.length ? v.padEnd(widths[i]) : v)).join('  ');
  console.log(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)).concat('------'))}`);
  for (const c of cells) console.log(line(c));
}

const started = Date.now();
const rows = [];
const failedDirs = [];
for (const pair of pairs) {
  const dirA = join(runRoot, pair.name, 'a');
  const dirB = join(runRoot, pair.name, 'b');
  prepareGuest(dirA, 'a', pair.a);
  prepareGuest(dirB, 'b', pair.b);
  console.log(`e2e: pair ${pair.name}: host-a runs ${pair.a}, host-b runs ${pair.b}`);
  const code = await bootPair(dirA, dirB);
  for (const dir of [dirA, dirB]) {
    const results = readResults(dir);
    rows.push(...results.map((r) => ({ pair: pair.name, ...r })));
    if (code !== 0 || results.some((r) => !r.ok)) failedDirs.push(dir);
  }
  if (code !== 0)
    rows.push({ pair: pair.name, case: 'guests finished', ok: false, detail: `boot-pair exited ${code}`, seconds: '' });
}
printTable(rows);
const failed = rows.filter((r) => !r.ok).length;
const passed = rows.length - failed;
console.log(`\ne2e wall time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const dir of failedDirs) {
  console.log(`\nlogs kept in ${dir}: run.log journal.log console.log`);
  const log = join(dir, 'run.log');
  if (existsSync(log)) console.log(readFileSync(log, 'utf8').split('\n').slice(-40).join('\n'));
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
