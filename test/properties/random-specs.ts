/**
 * Random but reproducible specs for the property tests: a seeded generator, interface
 * names drawn at random and from the words of the installed iproute2's own usage text
 * (where a name turns into a keyword), and mode option values from each option's schema.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ModePlugin } from 'tungen';

/** mulberry32: small, seeded, the same sequence on every machine. */
export function random(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
const pick = <T>(next: Random, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const between = (next: Random, low: number, high: number) => low + Math.floor(next() * (high - low + 1));

export const ip = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((path) => existsSync(path));

/**
 * Lower-case words of `ip OBJECT help` (the keywords of the commands tungen leads to,
 * and their values), and the leading parts of each, which iproute2 takes for many keywords.
 */
export function iproute2Words(): Tricky {
  return usageWords(['link', 'tunnel', 'address', 'route'].map((object) => [ip!, object, 'help']));
}

/** The words (up to 15 letters, an interface name's most) that `commands` print, and their leading parts. */
export function usageWords(commands: ReadonlyArray<readonly string[]>): Tricky {
  const words = new Set<string>();
  const parts = new Set<string>();
  for (const [program, ...args] of commands) {
    const run = spawnSync(program!, args, { encoding: 'utf8' });
    for (const word of `${run.stdout ?? ''}${run.stderr ?? ''}`.match(/\b[a-z][a-z0-9_-]*\b/g) ?? []) {
      if (word.length <= 15) words.add(word);
      for (let length = 1; length < Math.min(word.length, 16); length++) parts.add(word.slice(0, length));
    }
  }
  return { words: [...words].sort(), parts: [...parts].sort() };
}

export interface Tricky {
  words: string[];
  parts: string[];
}

const nameCharacters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';

export function randomName(next: Random, tricky: Tricky): string {
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

/**
 * A spec of one tunnel of `plugin`, one-ended or two-ended, with random mode options,
 * addresses, routes and MTU; `nameOf` gives the interface names (the tunnel's first,
 * then, in the two-ended form, the second end's own).
 */
export function randomSpec(next: Random, plugin: ModePlugin, n: number, nameOf: () => string): unknown {
  const name = nameOf();
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
          { host: 'b', name: nameOf(), addresses: b },
        ],
      },
    ],
  };
}
