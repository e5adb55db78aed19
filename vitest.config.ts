import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // tungen's tests and the example plugin import the package by name, as a plugin author does;
  // here the names mean the sources, so no build can be stale.
  resolve: {
    alias: [
      { find: /^tungen$/, replacement: source('./src/index.ts') },
      { find: /^tungen\/testing$/, replacement: source('./src/testing/index.ts') },
    ],
  },
  test: {
    // The example plugin package's own tests run here too, so the example cannot rot.
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts', 'examples/*/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    // Builds before any test, so no test runs against stale generated code or bundles.
    globalSetup: ['test/support/build-first.ts'],
    // The CLI tests spawn the bundled binary; give a loaded 2-core machine room.
    testTimeout: 20000,
    // vitest leaves a core free by default, which is half of a 2-core machine.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
