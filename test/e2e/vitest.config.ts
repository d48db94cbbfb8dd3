import { defineConfig } from 'vitest/config';

// One platform for the whole run (global setup); flows run one file at a time against it, and
// the fault flow, which restarts containers, runs last.
export default defineConfig({
  test: {
    include: ['**/*.e2e.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    fileParallelism: false,
    sequence: { sequencer: (await import('./support/sequencer.ts')).FaultsLastSequencer },
    testTimeout: 240_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});
