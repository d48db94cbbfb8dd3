// Wires the payment service from its config and database; used by main.ts and by tests.
import { paymentContract } from '@platform/contracts';
import { bearerAuthenticator, createTokenVerifier } from '@platform/auth';
import { createLogger, createService, type Service } from '@platform/service-kit';
import { createPaymentCore, type CoreOptions, type PaymentCore } from './composition.ts';
import type { Database } from './db.ts';
import type { Env } from './env.ts';
import { createJobs } from './jobs.ts';
import { RESOURCE, SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { createAppRouter } from './router.ts';
import { channelCallbackRoutes } from './routes/channel-callbacks.ts';

export interface PaymentService extends Service {
  core: PaymentCore;
}

export function createPaymentService(env: Env, db: Database, options: CoreOptions = {}): PaymentService {
  const log = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const core = createPaymentCore(env, db, log, options);
  const jobs = createJobs(env, core, log);
  const checkDatabase = () => db.$queryRaw`SELECT 1`;
  const service = createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    env,
    logger: log,
    contract: paymentContract,
    router: createAppRouter({ env, checkDatabase, core, db }),
    checkDatabase,
    authenticate: bearerAuthenticator(
      createTokenVerifier({ issuer: env.IDENTITY_ISSUER_URL, audience: RESOURCE, jwksUrl: env.IDENTITY_JWKS_URL }),
    ),
    routes: (app) =>
      channelCallbackRoutes(app, {
        channels: [core.channel],
        recorder: core.recorder,
        bodyLimitBytes: env.BODY_LIMIT_BYTES,
        onRecorded: () => jobs.nudgeWebhooks(),
      }),
    onClose: async () => {
      await jobs.stop();
      await db.$disconnect();
    },
  });
  return {
    ...service,
    core,
    async listen(port, host) {
      const bound = await service.listen(port, host);
      if (env.BACKGROUND_JOBS) jobs.start();
      return bound;
    },
  };
}
