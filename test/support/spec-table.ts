/**
 * Runs a table of bad specs: each must make `validate` print exactly the given
 * problems (FILE:LINE:COL: message (path)) and exit with the given code, and
 * `emit --out` must write nothing for it, in either target.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emitOutInProcess, listFiles, validateInProcess } from './run-cli.js';

export interface SpecCase {
  name: string;
  /** File name of the spec (default spec.yaml). */
  file?: string;
  spec: string;
  /** [LINE:COL or '' when the whole file is meant, dotted path or '', message] */
  problems: Array<[at: string, path: string, message: string | RegExp]>;
  /** Exit code of validate and emit (default 1). */
  code?: number;
}

export function runSpecTable(cases: readonly SpecCase[]): void {
  let root: string;
  const files = new Map<string, string>();
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tungen-spec-table-'));
    for (const [index, c] of cases.entries()) {
      const dir = join(root, String(index));
      await mkdir(dir);
      const file = join(dir, c.file ?? 'spec.yaml');
      await writeFile(file, c.spec);
      files.set(c.name, file);
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('has distinct names', () => expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length));

  it.each(cases)('$name', async (c) => {
    const file = files.get(c.name)!;
    const run = await validateInProcess(file);
    expect(run.code, run.stderr).toBe(c.code ?? 1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines, run.stderr).toHaveLength(c.problems.length);
    c.problems.forEach(([at, path, message], i) => {
      const prefix = `${file}${at ? `:${at}` : ''}: `;
      const suffix = path ? ` (${path})` : '';
      const line = lines[i]!;
      expect(line.startsWith(prefix) && line.endsWith(suffix), `${line}\nshould be ${prefix}...${suffix}`).toBe(true);
      const text = line.slice(prefix.length, line.length - suffix.length);
      if (typeof message === 'string') expect(text).toBe(message);
      else expect(text).toMatch(message);
    });
    for (const target of ['networkd', 'ifupdown']) {
      const out = join(root, `out-${target}`);
      await mkdir(out, { recursive: true });
      const emitted = await emitOutInProcess(file, target, out);
      expect(await listFiles(out), `emit -t ${target} --out must write nothing`).toEqual([]);
      expect(emitted.code).toBe(c.code ?? 1);
      await rm(out, { recursive: true });
    }
  });
}
