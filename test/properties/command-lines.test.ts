/**
 * Property: whatever interface name and option values tungen accepts, every `ip`
 * command the ifupdown target leads to reads back as the intended command. The
 * specs are random but reproducible (TUNGEN_PROPERTY_SEED, TUNGEN_PROPERTY_RUNS);
 * names are drawn both at random and from the words of the installed iproute2's
 * own usage text, which is where a name turns into a keyword. The commands are
 * those `ifup --no-act -v` and `ifdown --no-act -v` print, so ifupdown's own
 * methods (`ip tunnel add NAME mode ...`, `ip link set NAME up`) are read too,
 * and each is parsed with iproute2's grammar (test/support/iproute2-grammar.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPlugins, checkSpec, renderSpec, type ModePlugin, type TunnelEnd, type ValidSpec } from 'tungen';
import { deviceOf, IpParseError, parseIp, type IpCommand } from '../support/iproute2-grammar.js';

const seed = Number(process.env['TUNGEN_PROPERTY_SEED'] ?? 20261127);
const runs = Number(process.env['TUNGEN_PROPERTY_RUNS'] ?? 240);

/** mulberry32: small, seeded, the same sequence on every machine. */
function random(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(next: Random, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const between = (next: Random, low: number, high: number) => low + Math.floor(next() * (high - low + 1));

const ifup = ['/usr/sbin/ifup', '/sbin/ifup'].find((path) => existsSync(path));
const ifdown = ['/usr/sbin/ifdown', '/sbin/ifdown'].find((path) => existsSync(path));
const ip = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((path) => existsSync(path));

/**
 * Lower-case words of `ip OBJECT help` (the keywords of the commands tungen leads to,
 * and their values), and the leading parts of each, which iproute2 takes for many keywords.
 */
function iproute2Words(): Tricky {
  const words = new Set<string>();
  const parts = new Set<string>();
  for (const object of ['link', 'tunnel', 'address', 'route']) {
    const run = spawnSync(ip!, [object, 'help'], { encoding: 'utf8' });
    for (const word of `${run.stdout}${run.stderr}`.match(/\b[a-z][a-z0-9_-]*\b/g) ?? []) {
      if (word.length <= 15) words.add(word);
      for (let length = 1; length < Math.min(word.length, 16); length++) parts.add(word.slice(0, length));
    }
  }
  return { words: [...words].sort(), parts: [...parts].sort() };
}

interface Tricky {
  words: string[];
  parts: string[];
}

const nameCharacters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';

function randomName(next: Random, tricky: Tricky): string {
  const roll = next();
  if (roll < 0.3) return pick(next, tricky.words);
  if (roll < 0.45) return pick(next, tricky.parts);
  if (roll < 0.5) return pick(next, ['-a', '--all', '-n', '0', '123']);
  return Array.from({ length: between(next, 1, 15) }, () => pick(next, [...nameCharacters])).join('');
}

/** A value for a JSON Schema node of a mode option; it may be refused (the spec is then skipped). */
function valueFor(next: Random, schema: Record<string, unknown>): unknown {
  if (Array.isArray(schema['oneOf'])) return valueFor(next, pick(next, schema['oneOf'] as Record<string, unknown>[]));
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum'])) return pick(next, schema['enum']);
  switch (schema['type']) {
    case 'boolean':
      return next() < 0.5;
    case 'integer': {
      const low = Number(schema['minimum'] ?? 0);
      const high = Number(schema['maximum'] ?? 65535);
      // The edges are where renderings go wrong (0, the maximum, dotted keys).
      return next() < 0.3 ? pick(next, [low, high]) : between(next, low, Math.min(high, low + 100000));
    }
    case 'string': {
      const pattern = typeof schema['pattern'] === 'string' ? new RegExp(schema['pattern']) : undefined;
      const candidates = [
        [0, 0, 0, 0].map(() => between(next, 0, 255)).join('.'),
        `fd${between(next, 0, 0xff).toString(16)}:${between(next, 1, 0xffff).toString(16)}::/64`,
        Array.from({ length: between(next, 1, 8) }, () => pick(next, [...'abcdefgh'])).join(''),
      ];
      return candidates.find((c) => !pattern || pattern.test(c)) ?? candidates[0];
    }
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      const required = (schema['required'] ?? []) as string[];
      return Object.fromEntries(
        Object.entries(properties)
          .filter(([key]) => required.includes(key) || next() < 0.5)
          .map(([key, node]) => [key, valueFor(next, node)]),
      );
    }
    default:
      return undefined;
  }
}

const outerOf = (plugin: ModePlugin, host: number) =>
  plugin.outer === 'ipv4' ? `192.0.2.${host}` : `2001:db8::${host.toString(16)}`;

/** Inner addresses of both ends of a tunnel, one per family the mode carries, and routes through it. */
function insides(next: Random, plugin: ModePlugin, n: number) {
  const a: Array<string | { address: string; peer: string }> = [];
  const b: string[] = [];
  const routes: Array<string | Record<string, unknown>> = [];
  for (const family of plugin.inner) {
    const v4 = family === 'ipv4';
    const prefix = v4 ? pick(next, [24, 30, 31]) : pick(next, [64, 127]);
    const first = v4 ? `10.${n}.0.0` : `fd00:${n.toString(16)}::`;
    const second = v4 ? `10.${n}.0.1` : `fd00:${n.toString(16)}::1`;
    a.push(`${first}/${prefix}`);
    b.push(`${second}/${prefix}`);
    if (next() < 0.5) {
      const to = v4 ? `10.${100 + n}.${between(next, 0, 255)}.0/24` : `fd01:${n.toString(16)}::/64`;
      const route: Record<string, unknown> = { to };
      if (next() < 0.5) route['via'] = second;
      if (next() < 0.4) route['metric'] = between(next, 0, 4294967295);
      if (next() < 0.3) route['table'] = between(next, 1, 254);
      routes.push(Object.keys(route).length === 1 ? to : route);
    }
  }
  return { a, b, routes };
}

function randomSpec(next: Random, plugin: ModePlugin, n: number, tricky: Tricky): unknown {
  const name = randomName(next, tricky);
  // Half the specs are one-ended without options: those are the ones ifupdown's own
  // methods (tunnel, v4tunnel) render, where the name stands alone in `ip tunnel add NAME`.
  const plain = next() < 0.5;
  const optionRate = plain ? 0 : pick(next, [0.25, 0.5]);
  const options = Object.fromEntries(
    Object.entries(plugin.options)
      .filter(() => next() < optionRate)
      .map(([key, schema]) => [key, valueFor(next, schema as Record<string, unknown>)]),
  );
  // One way of giving keys at a time: both is refused, and every spec refused is one not rendered.
  if ('key' in options) {
    delete options['inputKey'];
    delete options['outputKey'];
  }
  const { a, b, routes } = insides(next, plugin, n);
  const mtu = next() < 0.3 ? { mtu: between(next, 1280, 9000) } : {};
  if (plain || next() < 0.5) {
    const remote = plugin.remote === 'none' ? {} : { remote: outerOf(plugin, 2) };
    return {
      tunnels: [
        { name, mode: plugin.name, local: outerOf(plugin, 1), ...remote, addresses: a, routes, ...mtu, ...options },
      ],
    };
  }
  return {
    hosts: { a: { underlay: outerOf(plugin, 1) }, b: { underlay: outerOf(plugin, 2) } },
    tunnels: [
      {
        name,
        mode: plugin.name,
        ...mtu,
        ...options,
        ends: [
          { host: 'a', addresses: a, routes },
          { host: 'b', name: randomName(next, tricky), addresses: b },
        ],
      },
    ],
  };
}

/** The `ip` commands ifup and ifdown would run for `name`, each as its words. */
function ipCommands(stanza: string, name: string): { commands: string[][]; failures: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tungen-property-'));
  try {
    const file = join(dir, 'interfaces');
    writeFileSync(file, stanza);
    const commands: string[][] = [];
    const failures: string[] = [];
    for (const tool of [ifup!, ifdown!]) {
      const run = spawnSync(tool, ['--no-act', '-v', '--force', `--interfaces=${file}`, '--', name], {
        encoding: 'utf8',
      });
      if (run.status !== 0) failures.push(`${tool} exited ${String(run.status)}: ${run.stderr.trim()}`);
      for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
        // A command with its shell tail (2>/dev/null || true): iproute2 sees the words before it.
        const words = line.trim().split(/\s+/);
        const end = words.findIndex((w) => /^(\d?>|\|\||&&|;)/.test(w));
        if (words[0] === 'ip') commands.push(words.slice(1, end < 0 ? undefined : end));
      }
    }
    return { commands, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What is wrong with how iproute2 reads `command` for `end`; empty when it is the intended command. */
function misreadings(command: IpCommand, end: TunnelEnd): string[] {
  const problems: string[] = [];
  const expect = (what: string, found: string | undefined, wanted: string | undefined) => {
    if (found !== wanted) problems.push(`${what} is ${String(found)}, not ${String(wanted)}`);
  };
  if (command.object !== 'fou') expect('the interface', deviceOf(command), end.name);
  const tunnelArgs = command.object === 'tunnel' ? command.args : command.kind?.args;
  if (tunnelArgs && (command.action === 'add' || command.action === 'change')) {
    expect('local', tunnelArgs.get('local')?.[0], end.local);
    if (end.remote !== undefined) expect('remote', tunnelArgs.get('remote')?.[0], end.remote);
    const ttl = 'ttl' in end.options ? end.options.ttl : undefined;
    if (typeof ttl === 'number')
      expect('the ttl', (tunnelArgs.get('ttl') ?? tunnelArgs.get('hoplimit'))?.[0], String(ttl));
  }
  if (command.object === 'link' && (command.action === 'add' || command.args.has('mtu')) && end.mtu !== undefined)
    expect('the mtu', command.args.get('mtu')?.[0], String(end.mtu));
  if (command.object === 'addr' && command.action === 'add') {
    const local = command.free?.split('/')[0];
    const address = end.addresses.find((a) => a.address === local);
    if (!address) problems.push(`address ${String(command.free)} is none of the tunnel's`);
  }
  if (command.object === 'route' && command.action === 'add') {
    const route = end.routes.find((r) => r.destination === command.free);
    if (!route) problems.push(`route ${String(command.free)} is none of the tunnel's`);
    else {
      expect('the gateway', command.args.get('via')?.[0], route.via);
      expect('the metric', command.args.get('metric')?.[0], route.metric?.toString());
      expect('the table', command.args.get('table')?.[0], route.table?.toString());
    }
  }
  return problems;
}

describe('the iproute2 grammar', () => {
  // The misreadings iproute2 showed for names that are keywords (issue 10), read the same way here.
  it.each([
    [['link', 'add', 'dev', 'type', 'gre'], /either "dev" is duplicate, or "gre" is garbage/],
    [['tunnel', 'add', 'dev', 'mode', 'gre', 'remote', '192.0.2.2'], undefined],
    [['link', 'set', 'up', 'up'], undefined],
  ])('reads ip %j as iproute2 does', (words, error) => {
    if (error) expect(() => parseIp(words)).toThrow(error);
    else expect(deviceOf(parseIp(words))).not.toBe(words[2]);
  });

  it('reads the commands tungen writes with the name where it belongs', () => {
    const add = parseIp(['link', 'add', 'name', 'dev', 'mtu', '1400', 'type', 'gre', 'local', '192.0.2.1']);
    expect([deviceOf(add), add.kind?.name, add.kind?.args.get('local')]).toEqual(['dev', 'gre', ['192.0.2.1']]);
    const route = parseIp(['-6', 'route', 'add', 'fd01::/64', 'via', 'fd00::2', 'dev', 'mode', 'table', '7']);
    expect([deviceOf(route), route.free, route.args.get('table')]).toEqual(['mode', 'fd01::/64', ['7']]);
  });
});

describe('command lines of the ifupdown target', () => {
  it(`read back as the intended commands for random names and values (seed ${seed}, ${runs} specs)`, async () => {
    expect(ip, 'iproute2 (ip) is needed: its usage text lists the words a name must not be').toBeDefined();
    expect(ifup && ifdown, 'ifupdown is needed: ifup --no-act expands its own methods').toBeTruthy();
    const next = random(seed);
    const tricky = iproute2Words();
    const modes = builtinPlugins().list;
    const failures: string[] = [];
    const accepted = new Map<string, number>();
    const specs = new Map<string, unknown>();
    let commands = 0;
    const sample: string[] = [];
    for (let n = 0; n < runs; n++) {
      const plugin = modes[n % modes.length]!;
      // A few tries per spec: many random names and values are refused, and only accepted ones are rendered.
      let data: unknown;
      let spec: ValidSpec | undefined;
      for (let attempt = 0; attempt < 4 && !spec; attempt++) {
        data = randomSpec(next, plugin, n, tricky);
        ({ spec } = await checkSpec({ file: 'spec.json', data, pathPrefix: [] }));
      }
      if (!spec) continue;
      accepted.set(plugin.name, (accepted.get(plugin.name) ?? 0) + 1);
      for (const file of renderSpec(spec, 'ifupdown')) {
        const end = spec.ends.find((e) => e.name === file.tunnel && e.host === file.host)!;
        const read = ipCommands(file.contents, end.name);
        const label = `spec #${n} (${plugin.name}, ${end.name})`;
        specs.set(label, data);
        failures.push(...read.failures.map((f) => `${label}: ${f}`));
        for (const words of read.commands) {
          commands++;
          sample.push(words.join(' '));
          try {
            for (const problem of misreadings(parseIp(words), end))
              failures.push(`${label}: ip ${words.join(' ')}: ${problem}`);
          } catch (error) {
            if (!(error instanceof IpParseError)) throw error;
            failures.push(`${label}: ip ${words.join(' ')}: ${error.message}`);
          }
        }
      }
    }
    // Every mode must have had specs through, or the property says nothing about it.
    for (const plugin of modes)
      expect(accepted.get(plugin.name) ?? 0, `specs of mode ${plugin.name}`).toBeGreaterThan(2);
    expect(commands).toBeGreaterThan(runs);
    // ifupdown's own methods, where the name stands alone, must have been read too.
    const own = [...sample.values()].filter((c) => /^tunnel add |^link set [^d]/.test(c));
    expect(own.length, "commands of ifupdown's own methods").toBeGreaterThan(5);
    const first = failures[0]?.split(':')[0];
    expect(failures.slice(0, 20), first && `${first}: ${JSON.stringify(specs.get(first))}`).toEqual([]);
  }, 300_000);
});
