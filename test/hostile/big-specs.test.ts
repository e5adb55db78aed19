/**
 * Big specs answer in seconds of CPU, and every problem they print is located.
 * Each case runs the real binary with a preload that reports its own CPU time and
 * peak memory (test/support/resource-report.mjs): the machine may be busy, so wall
 * time would say little. Each run prints its figures; here they were 0.3-0.7 s of
 * CPU and 100-145 MiB. The bounds are several times that, and far below what the
 * cases cost before (16,000 tunnels with an unknown key each: 15.6 s of CPU; 16,000
 * clashing tunnels: killed at 4.4 GB; specs over 1 MiB were not located at all).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tungen } from '../support/run-cli.js';

const mib = 1024 * 1024;

function unknownKeysYaml(bytes: number): string {
  const lines = ['tunnels: []'];
  let size = 12;
  for (let i = 0; size < bytes; i++) {
    const line = `unknown${i}: value${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

function unknownKeysJson(bytes: number): string {
  const entries = ['  "tunnels": []'];
  let size = 20;
  for (let i = 0; size < bytes; i++) {
    const entry = `  "unknown${i}": "value${i}"`;
    entries.push(entry);
    size += entry.length + 2;
  }
  return `{\n${entries.join(',\n')}\n}\n`;
}

/** `count` one-line tunnels; `line(i)` gives the mapping's inside. */
const tunnels = (count: number, line: (i: number) => string) =>
  `tunnels:\n${Array.from({ length: count }, (_, i) => `  - {${line(i)}}\n`).join('')}`;

interface Case {
  name: string;
  file: string;
  spec: () => string;
  first: RegExp;
}

const cases: Case[] = [
  {
    name: '2 MiB of unknown keys in YAML',
    file: 'spec.yaml',
    spec: () => unknownKeysYaml(2 * mib),
    first: /^spec\.yaml:2:1: unknown field "unknown0"/,
  },
  {
    name: '2 MiB of unknown keys in JSON',
    file: 'spec.json',
    spec: () => unknownKeysJson(2 * mib),
    first: /^spec\.json:3:3: unknown field "unknown0"/,
  },
  {
    name: 'one tunnel with 2 MiB of unknown keys',
    file: 'spec.yaml',
    spec: () =>
      `tunnels:\n  - name: gre1\n    mode: gre\n    local: 192.0.2.1\n    remote: 192.0.2.2\n${unknownKeysYaml(2 * mib)
        .split('\n')
        .slice(1, -1)
        .map((line) => `    ${line}`)
        .join('\n')}\n`,
    first: /^spec\.yaml:6:5: unknown field "unknown0" for mode gre/,
  },
  {
    name: '16,000 tunnels with an unknown key each',
    file: 'spec.yaml',
    spec: () => tunnels(16000, (i) => `name: t${i}, mode: gre, local: 192.0.2.1, remote: 192.0.2.2, oops${i}: 1`),
    first: /^spec\.yaml:2:64: unknown field "oops0" for mode gre/,
  },
  {
    // Every VTI takes the ipip packets of every ipip tunnel between the same addresses: 64 million pairs.
    name: '16,000 tunnels of two kinds that take the same packets',
    file: 'spec.yaml',
    spec: () =>
      tunnels(16000, (i) =>
        i % 2
          ? `name: t${i}, mode: ipip, local: 192.0.2.1, remote: 192.0.2.2`
          : `name: t${i}, mode: vti, key: ${i + 1}, local: 192.0.2.1, remote: 192.0.2.2`,
      ),
    first: /^spec\.yaml:\d+:5: tunnel t\d+ \(tunnels\[\d+\]\)/,
  },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tungen-big-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('big specs', () => {
  it.each(cases)(
    '$name: located problems in seconds of CPU',
    async ({ name, file, spec, first }) => {
      const caseDir = await mkdtemp(join(dir, 'case-'));
      const text = spec();
      expect(text.length, name).toBeGreaterThan(mib);
      await writeFile(join(caseDir, file), text);
      const report = join(caseDir, 'resources.json');
      const run = await tungen(['validate', file], {
        cwd: caseDir,
        env: {
          NODE_OPTIONS: `--import=${join(repoRoot, 'test/support/resource-report.mjs')}`,
          TUNGEN_RESOURCE_REPORT: report,
        },
      });
      const usage = JSON.parse(await readFile(report, 'utf8')) as NodeJS.ResourceUsage;
      const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
      const peakMiB = usage.maxRSS / 1024;
      const lines = run.stderr.trimEnd().split('\n');
      expect(run.code).toBe(1);
      expect(lines[0]).toMatch(first);
      // 100 problems and the count of the rest, each with its LINE:COL, whatever the size.
      expect(lines).toHaveLength(101);
      for (const line of lines) expect(line).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: `));
      expect(lines[100]).toMatch(/: more than 900 more problems not shown; fix these first$/);
      console.log(`${name}: ${cpuSeconds.toFixed(2)} s of CPU, peak ${peakMiB.toFixed(0)} MiB`);
      expect(cpuSeconds, `CPU time of "${name}"`).toBeLessThan(4);
      expect(peakMiB, `peak memory of "${name}"`).toBeLessThan(300);
    },
    120_000,
  );
});
