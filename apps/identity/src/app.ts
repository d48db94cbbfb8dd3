// Wires the identity service from its config and database; used by main.ts and by tests.
import type { Request } from 'express';
import { identityContract } from '@platform/contracts';
import { createLogger, createService, type Principal, type Service } from '@platform/service-kit';
import { declareClients } from './domain/clients/bootstrap-clients.ts';
import { createIdentityCore, type CoreOptions, type IdentityCore } from './composition.ts';
import type { Database } from './db.ts';
import { IDENTITY_RESOURCE } from './domain/oauth/scopes.ts';
import { InvalidTokenError } from './domain/tokens/jwt.ts';
import type { Env } from './env.ts';
import { SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { BrowserCookies } from './oidc/browser.ts';
import { oidcRoutes } from './oidc/routes.ts';
import { createAppRouter } from './router.ts';

export interface IdentityService extends Service {
  core: IdentityCore;
}

const KEY_ROTATION_CHECK_MS = 10 * 60 * 1000;
const SESSION_SWEEP_MS = 60 * 1000;

/** The caller of the tRPC/REST API: an active access token issued for identity itself. */
async function principalOf(core: IdentityCore, req: Request): Promise<Principal | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) return undefined;
  try {
    const { payload } = await core.tokenState.activeAccessToken(match[1], IDENTITY_RESOURCE);
    return {
      subject: String(payload.sub),
      scopes: (payload.scope ?? '').split(' ').filter(Boolean),
      ...(payload.client_id ? { clientId: payload.client_id } : {}),
      ...(payload.acr ? { acr: payload.acr } : {}),
      ...(payload.act?.sub ? { actor: payload.act.sub } : {}),
    };
  } catch (error) {
    if (error instanceof InvalidTokenError) return undefined;
    throw error;
  }
}

export function createIdentityService(env: Env, db: Database, options: CoreOptions = {}): IdentityService {
  const log = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const core = createIdentityCore(env, db, log, options);
  const checkDatabase = () => db.$queryRaw`SELECT 1`;
  const browser = new BrowserCookies({
    secure: env.NODE_ENV === 'production' || env.ISSUER_URL.startsWith('https://'),
    csrfKey: core.box.deriveKey('identity:csrf'),
    issuerOrigin: new URL(env.ISSUER_URL).origin,
    sessionMaxAgeSeconds: env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
  });
  let rotationTimer: NodeJS.Timeout | undefined;
  let sessionSweeper: NodeJS.Timeout | undefined;

  const service = createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    env,
    logger: log,
    contract: identityContract,
    router: createAppRouter({ env, checkDatabase, core }),
    checkDatabase,
    authenticate: (req) => principalOf(core, req),
    routes: (app) => {
      app.use(
        oidcRoutes({
          ...core,
          accounts: core.repositories.accounts,
          browser,
          bodyLimitBytes: env.BODY_LIMIT_BYTES,
        }),
      );
    },
    onClose: async () => {
      clearInterval(rotationTimer);
      clearInterval(sessionSweeper);
      core.housekeeping.stop();
      await core.backchannel.stop();
      await db.$disconnect();
    },
  });

  return {
    ...service,
    core,
    async listen(port, host) {
      // Keys exist before the first request; afterwards rotation is checked periodically.
      await core.keys.rotateIfDue();
      await declareClients(core.clients, env.BOOTSTRAP_CLIENTS);
      rotationTimer = setInterval(() => {
        core.keys.rotateIfDue().catch((error: unknown) => log.error({ err: error }, 'signing key rotation failed'));
      }, KEY_ROTATION_CHECK_MS);
      rotationTimer.unref();
      // Timed-out sessions are ended (and their apps told) within a minute.
      sessionSweeper = setInterval(() => {
        core.sessions
          .endExpired()
          .catch((error: unknown) => log.warn({ err: error }, 'ending expired sessions failed'));
      }, SESSION_SWEEP_MS);
      sessionSweeper.unref();
      core.backchannel.start();
      core.housekeeping.start();
      return service.listen(port, host);
    },
  };
}
