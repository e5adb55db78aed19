import type { VerifyReport } from './verify.js';

/** Plain text columns, padded to the widest cell. */
function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  return rows
    .map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  '))
    .join('\n');
}

/** One line per check; a failure reads "expected X, found Y". */
export function formatVerify(report: VerifyReport): string {
  const who = report.host === null ? 'this machine' : `host ${report.host}`;
  if (!report.tunnels.length) return `No tunnels for ${who}: nothing to verify.`;
  const rows = [['TUNNEL', 'MODE', 'CHECK', 'RESULT', 'DETAIL']];
  for (const tunnel of report.tunnels) {
    for (const c of tunnel.checks) {
      const detail = c.status === 'fail' ? `expected ${c.expected}, found ${c.found}` : c.found;
      rows.push([
        tunnel.name,
        tunnel.mode,
        c.check,
        c.status === 'pass' ? 'ok' : c.status === 'fail' ? 'FAIL' : 'skip',
        detail,
      ]);
    }
  }
  const failed = report.tunnels.filter((t) => !t.ok).map((t) => t.name);
  const summary = failed.length
    ? `${failed.length} of ${report.tunnels.length} tunnel(s) on ${who} failed: ${failed.join(', ')}`
    : `All ${report.tunnels.length} tunnel(s) on ${who} passed.`;
  return `${table(rows)}\n\n${summary}`;
}
