import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // One PostgreSQL server and a migrated template for the whole run (see test/global-setup.ts).
    globalSetup: ['./test/global-setup.ts'],
    // Real servers and the wasm schema engine: seconds, not milliseconds.
    // Generous: these start real PostgreSQL servers, and CI runs every suite at once on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
