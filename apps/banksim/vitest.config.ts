import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    env: { NODE_ENV: 'test' },
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
});
