import { createRouter, systemRouter, type DatabaseCheck } from '@platform/service-kit';
import type { SealCore } from './composition.ts';
import type { Env } from './env.ts';
import { SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { authorizationRouter } from './routers/authorization/index.ts';
import { caCertificatesProcedure } from './routers/ca/certificates.ts';
import { gbt38540Router } from './routers/gbt38540/index.ts';
import { sealRouter } from './routers/seal/index.ts';
import { signRouter } from './routers/sign/index.ts';
import { usageRouter } from './routers/usage/index.ts';
import { verifyRouter } from './routers/verify/index.ts';

export interface RouterDeps {
  env: Env;
  checkDatabase: DatabaseCheck;
  /** The CA (ensured on first use by whichever replica comes first), seals, authorisations, signing. */
  core: SealCore;
}

export function createAppRouter(deps: RouterDeps) {
  return createRouter({
    system: systemRouter({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      environment: deps.env.NODE_ENV,
      checkDatabase: deps.checkDatabase,
    }),
    gbt38540: gbt38540Router(deps.env, deps.core),
    ca: createRouter({
      certificates: caCertificatesProcedure(deps.core.authority, timestampUrl(deps.env)),
    }),
    seal: sealRouter(deps.core),
    authorization: authorizationRouter(deps.core),
    usage: usageRouter(deps.core),
    sign: signRouter(deps.core),
    verify: verifyRouter(deps.core.verification),
  });
}

export const timestampUrl = (env: Env) => `${env.PUBLIC_URL.replace(/\/+$/, '')}/tsa`;

export type AppRouter = ReturnType<typeof createAppRouter>;
