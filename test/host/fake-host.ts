import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../src/spec/load.js';
import { validateSpec, type ValidSpec } from '../../src/api.js';
import { hostContext, type HostContext } from '../../src/host/context.js';
import type { CommandResult, CommandRunner } from '../../src/host/runner.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

export const fixture = (name: string) => readFile(join(fixtures, name), 'utf8');

export const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });
export const failed = (code: number, stderr: string, stdout = ''): CommandResult => ({ code, stdout, stderr });

/** What `ip` prints for one link: `ip -d -j link show` and `ip -j addr show` output. */
export interface FakeLink {
  link: string;
  addr: string;
}

/** Loads a link's recorded iproute2 output from the fixtures. */
export async function recordedLink(name: string): Promise<FakeLink> {
  return { link: await fixture(`${name}-link.json`), addr: await fixture(`${name}-addr.json`) };
}

/** A link the fixtures have no recording of: just enough for `ip link show` to find it. */
const bareLink = (name: string): FakeLink => ({
  link: JSON.stringify([
    {
      ifindex: 9,
      ifname: name,
      link: null,
      flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'],
      mtu: 1480,
      operstate: 'UNKNOWN',
    },
  ]),
  addr: JSON.stringify([{ ifindex: 9, ifname: name, addr_info: [] }]),
});

const linkFor = async (name: string) => recordedLink(name).catch(() => bareLink(name));

/**
 * A machine that answers tungen's commands from recorded iproute2 output and
 * records every command. Like the real ones, `networkctl reload` creates the
 * links of the .netdev files that have none yet, `networkctl delete` and
 * `ifdown` remove a link and `ifup` creates one. `hooks` answer first, e.g.
 * to fail a command or look at the files while it runs.
 */
export class FakeHost {
  readonly calls: string[][] = [];
  readonly links = new Map<string, FakeLink>();
  readonly loaded = new Set<string>();
  /** Answers to `ping ... PEER`, used in turn; the last one repeats. */
  readonly pings = new Map<string, CommandResult[]>();
  readonly hooks: Array<(argv: readonly string[]) => CommandResult | undefined | Promise<CommandResult | undefined>> =
    [];
  hostAddresses = '[]';
  clock = 1_000_000;

  readonly runner: CommandRunner = {
    run: async (argv) => {
      this.calls.push([...argv]);
      for (const hook of this.hooks) {
        const answer = await hook(argv);
        if (answer) return answer;
      }
      if (argv.join(' ') === 'networkctl reload') await this.reload();
      if (argv[0] === 'ifup' && !this.links.has(argv.at(-1)!))
        this.links.set(argv.at(-1)!, await linkFor(argv.at(-1)!));
      if (argv[0] === 'ifdown') this.links.delete(argv.at(-1)!);
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
      moduleLoaded: async (name) => this.loaded.has(name),
      sleep: async (ms) => {
        this.clock += ms;
      },
      now: () => this.clock,
      ...overrides,
    });
  }

  /** Commands that change something, i.e. all but iproute2's read-only queries. */
  changing(): string[][] {
    return this.calls.filter(
      (argv) => !(argv[0] === 'ip' && argv.includes('-json') && (argv.includes('show') || argv.at(-1) === 'addr')),
    );
  }

  private async reload(): Promise<void> {
    const names = await readdir(join(this.root, 'etc/systemd/network')).catch(() => [] as string[]);
    for (const file of names.filter((n) => n.endsWith('.netdev'))) {
      const name = /^Name=(\S+)/m.exec(await readFile(join(this.root, 'etc/systemd/network', file), 'utf8'))?.[1];
      if (name && !this.links.has(name)) this.links.set(name, await linkFor(name));
    }
  }

  private answer(argv: readonly string[]): CommandResult {
    const [program, ...args] = argv;
    const last = args.at(-1) ?? '';
    if (program === 'ip' && args.includes('link') && args.includes('show')) {
      const link = this.links.get(last);
      return link ? ok(link.link) : failed(1, `Device "${last}" does not exist.\n`);
    }
    if (program === 'ip' && args.includes('addr') && args.includes('show')) {
      const link = this.links.get(last);
      return link ? ok(link.addr) : failed(1, `Device "${last}" does not exist.\n`);
    }
    if (program === 'ip' && last === 'addr') return ok(this.hostAddresses);
    if (program === 'networkctl' && args[0] === 'delete') {
      args.slice(1).forEach((name) => this.links.delete(name));
      return ok();
    }
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
