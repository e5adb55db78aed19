/**
 * The two ends of a two-ended tunnel must be each other's mirror image: what
 * one calls local the other calls remote, one's peer address is the other's
 * address, one's input key is the other's output key. Everything else about
 * the link (kind, TTL, TOS, ...) must be the same on both.
 */
import { ipLinkAddArgs, parseStanzas, type Stanza } from './ifupdown-stanza.js';
import { parseUnitFile, type ParsedUnit } from './unit-file.js';

export interface EndFiles {
  label: string;
  netdev?: string;
  network?: string;
  stanza?: string;
}

const swapNames: Readonly<Record<string, string>> = {
  Local: 'Remote',
  Remote: 'Local',
  InputKey: 'OutputKey',
  OutputKey: 'InputKey',
};
const swapWords: Readonly<Record<string, string>> = { local: 'remote', remote: 'local', ikey: 'okey', okey: 'ikey' };

/** Entries of the link sections as KEY=VALUE, with the per-end names left out. */
function linkEntries(unit: ParsedUnit, swap: boolean): string[] {
  return unit.sections
    .filter((s) => s.name === 'NetDev' || s.name === 'Tunnel')
    .flatMap((s) =>
      s.entries
        .filter((e) => e.key !== 'Name')
        .map((e) => `${s.name}.${(swap && swapNames[e.key]) || e.key}=${e.value}`),
    )
    .sort();
}

/** Address -> peer of every [Address] with a Peer=, prefixes dropped (each end may use its own). */
function peerPairs(unit: ParsedUnit): string[] {
  const bare = (v: string) => v.split('/')[0];
  return unit.sections
    .filter((s) => s.name === 'Address')
    .map((s) => [s.entries.find((e) => e.key === 'Address')?.value, s.entries.find((e) => e.key === 'Peer')?.value])
    .filter((pair): pair is [string, string] => pair[0] !== undefined && pair[1] !== undefined)
    .map(([address, peer]) => `${bare(address)} > ${bare(peer)}`)
    .sort();
}

const flip = (pairs: string[]) => pairs.map((p) => p.split(' > ').reverse().join(' > ')).sort();

function networkdProblems(a: EndFiles, b: EndFiles, remote: 'required' | 'none'): string[] {
  const problems: string[] = [];
  const [netdevA, netdevB] = [parseUnitFile(a.netdev!), parseUnitFile(b.netdev!)];
  if (remote === 'required') {
    const expected = linkEntries(netdevA, true);
    const actual = linkEntries(netdevB, false);
    if (expected.join('\n') !== actual.join('\n')) {
      problems.push(
        `networkd: ${b.label} should be ${a.label} with Local/Remote and InputKey/OutputKey swapped:\n  expected ${expected.join(' ')}\n  actual   ${actual.join(' ')}`,
      );
    }
  } else {
    // Without a remote each end has only its own Local=, which must differ.
    const local = (u: ParsedUnit) =>
      u.sections.find((s) => s.name === 'Tunnel')?.entries.find((e) => e.key === 'Local')?.value;
    if (local(netdevA) === local(netdevB)) problems.push(`networkd: both ends have Local=${local(netdevA)}`);
    const rest = (u: ParsedUnit) =>
      linkEntries(u, false)
        .filter((e) => !e.startsWith('Tunnel.Local='))
        .join(' ');
    if (rest(netdevA) !== rest(netdevB))
      problems.push(`networkd: link settings differ: ${rest(netdevA)} vs ${rest(netdevB)}`);
  }
  const [pairsA, pairsB] = [peerPairs(parseUnitFile(a.network!)), peerPairs(parseUnitFile(b.network!))];
  if (flip(pairsA).join() !== pairsB.join()) {
    problems.push(
      `networkd: peers do not mirror: ${a.label} has ${pairsA.join(', ') || 'none'}; ${b.label} has ${pairsB.join(', ') || 'none'}`,
    );
  }
  return problems;
}

