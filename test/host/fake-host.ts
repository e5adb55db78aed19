import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../src/spec/load.js';
import { validateSpec, type ValidSpec } from '../../src/api.js';
import { hostContext, type HostContext } from '../../src/host/context.js';
import type { CommandResult, CommandRunner } from '../../src/host/runner.js';
import {
  addrJson,
  configureFromNetwork,
  fouFromNetdev,
  linkFromIpLinkAdd,
  linkFromNetdev,
  linkFromTunnelMethod,
  linkJson,
  networkMatches,
  routesJson,
  runUpCommand,
  stanzaOf,
  type ModelLink,
} from './fake-kernel.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

export const fixture = (name: string) => readFile(join(fixtures, name), 'utf8');

export const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });
export const failed = (code: number, stderr: string, stdout = ''): CommandResult => ({ code, stdout, stderr });

/** What `ip` prints for one link: recorded output, or a model the fake programs below build and change. */
export interface FakeLink {
  link: string;
  addr: string;
  /** Built by the fake networkd or ifupdown; when there, `ip` shows it instead of `link` and `addr`. */
  model?: ModelLink;
  /** The .network text networkd last configured the link with. */
  network?: string;
}

/** Loads a link's recorded iproute2 output from the fixtures. */
export async function recordedLink(name: string): Promise<FakeLink> {
  return { link: await fixture(`${name}-link.json`), addr: await fixture(`${name}-addr.json`) };
}

const modelled = (model: ModelLink, network?: string): FakeLink => ({
  link: '',
  addr: '',
  model,
  ...(network !== undefined && { network }),
});

const networkDir = 'etc/systemd/network';
const stanzaDir = 'etc/network/interfaces.d';

/**
 * A machine that answers tungen's commands from a small model of the kernel
 * (see fake-kernel.ts) and records every command. Like the real ones,
 * `networkctl reload` creates the links of .netdev files that have none yet
 * (never changing an existing one) and reconfigures links whose .network
 * changed; `networkctl delete` and `ip link delete` remove a link; `ifup`
 * builds a link from its stanza unless ifupdown counts it as up already,
 * `ifdown` removes it, `ifquery --state` says which are up. `hooks` answer
 * first, e.g. to fail a command or look at the files while it runs.
 */
export class FakeHost {
  readonly calls: string[][] = [];
  readonly links = new Map<string, FakeLink>();
  /** Interfaces ifupdown counts as up (its state file). */
  readonly ifstate = new Set<string>();
  readonly loaded = new Set<string>();
  /** Answers to `ping ... PEER`, used in turn; the last one repeats. */
  readonly pings = new Map<string, CommandResult[]>();
  readonly hooks: Array<(argv: readonly string[]) => CommandResult | undefined | Promise<CommandResult | undefined>> =
    [];
  /** UDP receive ports (`ip fou`): port -> `ipproto N` or `gue`. */
  readonly fouPorts = new Map<number, string>();
  /**
   * Netdev names networkd has loaded. Like networkd 252, a reload never forgets
   * one, even when its file is gone, and creates nothing for a name it knows.
   */
  readonly networkdNetdevs = new Set<string>();
  hostAddresses = '[]';
  clock = 1_000_000;
  /**
   * Take the real lock (flock, one process spawned per apply). Off by default:
   * the lock has its own tests, and the others run many applies.
   */
  realLock = false;

  readonly runner: CommandRunner = {
    run: async (argv) => {
      this.calls.push([...argv]);
      for (const hook of this.hooks) {
        const answer = await hook(argv);
        if (answer) return answer;
      }
      return this.answer(argv);
    },
  };

  private root = '/';

  context(root: string, overrides: Partial<HostContext> = {}): HostContext {
    this.root = root;
    return hostContext({
      root,
      runner: this.runner,
      hostname: () => 'testbox',
      moduleLoaded: (name) => Promise.resolve(this.loaded.has(name)),
      sleep: (ms) => {
        this.clock += ms;
        return Promise.resolve();
      },
      now: () => this.clock,
      ...(!this.realLock && { lock: () => Promise.resolve(() => Promise.resolve()) }),
      ...overrides,
    });
  }

  /** Commands that change something, i.e. all but the read-only queries of iproute2 and ifquery. */
  changing(): string[][] {
    return this.calls.filter(
      (argv) =>
        !(argv[0] === 'ip' && argv.includes('-json') && (argv.includes('show') || argv.at(-1) === 'addr')) &&
        argv[0] !== 'ifquery',
    );
  }

