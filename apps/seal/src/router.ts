import { createRouter, systemRouter, type DatabaseCheck } from '@platform/service-kit';
import type { CertificateAuthority } from './domain/ca/authority.ts';
import type { Env } from './env.ts';
import { SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { caCertificatesProcedure } from './routers/ca/certificates.ts';

export interface RouterDeps {
  env: Env;
  checkDatabase: DatabaseCheck;
  /** The CA, once its hierarchy exists (created on first use by whichever replica comes first). */
  authority: () => Promise<CertificateAuthority>;
}

export function createAppRouter(deps: RouterDeps) {
  return createRouter({
    system: systemRouter({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      environment: deps.env.NODE_ENV,
      checkDatabase: deps.checkDatabase,
    }),
    ca: createRouter({
      certificates: caCertificatesProcedure(deps.authority, timestampUrl(deps.env)),
    }),
  });
}

export const timestampUrl = (env: Env) => `${env.PUBLIC_URL.replace(/\/+$/, '')}/tsa`;

export type AppRouter = ReturnType<typeof createAppRouter>;
