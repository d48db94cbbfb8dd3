import { createRouter, systemRouter, type DatabaseCheck } from '@platform/service-kit';
import type { Env } from './env.ts';
import { SERVICE_NAME, SERVICE_VERSION } from './meta.ts';

export function createAppRouter(deps: { env: Env; checkDatabase: DatabaseCheck }) {
  return createRouter({
    system: systemRouter({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      environment: deps.env.NODE_ENV,
      checkDatabase: deps.checkDatabase,
    }),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
