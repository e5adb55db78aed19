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
import { builtinPlugins, checkSpec, renderSpec, type TunnelEnd, type ValidSpec } from 'tungen';
import { deviceOf, IpParseError, parseIp, type IpCommand } from '../support/iproute2-grammar.js';
import { iproute2Words, ip, random, randomName, randomSpec } from './random-specs.js';

const ifup = ['/usr/sbin/ifup', '/sbin/ifup'].find((path) => existsSync(path));
const ifdown = ['/usr/sbin/ifdown', '/sbin/ifdown'].find((path) => existsSync(path));

const seed = Number(process.env['TUNGEN_PROPERTY_SEED'] ?? 20261127);
const runs = Number(process.env['TUNGEN_PROPERTY_RUNS'] ?? 240);

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
        data = randomSpec(next, plugin, n, () => randomName(next, tricky));
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
