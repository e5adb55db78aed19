/**
 * Golden files: test/fixtures/<mode>/<case>/ holds a spec and, per target, the
 * files `emit --out` must write. UPDATE_GOLDEN=1 rewrites them; review the diff.
 */
import { join } from 'node:path';
import { ModeTester } from 'tungen/testing';
import { repoRoot } from './support/run-cli.js';

new ModeTester().runFixtures(join(repoRoot, 'test/fixtures'));
