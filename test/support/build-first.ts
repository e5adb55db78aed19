/**
 * vitest's global setup: every run tests what the sources say. It builds first
 * (validators, templates, bundles), so no test sees output older than its
 * sources, and keeps the schema file as it was before the build rewrote it, so
 * the schema-drift tests compare with the file that is committed, not a fresh one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from './run-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** schema/tungen.schema.json as it was before this run's build. */
    schemaBeforeBuild: string;
  }
}

export default function setup(project: TestProject): void {
  project.provide('schemaBeforeBuild', readFileSync(join(repoRoot, 'schema/tungen.schema.json'), 'utf8'));
  execFileSync(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
}