/** Words of `ip link add` as sorted "word value" pairs, optionally seen from the other end. */
function linkWords(args: string[], swap: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word in swapWords || ['type', 'ttl', 'tos', 'key', 'mtu'].includes(word)) {
      out.push(`${(swap && swapWords[word]) || word} ${args[++i] ?? ''}`);
    } else out.push(word);
  }
  return out.sort();
}

function optionValue(stanza: Stanza, key: string): string | undefined {
  return stanza.options.find((o) => o.key === key)?.words.join(' ');
}

/** `up ip addr add X peer P/LEN` lines, and the method's own address/dstaddr, as address > peer. */
function stanzaPeers(stanza: Stanza): string[] {
  const pairs = stanza.options
    .filter((o) => o.key === 'up' && o.words.slice(0, 3).join(' ') === 'ip addr add' && o.words[4] === 'peer')
    .map((o) => `${o.words[3]} > ${o.words[5]!.split('/')[0]}`);
  const address = optionValue(stanza, 'address');
  const dstaddr = optionValue(stanza, 'dstaddr');
  if (address && dstaddr) pairs.push(`${address.split('/')[0]} > ${dstaddr.split('/')[0]}`);
  return pairs.sort();
}

function ifupdownProblems(a: EndFiles, b: EndFiles, remote: 'required' | 'none'): string[] {
  const [sa, sb] = [parseStanzas(a.stanza!).stanzas[0], parseStanzas(b.stanza!).stanzas[0]];
  if (!sa || !sb) return ['ifupdown: a stanza is missing'];
  const problems: string[] = [];
  if (sa.family !== sb.family || sa.method !== sb.method)
    problems.push(`ifupdown: ${sa.family} ${sa.method} vs ${sb.family} ${sb.method}`);
  const [argsA, argsB] = [ipLinkAddArgs(sa), ipLinkAddArgs(sb)];
  if (argsA && argsB) {
    const expected = linkWords(argsA, remote === 'required').filter(
      (w) => remote === 'required' || !w.startsWith('local '),
    );
    const actual = linkWords(argsB, false).filter((w) => remote === 'required' || !w.startsWith('local '));
    if (expected.join('|') !== actual.join('|')) {
      problems.push(
        `ifupdown: ip link add of ${b.label} should mirror ${a.label}:\n  expected ${expected.join(', ')}\n  actual   ${actual.join(', ')}`,
      );
    }
  } else if (argsA || argsB) {
    problems.push('ifupdown: only one end uses ip link add');
  } else {
    if (
      optionValue(sa, 'local') !== optionValue(sb, 'endpoint') ||
      optionValue(sa, 'endpoint') !== optionValue(sb, 'local')
    ) {
      problems.push(`ifupdown: local/endpoint do not mirror between ${a.label} and ${b.label}`);
    }
    const same = (s: Stanza) =>
      s.options
        .filter((o) => ['mode', 'ttl', 'tos', 'mtu'].includes(o.key))
        .map((o) => `${o.key} ${o.words.join(' ')}`)
        .sort()
        .join(', ');
    if (same(sa) !== same(sb)) problems.push(`ifupdown: link options differ: ${same(sa)} vs ${same(sb)}`);
  }
  const [pairsA, pairsB] = [stanzaPeers(sa), stanzaPeers(sb)];
  if (flip(pairsA).join() !== pairsB.join()) {
    problems.push(
      `ifupdown: peers do not mirror: ${a.label} has ${pairsA.join(', ') || 'none'}; ${b.label} has ${pairsB.join(', ') || 'none'}`,
    );
  }
  return problems;
}

/** Ways in which end b's files are not the mirror image of end a's. */
export function mirrorProblems(a: EndFiles, b: EndFiles, remote: 'required' | 'none'): string[] {
  const problems: string[] = [];
  if (a.netdev !== undefined && a.network !== undefined && b.netdev !== undefined && b.network !== undefined) {
    problems.push(...networkdProblems(a, b, remote));
  }
  if (a.stanza !== undefined && b.stanza !== undefined) problems.push(...ifupdownProblems(a, b, remote));
  return problems;
}
