#!/usr/bin/env node
// Stands in for ip, networkctl, modprobe and ping when the real tungen CLI runs
// as a child process in tests: networkctl reload builds links from the .netdev
// and .network files under FAKE_ROOT, the links live in FAKE_STATE (JSON), and
// ping answers as FAKE_PING says (ok or fail).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [command, ...args] = [basename(process.argv[2] ?? ''), ...process.argv.slice(3)];
const statePath = process.env.FAKE_STATE ?? '';
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { links: {} };
const save = () => writeFileSync(statePath, JSON.stringify(state));
const last = args.at(-1) ?? '';
const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const dotted = (key) => [24, 16, 8, 0].map((shift) => (Number(key) >>> shift) & 255).join('.');

function values(text, key) {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

function reload() {
  const dir = join(process.env.FAKE_ROOT ?? '/', 'etc/systemd/network');
  const files = existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')) : [];
  for (const file of files.filter((n) => n.endsWith('.netdev'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const [name] = values(text, 'Name');
    if (!name || state.links[name]) continue;
    const data = { local: values(text, 'Local')[0], remote: values(text, 'Remote')[0], ttl: 0, pmtudisc: true };
    const [key] = values(text, 'Key');
    if (key) data.ikey = data.okey = dotted(key);
    const network =
      files
        .map((n) => readFileSync(join(dir, n), 'utf8'))
        .find((t) => t.includes('[Match]') && values(t, 'Name')[0] === name) ?? '';
    const peers = values(network, 'Peer');
    const addresses = values(network, 'Address').map((a, i) => {
      const [local, prefix] = a.split('/');
      return {
        family: local.includes(':') ? 'inet6' : 'inet',
        local,
        prefixlen: Number(prefix),
        ...(peers[i] && { address: peers[i].split('/')[0] }),
      };
    });
    state.links[name] = { kind: values(text, 'Kind')[0], data, addresses };
  }
  save();
}

if (command === 'ip') {
  const linkJson = (name, link) => ({
    ifname: name,
    flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'],
    mtu: 1476,
    operstate: 'UNKNOWN',
    linkinfo: { info_kind: link.kind, info_data: link.data },
  });
  const names = args.includes('dev') ? [last] : Object.keys(state.links);
  if (args.includes('show') && args.includes('dev') && !state.links[last]) {
    process.stderr.write(`Device "${last}" does not exist.\n`);
    process.exit(1);
  }
  if (args.includes('link') && args.includes('show')) print(names.map((name) => linkJson(name, state.links[name])));
  else if (args.includes('addr') && args.includes('show'))
    print(names.map((name) => ({ ifname: name, addr_info: state.links[name].addresses })));
  else print([]);
} else if (command === 'networkctl' && args[0] === 'reload') reload();
else if (command === 'networkctl' && args[0] === 'delete') {
  delete state.links[last];
  save();
} else if (command === 'ping') {
  const ok = process.env.FAKE_PING === 'ok';
  process.stdout.write(`--- ${last} ping statistics ---\n3 packets transmitted, ${ok ? 3 : 0} received\n`);
  process.exit(ok ? 0 : 1);
}
