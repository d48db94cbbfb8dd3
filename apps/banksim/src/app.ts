// Wires the sandbox channel from its config and database; used by main.ts and by tests.
import { bearerAuthenticator, createTokenVerifier } from '@platform/auth';
import { banksimContract } from '@platform/contracts';
import { createLogger, createService, type Service } from '@platform/service-kit';
import type { Database } from './db.ts';
import { CallbackDispatcher } from './domain/callback-dispatcher.ts';
import { MerchantVerifier } from './domain/merchant-key.ts';
import { PaymentDesk } from './domain/payment-desk.ts';
import { RefundDesk } from './domain/refund-desk.ts';
import { loadCallbackSigner } from './domain/signing-key.ts';
import { callbackUrl, type Env } from './env.ts';
import { RESOURCE, SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { createAppRouter } from './routers/banksim-router.ts';
import { refundRoutes } from './routes/refunds.ts';
import { statementRoutes } from './routes/statements.ts';

export interface BanksimService extends Service {
  dispatcher: CallbackDispatcher;
}

export function createBanksimService(env: Env, db: Database): BanksimService {
  const log = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const signer = loadCallbackSigner(env.DATA_DIR);
  const dispatcher = new CallbackDispatcher(db, signer, {
    callbackUrl: callbackUrl(env),
    maxAttempts: env.CALLBACK_MAX_ATTEMPTS,
    timeoutMs: env.CALLBACK_TIMEOUT_MS,
  });
  const checkDatabase = () => db.$queryRaw`SELECT 1`;

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  // One dispatch at a time per process; `again` remembers a nudge that arrived mid-run.
  let busy = false;
  let again = false;
  const dispatch = () => {
    if (!running) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    clearTimeout(timer);
    inFlight = dispatcher
      .runOnce()
      .catch((error: unknown) => log.warn({ err: error }, 'callback dispatch failed'))
      .finally(() => {
        busy = false;
        if (!running) return;
        if (again) {
          again = false;
          dispatch();
          return;
        }
        timer = setTimeout(dispatch, env.CALLBACK_POLL_MS);
        timer.unref();
      });
  };

  const service = createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    env,
    logger: log,
    contract: banksimContract,
    router: createAppRouter({
      env,
      checkDatabase,
      db,
      desk: new PaymentDesk(db, env.PAYMENT_URL, env.OUTLET),
      signer,
      onPaid: dispatch,
    }),
    checkDatabase,
    // Paying and status queries are public (the payer's bank page, the payment service); the
    // failure-injection switches need an operator's token from identity.
    authenticate: bearerAuthenticator(
      createTokenVerifier({ issuer: env.IDENTITY_ISSUER_URL, audience: RESOURCE, jwksUrl: env.IDENTITY_JWKS_URL }),
    ),
    routes: (app) => {
      statementRoutes(app, db, env.OUTLET);
      refundRoutes(app, {
        desk: new RefundDesk(db),
        merchant: new MerchantVerifier({
          publicKeyPem: env.MERCHANT_PUBLIC_KEY,
          fetchUrl: `${env.PAYMENT_URL.replace(/\/+$/, '')}/channels/banksim/merchant-key`,
          toleranceSeconds: env.MERCHANT_TOLERANCE_SECONDS,
        }),
        signer,
        bodyLimitBytes: env.BODY_LIMIT_BYTES,
      });
    },
    onClose: async () => {
      running = false;
      clearTimeout(timer);
      await inFlight;
      await db.$disconnect();
    },
  });
  return {
    ...service,
    dispatcher,
    async listen(port, host) {
      const bound = await service.listen(port, host);
      running = env.CALLBACK_DISPATCH;
      dispatch();
      return bound;
    },
  };
}
