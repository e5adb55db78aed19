/**
 * Every networkd file of every fixture, parsed the way networkd reads it
 * (repeated sections kept), must use only sections and keys systemd 252
 * accepts. The fixtures are what the renderer writes: golden.test.ts keeps
 * them equal to its output.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStanzas } from '../src/testing/ifupdown-stanza.js';
import { fixtureCases } from '../src/testing/mode-tester.js';
import { lintNetworkdFile } from '../src/testing/networkd-lint.js';
import { listFiles, repoRoot } from './support/run-cli.js';
import { netdevKeys, networkKeys, tunnelKeySince } from '../src/testing/systemd-252-keys.js';
import { parseUnitFile } from '../src/testing/unit-file.js';

const fixtures = join(repoRoot, 'test/fixtures');
const generated = await Promise.all(
  fixtureCases(fixtures).flatMap((dir) =>
    ['networkd', 'ifupdown'].map(async (target) =>
      (await listFiles(join(dir, target))).map((path) => join(dir, target, path)),
    ),
  ),
).then((lists) => lists.flat());
const networkdFiles = generated.filter((path) => /\.(netdev|network)$/.test(path));
const ifupdownFiles = generated.filter((path) => path.includes('/ifupdown/'));
const short = (path: string) => path.slice(fixtures.length + 1);

describe('generated networkd files', () => {
  it('cover every fixture', () => {
    expect(networkdFiles.length).toBeGreaterThanOrEqual(fixtureCases(fixtures).length * 2);
  });

  it.each(networkdFiles.map(short))('%s uses only what systemd 252 accepts', (path) => {
    expect(lintNetworkdFile(path, readFileSync(join(fixtures, path), 'utf8'))).toEqual([]);
  });

  it('keep repeated sections apart', () => {
    const text = readFileSync(join(fixtures, 'gre/one-ended-options/networkd/10-tungen-gre-keyed.network'), 'utf8');
    const unit = parseUnitFile(text);
    expect(unit.sections.map((s) => s.name)).toEqual(['Match', 'Network', 'Address', 'Address', 'Route', 'Route']);
    expect(
      unit.sections.filter((s) => s.name === 'Address').map((s) => s.entries.map((e) => `${e.key}=${e.value}`)),
    ).toEqual([['Address=10.30.0.1/24'], ['Address=fd00:30::1/64', 'Peer=fd00:30::2/64']]);
  });
});

describe('every generated file', () => {
  it.each(generated.map(short))('%s ends with a newline and has one value per line', (path) => {
    const text = readFileSync(join(fixtures, path), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toMatch(/[\r\t\v\f\u0085\u2028\u2029]/);
    const problems = path.includes('/ifupdown/') ? parseStanzas(text).problems : parseUnitFile(text).problems;
    expect(problems).toEqual([]);
  });

  it('include ifupdown stanzas for every fixture', () => {
    expect(ifupdownFiles.length).toBeGreaterThanOrEqual(fixtureCases(fixtures).length);
  });
});

describe('the unit-file parser', () => {
  it('reads sections, keys and comments as systemd does', () => {
    const unit = parseUnitFile('# c\n[A]\n Key = value with spaces \n;c\n\n[A]\nKey=2\n');
    expect(unit.problems).toEqual([]);
    expect(unit.sections).toEqual([
      { name: 'A', line: 2, entries: [{ key: 'Key', value: 'value with spaces', line: 3 }] },
      { name: 'A', line: 6, entries: [{ key: 'Key', value: '2', line: 7 }] },
    ]);
  });

  it('reports what would change the meaning of a file', () => {
    expect(parseUnitFile('Key=1\n[A]\nx\nKey=a\\\nMore=1\r\n').problems).toEqual([
      'line 1: key outside any section',
      'line 3: neither a section, a key=value nor a comment: "x"',
      'line 4: ends with a backslash, which continues the value on the next line',
      'line 5: carriage return',
    ]);
  });
});

describe('the networkd lint', () => {
  const netdev = (tunnel: string, kind = 'gre') => `[NetDev]\nName=t0\nKind=${kind}\n\n[Tunnel]\n${tunnel}\n`;

  it('accepts a plain tunnel', () => {
    expect(lintNetworkdFile('a.netdev', netdev('Local=192.0.2.1\nRemote=192.0.2.2\nIndependent=yes'))).toEqual([]);
  });

  it.each([
    ['an unknown key', netdev('Bogus=1'), 'line 6: Tunnel.Bogus is not a key systemd 252 accepts'],
    [
      'a key newer than 252',
      netdev('IgnoreDontFragment=yes'),
      'line 6: Tunnel.IgnoreDontFragment needs systemd 254, newer than 252',
    ],
    [
      'a key of other kinds',
      netdev('Key=1', 'ipip'),
      'line 6: Tunnel.Key is not used by Kind=ipip (only vti, vti6, gre, gretap, ip6gre, ip6gretap, erspan)',
    ],
    ['ISATAP off sit', netdev('ISATAP=yes'), 'line 6: Tunnel.ISATAP is not used by Kind=gre (only sit)'],
    ['a bad TTL', netdev('TTL=256'), 'line 6: Tunnel.TTL="256" is not a valid value'],
    ['a bad key', netdev('Key=1.2.3'), 'line 6: Tunnel.Key="1.2.3" is not a valid value'],
    ['a key set twice', netdev('TTL=1\nTTL=2'), 'line 7: Tunnel.TTL is set twice in one section'],
    ['an empty value', netdev('TTL='), 'line 6: Tunnel.TTL is empty, which resets it'],
    [
      'an unknown section',
      '[NetDev]\nName=t0\nKind=gre\n[Tunel]\nTTL=1\n',
      'line 4: section [Tunel] is not one a .netdev file takes',
    ],
    ['a missing Kind', '[NetDev]\nName=t0\n', '[NetDev] lacks Kind='],
    ['no final newline', '[NetDev]\nName=t0\nKind=gre', 'does not end with a newline'],
    [
      'a value broken over two lines',
      netdev('Local=192.0.2.1\n[Bogus]'),
      'line 7: section [Bogus] is not one a .netdev file takes',
    ],
  ])('reports %s', (_label, text, problem) => {
    expect(lintNetworkdFile('a.netdev', text)).toContain(problem);
  });

  it('checks .network files against their own sections', () => {
    expect(
      lintNetworkdFile('a.network', '[Match]\nName=t0\n\n[Address]\nAddress=10.0.0.1/24\nPeer=10.0.0.2/24\n'),
    ).toEqual([]);
    expect(lintNetworkdFile('a.network', '[Match]\nName=t0\n[Tunnel]\nLocal=192.0.2.1\n')).toContain(
      'line 3: section [Tunnel] is not one a .network file takes',
    );
    expect(lintNetworkdFile('a.network', '[Network]\nAddress=10.0.0.1/24\n')).toContain(
      'needs exactly one [Match] section, found 0',
    );
    expect(lintNetworkdFile('a.network', '[Match]\nName=t0\n[Route]\nDestination=10.0.0.1/99\n')).toContain(
      'line 4: Route.Destination="10.0.0.1/99" is not a valid value',
    );
  });

  it('keeps IgnoreDontFragment (systemd 254) out of the [Tunnel] keys it accepts', () => {
    expect(tunnelKeySince['IgnoreDontFragment']).toBe(254);
    expect(netdevKeys['Tunnel']).not.toContain('IgnoreDontFragment');
  });
});

/**
 * The key lists come from the manual; networkd itself is the authority. Its
 * parser tables (gperf) are compiled into the binary as NUL-terminated
 * "Section.Key" strings, so the lists are compared with Debian 12's networkd,
 * a source independent of the lists and of the filter that builds them.
 */
