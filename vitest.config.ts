import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // The CLI tests spawn the bundled binary; give a loaded 2-core machine room.
    testTimeout: 20000,
    // vitest leaves a core free by default, which is half of a 2-core machine.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
