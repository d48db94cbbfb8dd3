// Wires the payment service from its config and database; used by main.ts and by tests.
import { paymentContract } from '@platform/contracts';
import { bearerAuthenticator, createTokenVerifier } from '@platform/auth';
import { createService, type Service } from '@platform/service-kit';
import type { Database } from './db.ts';
import type { Env } from './env.ts';
import { RESOURCE, SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { createAppRouter } from './router.ts';

export function createPaymentService(env: Env, db: Database): Service {
  const checkDatabase = () => db.$queryRaw`SELECT 1`;
  return createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    env,
    contract: paymentContract,
    router: createAppRouter({ env, checkDatabase }),
    checkDatabase,
    authenticate: bearerAuthenticator(
      createTokenVerifier({ issuer: env.IDENTITY_ISSUER_URL, audience: RESOURCE, jwksUrl: env.IDENTITY_JWKS_URL }),
    ),
    onClose: () => db.$disconnect(),
  });
}
