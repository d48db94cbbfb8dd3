// Wires the console server: the kit's service (health, metrics, logs, shutdown), the OIDC client
// routes, the proxy to the services and the single-page app. Used by main.ts and by tests.
import { createTokenVerifier } from '@platform/auth';
import { consoleContract } from '@platform/contracts';
import { createLogger, createService, type Service } from '@platform/service-kit';
import { mountAuthRoutes } from './server/auth-routes.ts';
import { createConsoleRouter } from './server/console-router.ts';
import { OidcProvider } from './server/oidc/provider.ts';
import { mountServiceProxy, type UpstreamService } from './server/service-proxy.ts';
import { AccessTokens } from './server/sessions/access-tokens.ts';
import { cookieNames } from './server/sessions/cookies.ts';
import { CONSOLE_RESOURCE, sessionAuthenticator } from './server/sessions/session-principal.ts';
import { SessionStore } from './server/sessions/session-store.ts';
import { mountStaticRoutes } from './server/static-routes.ts';
import type { Env } from './env.ts';
import { SERVICE_NAME, SERVICE_VERSION } from './meta.ts';

export interface ConsoleService extends Service {
  sessions: SessionStore;
}

export function createConsoleService(env: Env, options: { fetch?: typeof fetch } = {}): ConsoleService {
  const log = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const identityUrl = env.IDENTITY_URL ?? env.IDENTITY_ISSUER_URL;
  const provider = new OidcProvider({
    issuer: env.IDENTITY_ISSUER_URL,
    internalUrl: identityUrl,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const sessions = new SessionStore({
    idleSeconds: env.SESSION_IDLE_SECONDS,
    absoluteSeconds: env.SESSION_ABSOLUTE_SECONDS,
    maxSessions: env.MAX_SESSIONS,
  });
  const cookies = cookieNames(env.PUBLIC_URL);
  const services: Record<string, UpstreamService> = {
    identity: { url: identityUrl, resource: 'urn:platform:identity', scopePrefix: 'identity:' },
    license: {
      url: env.LICENSE_URL,
      resource: 'urn:platform:license',
      scopePrefix: 'license:',
      // Agents see the licenses of the legal persons they act for (wallet, 代理企业证照).
      agentScope: 'license:holder',
    },
    payment: { url: env.PAYMENT_URL, resource: 'urn:platform:payment', scopePrefix: 'payment:' },
    seal: { url: env.SEAL_URL, resource: 'urn:platform:seal', scopePrefix: 'seal:' },
    // The sandbox channel stands for a bank's own page: only paying is reachable from the app.
    ...(env.BANKSIM_URL ? { banksim: { url: env.BANKSIM_URL, allow: ['payment.pay'] } } : {}),
  };
  const channels = env.BANKSIM_URL ? ['banksim'] : [];
  const tokens = new AccessTokens(provider);
  const verify = createTokenVerifier({
    issuer: env.IDENTITY_ISSUER_URL,
    audience: CONSOLE_RESOURCE.resource,
    jwksUrl: `${identityUrl.replace(/\/+$/, '')}/oidc/jwks`,
  });

  const service = createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    env,
    logger: log,
    contract: consoleContract,
    router: createConsoleRouter({ environment: env.NODE_ENV, sessions, cookies, channels }),
    // No database: ready as soon as it serves (identity is checked per login).
    checkDatabase: async () => undefined,
    authenticate: sessionAuthenticator({ sessions, tokens, cookies, verify, log }),
    routes: (app) => {
      mountAuthRoutes(app, {
        provider,
        sessions,
        cookies,
        publicUrl: env.PUBLIC_URL,
        scopes: env.OIDC_SCOPES,
        sessionAbsoluteSeconds: env.SESSION_ABSOLUTE_SECONDS,
        log,
      });
      mountServiceProxy(app, {
        services,
        sessions,
        tokens,
        cookies,
        publicUrl: env.PUBLIC_URL,
        bodyLimitBytes: env.BODY_LIMIT_BYTES,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      mountStaticRoutes(app, env.STATIC_DIR);
    },
  });
  return { ...service, sessions };
}
