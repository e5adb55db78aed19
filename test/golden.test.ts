/**
 * Golden files: test/fixtures/<mode>/<case>/ holds a spec and, per target, the
 * files `emit --out` must write. UPDATE_GOLDEN=1 rewrites them; review the diff.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ModeTester } from 'tungen/testing';
import { builtinModes } from '../plugins/index.js';
import { repoRoot } from './support/run-cli.js';

const fixtures = join(repoRoot, 'test/fixtures');
new ModeTester().runFixtures(fixtures);

/** Every mode x form a fixture renders, as "mode one-ended" / "mode two-ended", with the targets it has files for. */
function coveredForms(): Map<string, string[]> {
  const covered = new Map<string, string[]>();
  for (const mode of readdirSync(fixtures))
    for (const name of readdirSync(join(fixtures, mode))) {
      const dir = join(fixtures, mode, name);
      const specFile = ['spec.yaml', 'spec.json'].map((file) => join(dir, file)).find((file) => existsSync(file));
      if (!specFile) continue;
      const spec = load(readFileSync(specFile, 'utf8')) as { tunnels?: Array<{ mode?: string; ends?: unknown }> };
      const targets = ['networkd', 'ifupdown'].filter((target) => existsSync(join(dir, target)));
      for (const tunnel of spec.tunnels ?? []) {
        const form = `${tunnel.mode} ${tunnel.ends ? 'two-ended' : 'one-ended'}`;
        covered.set(form, [...new Set([...(covered.get(form) ?? []), ...targets])].sort());
      }
    }
  return covered;
}

describe('golden files', () => {
  it('cover every built-in mode one-ended and two-ended, for both targets', () => {
    const covered = coveredForms();
    const missing = builtinModes
      .flatMap((mode) => [`${mode.name} one-ended`, `${mode.name} two-ended`])
      .filter((form) => covered.get(form)?.join() !== 'ifupdown,networkd');
    expect(missing).toEqual([]);
  });
});