describe('the key lists, against systemd-networkd 252 itself', () => {
  const binary = ['/usr/lib/systemd/systemd-networkd', '/lib/systemd/systemd-networkd'].find((path) =>
    existsSync(path),
  );
  const parserKeys = (): Set<string> => {
    if (!binary) throw new Error('systemd-networkd not found: apt-get install systemd (Debian 12: systemd 252)');
    const text = readFileSync(binary).toString('latin1');
    return new Set(text.match(/(?<=\0)[A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*(?=\0)/g) ?? []);
  };

  it('is version 252', () => {
    parserKeys();
    expect(execFileSync(binary!, ['--version'], { encoding: 'utf8' })).toMatch(/^systemd 252 /);
  });

  it('has exactly the [Tunnel] keys the lint accepts', () => {
    const tunnel = [...parserKeys()].filter((key) => key.startsWith('Tunnel.')).map((key) => key.slice(7));
    expect(tunnel.length).toBeGreaterThan(20);
    expect(new Set(netdevKeys['Tunnel'])).toEqual(new Set(tunnel));
  });

  it.each([
    ['.netdev', netdevKeys],
    ['.network', networkKeys],
  ])('knows every key the lint accepts in a %s file', (_label, sections) => {
    const known = parserKeys();
    const unknown = Object.entries(sections).flatMap(([section, keys]) =>
      keys.map((key) => `${section}.${key}`).filter((key) => !known.has(key)),
    );
    expect(unknown).toEqual([]);
  });
});
