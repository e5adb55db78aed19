/**
 * The published schema in an editor: yaml-language-server (the YAML support of
 * VS Code and other editors) must load it through the examples' modeline or a
 * workspace setting, underline nothing in a valid spec, and name a typo'd key
 * on its line.
 */
import { readdir, readFile, realpath } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YamlLanguageServer } from '../support/yaml-language-server.js';
import { checkSpec, loadSpec } from 'tungen';
import { repoRoot } from '../support/run-cli.js';

const schemaFile = join(repoRoot, 'schema/tungen.schema.json');

async function yamlSpecs(): Promise<string[]> {
  const examples = (await readdir(join(repoRoot, 'examples')))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(repoRoot, 'examples', name));
  const fixtures = (await readdir(join(repoRoot, 'test/fixtures'), { recursive: true }))
    .filter((entry) => /(^|\/)spec\.ya?ml$/.test(entry))
    .map((entry) => join(repoRoot, 'test/fixtures', entry));
  // Some fixtures link to an example: open each file once, by its own path, as an editor would.
  const files = await Promise.all([...examples, ...fixtures].map((file) => realpath(file)));
  return [...new Set(files)].sort();
}

let server: YamlLanguageServer;
beforeAll(async () => {
  // The fixtures carry no modeline: the workspace setting maps the schema onto them, as a user's
  // settings.json would. The examples name the schema in their first line.
  server = await YamlLanguageServer.start(repoRoot, { [schemaFile]: ['test/fixtures/**/spec.yaml'] });
});
afterAll(() => server?.stop());

describe('yaml-language-server with the published schema', () => {
  it('agrees with tungen on every example and fixture', async () => {
    const files = await yamlSpecs();
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const name = relative(repoRoot, file);
      const diagnostics = await server.diagnose(file, await readFile(file, 'utf8'));
      const { problems } = await checkSpec(await loadSpec(file));
      const schemaProblems = problems.filter((p) => p.rule.startsWith('schema/'));
      expect({ name, editor: diagnostics.map((d) => d.message) }).toEqual({
        name,
        editor: schemaProblems.length ? expect.arrayContaining([expect.any(String)]) : [],
      });
    }
  }, 60_000);

  it.each([
    ['a tunnel', '    mode: gre\n', '    mode: gre\n    ttll: 64\n', 'ttll'],
    ['an end', '      - host: host-a\n', '      - host: host-a\n        underlai: 10.9.0.1\n', 'underlai'],
    ['the spec', 'version: 1\n', 'version: 1\ntunels: []\n', 'tunels'],
  ])('names a typo’d key in %s on its line', async (_where, from, to, key) => {
    const seed = await readFile(join(repoRoot, 'examples/seed.yaml'), 'utf8');
    expect(seed).toContain(from);
    const text = seed.replace(from, to);
    const line = text.split('\n').findIndex((l) => l.includes(`${key}:`)) + 1;
    const diagnostics = await server.diagnose(join(repoRoot, `examples/typo-${key}.yaml`), text);
    expect(diagnostics[0]).toEqual({ line, column: expect.any(Number), message: `Property ${key} is not allowed.` });
  });

  it('underlines a value of the wrong type', async () => {
    const seed = await readFile(join(repoRoot, 'examples/seed.yaml'), 'utf8');
    const text = seed.replace('    mode: gre\n', '    mode: gre\n    ttl: many\n');
    const diagnostics = await server.diagnose(join(repoRoot, 'examples/wrong-type.yaml'), text);
    expect(diagnostics.length).toBeGreaterThan(0);
  });
});
