import { createRouter, systemRouter, type DatabaseCheck } from '@platform/service-kit';
import type { IdentityCore } from './composition.ts';
import type { Env } from './env.ts';
import { SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { accountRouter } from './routers/account/account-router.ts';
import { adminRouter } from './routers/admin/admin-router.ts';
import { agentRouter } from './routers/agent/agent-router.ts';
import { consentRouter } from './routers/consent/consent-router.ts';
import { devRouter } from './routers/dev/dev-router.ts';
import { sessionRouter } from './routers/session/session-router.ts';

export function createAppRouter(deps: { env: Env; checkDatabase: DatabaseCheck; core: IdentityCore }) {
  return createRouter({
    system: systemRouter({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      environment: deps.env.NODE_ENV,
      checkDatabase: deps.checkDatabase,
    }),
    account: accountRouter(deps.core),
    session: sessionRouter(deps.core),
    consent: consentRouter(deps.core),
    agent: agentRouter(deps.core),
    admin: adminRouter(deps.core),
    dev: devRouter(deps.core),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
