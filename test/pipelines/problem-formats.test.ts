/**
 * Problems for machines: validate's json, github and sarif formats, every
 * problem kind in one run, and fatal errors as JSON on every command in JSON
 * mode. The SARIF log is checked against the SARIF 2.1.0 schema (the copy
 * the @microsoft/jest-sarif package ships) by Python's jsonschema.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubAnnotation } from '../../src/cli/problem-formats.js';
import { coreProblem } from '../../src/diagnostics.js';
import { debianPython, needDebianPackages } from '../support/debian-packages.js';
import { tungen } from '../support/run-cli.js';

const run = promisify(execFile);
const sarifSchema = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const noPython = await needDebianPackages('python3-jsonschema');

// A schema problem on a host, an unknown top-level key, a schema problem in a
// tunnel and a semantic problem in another: all four in one run.
const mixed = `version: 1
colour: blue
hosts:
  host-a:
    underlay: 10.9.29.999
  host-b:
    underlay: 10.9.142.136
  host-c:
    underlay: 10.9.142.137
tunnels:
  - name: tun0
    mode: gre
    ends:
      - host: host-a
        addresses: [192.168.10.1/24]
      - host: host-b
        addresses: [192.168.10.2/24]
  - name: tun1
    mode: gre
    ttll: 64
    ends:
      - host: host-b
        addresses: [192.168.11.1/24]
      - host: host-c
        addresses: [192.168.11.2/24]
  - name: tun2
    mode: gre
    ends:
      - host: host-b
        addresses: [192.168.12.1/24]
      - host: host-b
        addresses: [192.168.12.2/24]
`;

const expected = [
  { file: 'mixed.yaml', line: 2, column: 1, path: 'colour', rule: 'schema/unknown-key' },
  { file: 'mixed.yaml', line: 20, column: 5, path: 'tunnels[1].ttll', rule: 'schema/unknown-key' },
  { file: 'mixed.yaml', line: 5, column: 15, path: 'hosts.host-a.underlay', rule: 'address/invalid' },
  { file: 'mixed.yaml', line: 31, column: 15, path: 'tunnels[2].ends[1].host', rule: 'tunnel/same-host' },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tungen-formats-'));
  await writeFile(join(dir, 'mixed.yaml'), mixed);
  await writeFile(
    join(dir, 'valid.yaml'),
    mixed.replace('colour: blue\n', '').replace(/^(tunnels:)[\s\S]*$/m, '$1 []'),
  );
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('validate --format', () => {
  it('json: one object per problem, schema and semantic problems in one run', async () => {
    for (const flag of [['--format', 'json'], ['--json'], ['-f', 'json']]) {
      const result = await tungen(['validate', ...flag, 'mixed.yaml', 'valid.yaml'], { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as {
        valid: boolean;
        files: unknown[];
        problems: Array<Record<string, unknown>>;
      };
      expect(report.valid).toBe(false);
      expect(report.files).toEqual([
        { file: 'mixed.yaml', valid: false, tunnels: null },
        { file: 'valid.yaml', valid: true, tunnels: 0 },
      ]);
      for (const problem of report.problems) {
        expect(Object.keys(problem).sort()).toEqual(['column', 'file', 'line', 'message', 'path', 'rule', 'severity']);
        expect(problem['severity']).toBe('error');
        expect(problem['message']).toEqual(expect.any(String));
      }
      expect(report.problems.map(({ message: _m, severity: _s, ...where }) => where)).toEqual(expected);
    }
  });

  it('text: the same problems, one line each', async () => {
    const result = await tungen(['validate', 'mixed.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(
      result.stderr
        .trim()
        .split('\n')
        .map((line) => line.split(': ')[0]),
    ).toEqual(expected.map((p) => `${p.file}:${p.line}:${p.column}`));
  });

  it('github: one workflow annotation per problem', async () => {
    const result = await tungen(['validate', '--format', 'github', 'mixed.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => {
      const p = expected[i]!;
      expect(line).toMatch(
        new RegExp(`^::error file=${p.file},line=${p.line},col=${p.column},title=tungen ${p.rule}::.+ \\(.+\\)$`),
      );
    });
    expect(lines[2]).toBe(
      '::error file=mixed.yaml,line=5,col=15,title=tungen address/invalid::"10.9.29.999" is not an IP address (hosts.host-a.underlay)',
    );
  });

  it('github: escapes what would end a property or the line', () => {
    const problem = coreProblem('schema/type', 'two\nlines, 100%', ['tunnels', 0], {
      file: 'a,b:c.yaml',
      line: 1,
      column: 2,
    });
    expect(githubAnnotation(problem)).toBe(
      '::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=tungen schema/type::two%0Alines, 100%25 (tunnels[0])',
    );
  });

  it.skipIf(noPython !== undefined)('sarif: a SARIF 2.1.0 log that code scanning can read', async () => {
    const result = await tungen(['validate', '--format', 'sarif', 'mixed.yaml', 'valid.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const log = JSON.parse(result.stdout) as SarifLog;
    const logFile = join(dir, 'report.sarif');
    await writeFile(logFile, result.stdout);
    expect(await schemaErrors(sarifSchema, logFile)).toEqual([]);
    // What GitHub code scanning needs beyond the schema: rule ids that resolve, repository-relative
    // URIs and 1-based regions.
    const [only] = log.runs;
    const rules = only!.tool.driver.rules.map((r) => r.id);
    expect(only!.results.map((r) => r.ruleId)).toEqual(expected.map((p) => p.rule));
    for (const result of only!.results) {
      expect(rules[result.ruleIndex]).toBe(result.ruleId);
      const location = result.locations[0]!.physicalLocation;
      expect(location.artifactLocation.uri).toBe('mixed.yaml');
      expect(location.region.startLine).toBeGreaterThanOrEqual(1);
    }
    // The check can fail: a log without its version is refused.
    const broken = join(dir, 'broken.sarif');
    await writeFile(broken, JSON.stringify({ ...log, version: undefined }));
    expect((await schemaErrors(sarifSchema, broken)).join('\n')).toContain("'version' is a required property");
  });
});

describe('fatal errors in JSON mode are JSON', () => {
  const commands = [
    ['validate', '--json', 'missing.yaml'],
    ['-c', 'missing.yaml', 'emit', '-t', 'networkd', '--json'],
    ['-c', 'missing.yaml', 'apply', '-t', 'networkd', '--dry-run', '--json'],
    ['-c', 'missing.yaml', 'verify', '--json'],
    ['-c', 'missing.yaml', 'try', '-t', 'networkd', '--json'],
    ['-c', 'missing.yaml', 'bundle', '-t', 'networkd', '--json'],
    ['-c', 'mixed.yaml', 'emit', '-t', 'networkd', '--json'],
    ['-c', 'mixed.yaml', 'emit', '-t', 'nowhere', '--json'],
    ['emit', '--json', '--no-such-option'],
  ];
  it.each(commands)('tungen %s ...', async (...args: string[]) => {
    const result = await tungen(args, { cwd: dir });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      error?: { message: string; exitCode: number };
      problems: Array<{ rule: string }>;
    };
    if (args[0] === 'validate') {
      expect(report.problems.map((p) => p.rule)).toEqual(['spec/missing']);
      expect(result.code).toBe(2);
      return;
    }
    expect(report.error?.exitCode).toBe(result.code);
    expect(report.error?.message).toEqual(expect.any(String));
    if (args.includes('missing.yaml')) expect(report.problems.map((p) => p.rule)).toEqual(['spec/missing']);
    if (args.includes('mixed.yaml') && args.includes('networkd'))
      expect(report.problems.map((p) => p.rule)).toEqual(expected.map((p) => p.rule));
  });
});

interface SarifLog {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string }> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
    }>;
  }>;
}

/** Errors Python's jsonschema finds in a JSON file against a schema (the draft the schema names). */
async function schemaErrors(schemaFile: string, instanceFile: string): Promise<string[]> {
  const script = `
import json, sys
from jsonschema.validators import validator_for
schema = json.load(open(sys.argv[1]))
instance = json.load(open(sys.argv[2]))
cls = validator_for(schema)
cls.check_schema(schema)
for error in sorted(cls(schema).iter_errors(instance), key=lambda e: list(e.absolute_path)):
    print(error.message)
`;
  const { stdout } = await run(debianPython, ['-c', script, schemaFile, instanceFile]);
  return stdout.split('\n').filter(Boolean);
}
