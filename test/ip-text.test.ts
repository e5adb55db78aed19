/**
 * familyOf checks address text itself (src/model/ip.ts) instead of loading node:net for its
 * isIPv4/isIPv6: it must take exactly the texts they take (an IPv6 zone, %eth0, aside, which
 * tungen refuses). Compared on hand-picked edges and on a fixed walk (no randomness: a failure
 * repeats) over texts built from groups, dots, colons and near-misses.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { familyOf } from '../src/model/ip.js';

const nodeFamily = (text: string) => (isIPv4(text) ? 'ipv4' : isIPv6(text) && !text.includes('%') ? 'ipv6' : undefined);

const edges = [
  '',
  '0.0.0.0',
  '255.255.255.255',
  '256.0.0.1',
  '01.2.3.4',
  '1.2.3',
  '1.2.3.4.',
  '1.2.3.4 ',
  '1.2.3.4\n',
  '::',
  '::1',
  '1::',
  ':1::',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7::',
  '::2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7::8',
  '1:2:3:4:5:6::8',
  '1::2::3',
  '1:::2',
  '::ffff:1.2.3.4',
  '::1.2.3.4',
  '1:2:3:4:5:6:1.2.3.4',
  '1:2:3:4:5:6:7:1.2.3.4',
  '1:2:3:4:5::1.2.3.4',
  '1:2:3:4:5:6::1.2.3.4',
  '1.2.3.4::',
  '::1.2.3.4:1',
  '::01.2.3.4',
  'fe80::1%eth0',
  'FFFF::ABCD',
  '12345::',
  'g::1',
  '٣.٣.٣.٣',
];

/** Texts near both grammars, and near-misses of them: a fixed pseudo-random walk. */
function* walk(count: number): Generator<string> {
  let x = 12345;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    // The high bits: the low bits of this generator repeat with short periods.
    return Math.floor((x / 2 ** 31) * n);
  };
  const pick = (list: readonly string[]) => list[next(list.length)]!;
  const bytes = ['0', '1', '9', '10', '99', '100', '199', '249', '255', '256', '300', '00', '01', '010', ''];
  const groups = ['0', '1', 'a', 'ff', 'FFFF', 'abcd', '0000', '00000', 'fffff', 'g', 'aG', ''];
  const quad = (length: number) => Array.from({ length }, () => pick(bytes)).join('.');
  for (let i = 0; i < count; i++) {
    const kind = next(3);
    if (kind === 0) {
      // Dotted quads, sometimes with three or five numbers.
      yield quad(next(6) === 0 ? 3 + 2 * next(2) : 4);
      continue;
    }
    // Groups, with '::' somewhere (or twice, or not), sometimes ending in a dotted quad.
    const length = next(10);
    const parts = Array.from({ length }, () => (next(4) === 0 ? pick(groups) : pick(groups.slice(0, 6))));
    let text = parts.join(':');
    if (next(3) !== 0) {
      const at = next(length + 1);
      text = [...parts.slice(0, at), ''].join(':') + ':' + parts.slice(at).join(':');
      if (next(8) === 0) text = text.replace('::', ':::');
      if (next(8) === 0) text += '::';
    }
    if (kind === 2) text += (text === '' || text.endsWith(':') ? '' : ':') + quad(next(5) === 0 ? 3 : 4);
    if (next(10) === 0) text += pick(['%eth0', '.', ':', ' ']);
    yield text;
  }
}

describe('familyOf takes the address texts node:net takes', () => {
  it('on the edges of both grammars', () => {
    for (const text of edges) expect(familyOf(text), JSON.stringify(text)).toBe(nodeFamily(text));
  });

  it('on 200,000 texts built near the grammar, of which many are addresses of each family', () => {
    const seen = { ipv4: 0, ipv6: 0, none: 0 };
    for (const text of walk(200_000)) {
      const expected = nodeFamily(text);
      if (familyOf(text) !== expected) expect(familyOf(text), JSON.stringify(text)).toBe(expected);
      seen[expected ?? 'none']++;
    }
    expect(seen.ipv4).toBeGreaterThan(1000);
    expect(seen.ipv6).toBeGreaterThan(1000);
    expect(seen.none).toBeGreaterThan(1000);
  });
});