  /** The links in the model, as the kernel would list them: kind, settings, mtu, state, addresses and routes. */
  kernelState(): Record<string, unknown> {
    const state: Record<string, unknown> = {};
    for (const [name, link] of [...this.links].sort(([a], [b]) => a.localeCompare(b))) {
      const m = link.model;
      state[name] = m
        ? {
            kind: m.kind,
            data: Object.fromEntries(Object.entries(m.data).sort(([a], [b]) => a.localeCompare(b))),
            mtu: m.mtu,
            up: m.up,
            addresses: m.addresses.map((a) => `${a.local}/${a.prefixlen}${a.address ? ` peer ${a.address}` : ''}`),
            routes: m.routes.map((r) => r.dst),
            ifupdown: this.ifstate.has(name),
          }
        : 'recorded';
    }
    return state;
  }

  private async files(dir: string): Promise<Array<[string, string]>> {
    const names = await readdir(join(this.root, dir)).catch(() => [] as string[]);
    const out: Array<[string, string]> = [];
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      out.push([name, await readFile(join(this.root, dir, name), 'utf8').catch(() => '')]);
    }
    return out;
  }

  private async reload(): Promise<void> {
    const files = await this.files(networkDir);
    for (const [file, text] of files.filter(([n]) => n.endsWith('.netdev'))) {
      const fou = fouFromNetdev(text);
      if (fou) {
        // networkd answers "netdev exists" and leaves a port that is there already as it is.
        if (!this.networkdNetdevs.has(fou.name) && !this.fouPorts.has(fou.port))
          this.fouPorts.set(fou.port, fou.receiver);
        this.networkdNetdevs.add(fou.name);
        continue;
      }
      const model = linkFromNetdev(text);
      if (model && !this.links.has(model.name)) this.links.set(model.name, modelled(model));
      void file;
    }
    for (const [name, link] of this.links) {
      if (!link.model) continue;
      const network = files.find(([n, text]) => n.endsWith('.network') && networkMatches(text, name))?.[1];
      if (network !== undefined && network !== link.network) {
        configureFromNetwork(link.model, network);
        link.network = network;
      }
    }
  }

  private async ifup(name: string): Promise<CommandResult> {
    if (this.ifstate.has(name)) return failed(0, `ifup: interface ${name} already configured\n`);
    const stanza = (await this.files(stanzaDir)).map(([, text]) => stanzaOf(text, name)).find(Boolean);
    if (!stanza) return failed(1, `ifup: unknown interface ${name}\n`);
    let model: ModelLink;
    // ifupdown stops at the first failing command; a port in use fails `ip fou add`.
    for (const command of stanza.commands.filter((c) => c.when === 'pre-up' && c.words[1] === 'fou')) {
      const result = await this.answer(command.words);
      if (result.code !== 0) return failed(1, `${result.stderr}ifup: failed to bring up ${name}\n`);
    }
    if (stanza.method === 'manual') {
      const add = stanza.commands.find((c) => c.when === 'pre-up' && c.words.slice(0, 3).join(' ') === 'ip link add');
      if (!add) return failed(1, `ifup: no pre-up ip link add for ${name}\n`);
      if (this.links.has(name))
        return failed(1, 'RTNETLINK answers: File exists\nifup: failed to bring up ' + name + '\n');
      model = linkFromIpLinkAdd(add.words);
    } else {
      if (this.links.has(name)) return failed(1, 'add tunnel "' + name + '" failed: File exists\n');
      model = linkFromTunnelMethod(stanza);
    }
    this.links.set(name, modelled(model));
    for (const command of stanza.commands.filter((c) => c.when === 'up')) runUpCommand(model, command.words);
    this.ifstate.add(name);
    return ok();
  }

  /** `ip fou add|del|show`, with the kernel's answers (measured on Linux 6.1). */
  private fou(words: readonly string[]): CommandResult {
    const port = Number(words[words.indexOf('port') + 1]);
    if (words[0] === 'show')
      return ok(
        JSON.stringify(
          [...this.fouPorts].map(([p, receiver]) =>
            receiver === 'gue'
              ? { port: p, gue: null, family: 'inet' }
              : { port: p, ipproto: Number(receiver.split(' ')[1]), family: 'inet' },
          ),
        ),
      );
    if (words[0] === 'add') {
      if (this.fouPorts.has(port)) return failed(2, 'RTNETLINK answers: Address already in use\n');
      this.fouPorts.set(port, words.includes('gue') ? 'gue' : `ipproto ${words[words.indexOf('ipproto') + 1]}`);
      return ok();
    }
    if (words[0] === 'del') {
      if (!this.fouPorts.delete(port)) return failed(2, 'RTNETLINK answers: Invalid argument\n');
      return ok();
    }
    return failed(1, `Command "${words[0]}" is unknown, try "ip fou help".\n`);
  }

  private async answer(argv: readonly string[]): Promise<CommandResult> {
    const [program, ...args] = argv;
    const last = args.at(-1) ?? '';
    const link = this.links.get(last);
    const missing = failed(1, `Device "${last}" does not exist.\n`);
    // Without `dev NAME`, ip lists every link (with the routes' device named in each route).
    if (program === 'ip' && args.includes('show') && !args.includes('dev')) {
      const all = [...this.links.entries()];
      const parse = (text: string) => JSON.parse(text) as unknown[];
      if (args.includes('link'))
        return ok(JSON.stringify(all.flatMap(([, l]) => parse(l.model ? linkJson(l.model) : l.link))));
      if (args.includes('addr'))
        return ok(JSON.stringify(all.flatMap(([, l]) => parse(l.model ? addrJson(l.model) : l.addr))));
      if (args.includes('route'))
        return ok(
          JSON.stringify(
            all.flatMap(([, l]) => (l.model ? parse(routesJson(l.model, args.includes('-6') ? 'inet6' : 'inet')) : [])),
          ),
        );
    }
    if (program === 'ip' && args.includes('link') && args.includes('show')) {
      if (!link) return missing;
      return ok(link.model ? linkJson(link.model) : link.link);
    }
    if (program === 'ip' && args.includes('addr') && args.includes('show')) {
      if (!link) return missing;
      return ok(link.model ? addrJson(link.model) : link.addr);
    }
    if (program === 'ip' && args.includes('route') && args.includes('show')) {
      if (!link) return failed(1, `Cannot find device "${last}"\n`);
      return ok(link.model ? routesJson(link.model, args.includes('-6') ? 'inet6' : 'inet') : '[]');
    }
    if (program === 'ip' && last === 'addr') return ok(this.hostAddresses);
    if (program === 'ip' && args[0] === 'link' && args[1] === 'delete') {
      if (!link) return failed(1, `Cannot find device "${last}"\n`);
      this.links.delete(last);
      return ok();
    }
    if (program === 'ip' && args.includes('fou')) return this.fou(args.slice(args.indexOf('fou') + 1));
    if (program === 'networkctl' && args[0] === 'reload') {
      await this.reload();
      return ok();
    }
    if (program === 'networkctl' && args[0] === 'delete') {
      for (const name of args.slice(1).filter((word) => word !== '--')) {
        if (!this.links.has(name))
          return failed(1, `Failed to resolve interface "${name}", ignoring: No such device\n`);
        this.links.delete(name);
      }
      return ok();
    }
    if (program === 'ifup') return this.ifup(last);
    if (program === 'ifdown') {
      if (!this.ifstate.has(last)) return failed(0, `ifdown: interface ${last} not configured\n`);
      const stanza = (await this.files(stanzaDir)).map(([, text]) => stanzaOf(text, last)).find(Boolean);
      this.ifstate.delete(last);
      this.links.delete(last);
      for (const command of stanza?.commands.filter((c) => c.when === 'post-down' && c.words[1] === 'fou') ?? [])
        await this.answer(command.words);
      return ok();
    }
    if (program === 'ifquery' && args[0] === '--state')
      return this.ifstate.has(last) ? ok(`${last}=${last}\n`) : failed(1, '');
    if (program === 'modprobe') {
      this.loaded.add(last);
      return ok();
    }
    if (program === 'ping') {
      const answers = this.pings.get(last) ?? [];
      return (
        (answers.length > 1 ? answers.shift() : answers[0]) ??
        failed(
          1,
          '',
          `\n--- ${last} ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 2040ms\n`,
        )
      );
    }
    return ok();
  }
}

export async function tempDir(prefix = 'tungen-host-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes a spec into a temporary folder and validates it. */
export async function specFrom(yaml: string, dir?: string, name = 'tungen.yaml'): Promise<ValidSpec> {
  const folder = dir ?? (await tempDir('tungen-spec-'));
  const file = join(folder, name);
  await writeFile(file, yaml);
  return validateSpec(await loadSpec(file));
}

/** Two hosts joined by a keyed GRE tunnel (IPv4 inside) and a sit tunnel (IPv6 inside). */
export const twoTunnels = `
version: 1
hosts:
  a: { underlay: 10.0.0.1 }
  b: { underlay: 10.0.0.2 }
tunnels:
  - name: gre1
    mode: gre
    key: 42
    ends:
      - { host: a, addresses: [192.168.10.1/24] }
      - { host: b, addresses: [192.168.10.2/24] }
  - name: sit1
    mode: sit
    ends:
      - { host: a, addresses: ["fd00:1::1/64"] }
      - { host: b, addresses: ["fd00:1::2/64"] }
`;

/** The same spec without the sit tunnel. */
export const greOnly = twoTunnels.slice(0, twoTunnels.indexOf('  - name: sit1'));
