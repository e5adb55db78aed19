import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/host/diff.js';

const lines = (n: number, change?: [number, string]) =>
  Array.from({ length: n }, (_, i) => (change && i === change[0] ? change[1] : `line ${i + 1}`)).join('\n') + '\n';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y')).toBe('');
  });

  it('shows a new file against /dev/null', () => {
    expect(unifiedDiff(null, 'a\nb\n', 'a/f', 'b/f')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });

  it('shows a removed file against /dev/null', () => {
    expect(unifiedDiff('a\n', null, 'a/f', 'b/f')).toBe('--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n');
  });

  it('keeps three lines of context around a change', () => {
    expect(unifiedDiff(lines(10), lines(10, [4, 'five']), 'a/f', 'b/f')).toBe(
      [
        '--- a/f',
        '+++ b/f',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+five',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('splits distant changes into hunks and merges close ones', () => {
    const distant = unifiedDiff(lines(20), lines(20, [1, 'two']).replace('line 18', 'eighteen'), 'a', 'b');
    expect(distant.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
    const close = unifiedDiff(lines(20), lines(20, [1, 'two']).replace('line 8', 'eight'), 'a', 'b');
    expect(close.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,11 +1,11 @@']);
  });

  it('shows an insertion between unchanged lines', () => {
    expect(unifiedDiff('[Tunnel]\nLocal=1\n', '[Tunnel]\nLocal=1\nKey=42\n', 'a', 'b')).toBe(
      '--- a\n+++ b\n@@ -1,2 +1,3 @@\n [Tunnel]\n Local=1\n+Key=42\n',
    );
  });
});
