import { defineConfig } from 'vitest/config';

// Two kinds of tests: unit tests of the BFF (no platform needed) and browser tests, which start
// the platform (identity, license, payment, seal, banksim and the console) once per run.
export default defineConfig({
  test: {
    env: { NODE_ENV: 'test' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts'],
          env: { NODE_ENV: 'test' },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.ts'],
          globalSetup: ['./test/browser/global-setup.ts'],
          env: { NODE_ENV: 'test' },
          // One browser and one platform for all journeys: files run one after another.
          fileParallelism: false,
          hookTimeout: 300_000,
          testTimeout: 120_000,
        },
      },
    ],
  },
});
