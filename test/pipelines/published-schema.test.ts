/**
 * The published schema (schema/tungen.schema.json) under validators other
 * than tungen's own: ajv in strict mode (unknown keywords and loose types are
 * errors) and Python's jsonschema (Debian's python3-jsonschema). Both must
 * accept the schema, agree on every example and fixture, and name a typo'd
 * key in their first error.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import AjvModule from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianPython, needDebianPackages } from '../support/debian-packages.js';
import { checkSpec, loadSpec } from 'tungen';
import { repoRoot, tungen } from '../support/run-cli.js';

const run = promisify(execFile);
const schemaFile = join(repoRoot, 'schema/tungen.schema.json');
const noPython = await needDebianPackages('python3-jsonschema');

async function specFiles(): Promise<string[]> {
  const found = (await readdir(join(repoRoot, 'examples')))
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .map((name) => join(repoRoot, 'examples', name));
  const fixtures = join(repoRoot, 'test/fixtures');
  for (const entry of await readdir(fixtures, { recursive: true })) {
    if (/(^|\/)spec\.(ya?ml|json)$/.test(entry)) found.push(join(fixtures, entry));
  }
  return found.sort();
}

const seed = `version: 1
hosts:
  host-a:
    underlay: 10.9.29.68
  host-b:
    underlay: 10.9.142.136
tunnels:
  - name: tun0
    mode: gre
    ends:
      - host: host-a
        addresses: [192.168.10.1/24]
      - host: host-b
        addresses: [{ address: 192.168.10.2/24, peer: 192.168.10.1 }]
`;
/**
 * A typo'd optional key in each kind of mapping: a tunnel (a mode's branch), a host, an address
 * object, an end. (A typo'd required key is reported as that key missing, first, by both.)
 */
const typos = [
  { key: 'ttll', spec: seed.replace('    mode: gre\n', '    mode: gre\n    ttll: 64\n') },
  { key: 'descripton', spec: seed.replace('underlay: 10.9.142.136', 'underlay: 10.9.142.136\n    descripton: b') },
  { key: 'peeer', spec: seed.replace('peer: 192.168', 'peeer: 192.168') },
  { key: 'adresses', spec: seed.replace('addresses: [192.168.10.1/24]', 'adresses: [192.168.10.1/24]') },
];

let dir: string;
let schema: Record<string, unknown>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tungen-schema-'));
  schema = JSON.parse(await readFile(schemaFile, 'utf8')) as Record<string, unknown>;
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function strictAjv() {
  // strict: true makes every strict check an error (unknown keywords, types, tuples, required).
  // ajv ships CommonJS; under NodeNext its class sits on .default.
  const ajv = new AjvModule.default({ strict: true, allErrors: false });
  return ajv.compile(schema);
}

describe('the published schema', () => {
  it('is what `tungen schema` prints, with no keyword of tungen own and no invented domain', async () => {
    const printed = await tungen(['schema']);
    expect(JSON.parse(printed.stdout)).toEqual(schema);
    const text = JSON.stringify(schema);
    expect(text).not.toMatch(/"x-[a-z]+"|"discriminator"/);
    expect(schema['$id']).toBe('urn:tungen:spec-schema:1');
  });

  it('compiles under ajv in strict mode', () => {
    expect(() => strictAjv()).not.toThrow();
  });

  it.skipIf(noPython !== undefined)(
    'ajv (strict) and Python jsonschema agree with tungen on every example and fixture',
    async () => {
      const validate = strictAjv();
      const files = await specFiles();
      expect(files.length).toBeGreaterThan(10);
      const instances: string[] = [];
      for (const [i, file] of files.entries()) {
        const data: unknown = parse(await readFile(file, 'utf8'));
        const instance = join(dir, `${i}.json`);
        await writeFile(instance, JSON.stringify(data));
        instances.push(instance);
      }
      const python = await pythonFirstErrors(instances);
      for (const [i, file] of files.entries()) {
        const data: unknown = JSON.parse(await readFile(instances[i]!, 'utf8'));
        const name = relative(repoRoot, file);
        // tungen's own verdict, through the library (the binary's --json output is tested elsewhere).
        const { problems } = await checkSpec(await loadSpec(file));
        const ownSchemaValid = !problems.some((p) => p.rule.startsWith('schema/'));
        expect({ name, ajv: validate(data), python: python[i] === null }).toEqual({
          name,
          ajv: ownSchemaValid,
          python: ownSchemaValid,
        });
        if (!name.includes('/error-')) expect({ name, problems }).toEqual({ name, problems: [] });
      }
    },
    60_000,
  );

  it.skipIf(noPython !== undefined)('names a typo’d key in the first error of both validators', async () => {
    const validate = strictAjv();
    const instances: string[] = [];
    for (const [i, { spec }] of typos.entries()) {
      const instance = join(dir, `typo-${i}.json`);
      await writeFile(instance, JSON.stringify(parse(spec)));
      instances.push(instance);
    }
    const python = await pythonFirstErrors(instances);
    for (const [i, { key, spec }] of typos.entries()) {
      expect(validate(parse(spec))).toBe(false);
      const first = validate.errors![0]!;
      expect({ key, keyword: first.keyword, named: first.params }).toEqual({
        key,
        keyword: 'additionalProperties',
        named: { additionalProperty: key },
      });
      expect(python[i]).toContain(`'${key}' was unexpected`);
    }
  });
});

/** Python jsonschema's first error for each instance (null when valid), by the schema's own draft. */
async function pythonFirstErrors(instances: string[]): Promise<Array<string | null>> {
  const script = `
import json, sys
from jsonschema.validators import validator_for
schema = json.load(open(sys.argv[1]))
cls = validator_for(schema)
cls.check_schema(schema)
validator = cls(schema)
out = []
for name in sys.argv[2:]:
    first = next(validator.iter_errors(json.load(open(name))), None)
    out.append(None if first is None else first.message)
print(json.dumps(out))
`;
  const { stdout } = await run(debianPython, ['-c', script, schemaFile, ...instances]);
  return JSON.parse(stdout) as Array<string | null>;
}
