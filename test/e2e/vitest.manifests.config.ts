import { defineConfig } from 'vitest/config';

// The Kubernetes manifest checks (infra/k8s): no containers, run by `npm test` always.
export default defineConfig({
  test: { include: ['k8s/**/*.test.ts'], testTimeout: 60_000 },
});
