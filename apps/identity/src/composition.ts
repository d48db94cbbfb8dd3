// The composition root: builds every repository, domain service and adapter of the identity
// service from its config, database and clock. Tests pass their own clock and adapters.
import type { Logger } from '@platform/service-kit';
import { systemClock, type Clock } from './clock.ts';
import type { Database } from './db.ts';
import type { Env } from './env.ts';
import { AccountService } from './domain/accounts/accounts.ts';
import { Authenticator } from './domain/accounts/authentication.ts';
import { PasswordHasher } from './domain/accounts/password-hasher.ts';
import { AgentAuthorizations } from './domain/agents/agent-authorizations.ts';
import { TokenExchange } from './domain/agents/token-exchange.ts';
import { ClientRegistry } from './domain/clients/client-registry.ts';
import { Consents } from './domain/consents/consents.ts';
import { loadKeyEncryptionKey, SecretBox } from '@platform/key-custody';
import type { Federation } from './domain/federation/federation.ts';
import { UpstreamLogin } from './domain/federation/upstream-login.ts';
import { Housekeeping } from './domain/housekeeping/housekeeping.ts';
import { SigningKeys } from './domain/keys/signing-keys.ts';
import { BackchannelLogout } from './domain/logout/backchannel-logout.ts';
import { AuthorizationFlow } from './domain/oauth/authorization-flow.ts';
import { TokenGrants, TOKEN_EXCHANGE_GRANT } from './domain/oauth/token-grants.ts';
import { TokenIssuer } from './domain/oauth/token-issuer.ts';
import { TokenState } from './domain/oauth/token-state.ts';
import { UserClaims } from './domain/oauth/user-claims.ts';
import { OneTimeCodes } from './domain/otp/one-time-codes.ts';
import { DevelopmentSmsGateway, type SmsGateway } from './domain/otp/sms-gateway.ts';
import { AuditLog } from './domain/security/audit-log.ts';
import { RateLimiter, RULES } from './domain/security/rate-limiter.ts';
import { Sessions } from './domain/sessions/sessions.ts';
import { JwtService } from './domain/tokens/jwt.ts';
import { DevelopmentFaceCheck, type FaceCheck } from './domain/trust/face-check.ts';
import { DevelopmentRegistry, type Registry } from './domain/trust/registry.ts';
import { AccountRepository } from './repositories/accounts.ts';
import { AgentRepository } from './repositories/agents.ts';
import { AuditEventRepository } from './repositories/audit-events.ts';
import { ClientRepository } from './repositories/clients.ts';
import { FederatedIdentityRepository } from './repositories/federated-identities.ts';
import { GrantRepository } from './repositories/grants.ts';
import { HousekeepingRepository } from './repositories/housekeeping.ts';
import { InteractionRepository } from './repositories/interactions.ts';
import { LogoutDeliveryRepository } from './repositories/logout-deliveries.ts';
import { OneTimeCodeRepository, SmsOutboxRepository } from './repositories/one-time-codes.ts';
import { RateLimitRepository } from './repositories/rate-limits.ts';
import { SessionRepository } from './repositories/sessions.ts';
import { SigningKeyRepository } from './repositories/signing-keys.ts';

export interface CoreOptions {
  clock?: Clock;
  sms?: SmsGateway;
  registry?: Registry;
  faceCheck?: FaceCheck;
  /** Password hashing; benchmarks swap it to measure what a login costs besides argon2. */
  hasher?: PasswordHasher;
  /** Used for back-channel logout and federation calls (tests may intercept). */
  fetch?: typeof fetch;
}

export type IdentityCore = ReturnType<typeof createIdentityCore>;

export function createIdentityCore(env: Env, db: Database, log: Logger, options: CoreOptions = {}) {
  const clock = options.clock ?? systemClock;
  const issuer = env.ISSUER_URL;
  const { key } = loadKeyEncryptionKey({
    configured: env.KEY_ENCRYPTION_KEY,
    nodeEnv: env.NODE_ENV,
    dataDir: env.DATA_DIR,
  });
  const box = new SecretBox(key);

  const repositories = {
    accounts: new AccountRepository(db),
    codes: new OneTimeCodeRepository(db),
    outbox: new SmsOutboxRepository(db),
    keys: new SigningKeyRepository(db),
    clients: new ClientRepository(db),
    sessions: new SessionRepository(db),
    grants: new GrantRepository(db),
    interactions: new InteractionRepository(db),
    deliveries: new LogoutDeliveryRepository(db),
    rateLimits: new RateLimitRepository(db),
    audit: new AuditEventRepository(db),
    agents: new AgentRepository(db),
  };

  const audit = new AuditLog(repositories.audit, clock);
  const limiter = new RateLimiter(repositories.rateLimits, clock);
  const keys = new SigningKeys(repositories.keys, box, clock, {
    rotationSeconds: env.SIGNING_KEY_ROTATION_DAYS * 24 * 3600,
    overlapSeconds: env.SIGNING_KEY_OVERLAP_HOURS * 3600,
  });
  const jwt = new JwtService(keys, clock, issuer);
  const clients = new ClientRegistry(repositories.clients, clock, env.NODE_ENV === 'production');
  const sessions = new Sessions(repositories.sessions, clock, {
    idleSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
    absoluteSeconds: env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
  });
  const backchannel = new BackchannelLogout({
    deliveries: repositories.deliveries,
    clients: repositories.clients,
    jwt,
    clock,
    log,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  sessions.onEnded(async (session, reason) => {
    await repositories.grants.revokeForSession(session.id, clock.now(), `session_${reason}`);
    await audit.record({ type: 'session.ended', accountId: session.accountId, detail: { sid: session.sid, reason } });
    await backchannel.sessionEnded(session);
  });

  const hasher = options.hasher ?? new PasswordHasher();
  const sms = options.sms ?? new DevelopmentSmsGateway(repositories.outbox, clock);
  const codes = new OneTimeCodes(repositories.codes, clock, box.deriveKey('identity:otp'), env.OTP_TTL_SECONDS);
  const revokeAllGrants = async (accountId: string, reason: string) => {
    await repositories.grants.revokeForAccount(accountId, clock.now(), reason);
  };
  const accountService = new AccountService({
    accounts: repositories.accounts,
    codes,
    sms,
    hasher,
    limiter,
    audit,
    sessions,
    box,
    registry: options.registry ?? new DevelopmentRegistry(),
    faceCheck: options.faceCheck ?? new DevelopmentFaceCheck(),
    clock,
    totpIssuer: '统一身份认证',
    revokeAllGrants,
  });
  const authenticator = new Authenticator({
    accounts: repositories.accounts,
    accountService,
    hasher,
    limiter,
    audit,
    clock,
    attemptsPerIp: env.LOGIN_ATTEMPTS_PER_IP,
  });

  const tokenIssuer = new TokenIssuer(jwt, repositories.grants, clock, {
    accessSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    idSeconds: env.ID_TOKEN_TTL_SECONDS,
    refreshIdleSeconds: env.REFRESH_TOKEN_IDLE_TTL_SECONDS,
  });
  const flow = new AuthorizationFlow({
    clients,
    accounts: repositories.accounts,
    sessions,
    grants: repositories.grants,
    interactions: repositories.interactions,
    audit,
    clock,
    issuer,
    refreshAbsoluteSeconds: env.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS,
  });
  const grants = new TokenGrants({
    grants: repositories.grants,
    accounts: repositories.accounts,
    sessions,
    issuer: tokenIssuer,
    audit,
    clock,
  });
  const tokenState = new TokenState({ jwt, grants: repositories.grants, accounts: repositories.accounts, clock });
  const agents = new AgentAuthorizations({
    agents: repositories.agents,
    accounts: repositories.accounts,
    audit,
    clock,
    revokeActingGrants: async (principalId, agentId, reason) => {
      await repositories.grants.revokeActing(principalId, agentId, clock.now(), reason);
    },
  });
  const tokenExchange = new TokenExchange({
    agents,
    accounts: repositories.accounts,
    grants: repositories.grants,
    tokenState,
    tokenGrants: grants,
    audit,
    clock,
    refreshAbsoluteSeconds: env.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS,
  });
  grants.register(TOKEN_EXCHANGE_GRANT, (client, params, context) => tokenExchange.exchange(client, params, context));

  const consents = new Consents({ grants: repositories.grants, clients, sessions, backchannel, audit, clock });

  const core = {
    env,
    db,
    log,
    clock,
    issuer,
    box,
    repositories,
    audit,
    limiter,
    keys,
    jwt,
    clients,
    sessions,
    backchannel,
    hasher,
    codes,
    accountService,
    authenticator,
    tokenIssuer,
    flow,
    grants,
    tokenState,
    claims: new UserClaims(),
    agents,
    consents,
    tokenExchange,
    revokeAllGrants,
    /** Registration and reset form posts per IP: the same budget as login attempts. */
    selfServiceRule: { ...RULES.selfServicePerIp, limit: env.LOGIN_ATTEMPTS_PER_IP },
    housekeeping: new Housekeeping(new HousekeepingRepository(db), clock, log),
  };
  const federation: Federation | undefined =
    env.FEDERATION_ISSUER && env.FEDERATION_CLIENT_ID && env.FEDERATION_CLIENT_SECRET
      ? new UpstreamLogin(
          {
            name: env.FEDERATION_NAME,
            issuer: env.FEDERATION_ISSUER.replace(/\/+$/, ''),
            clientId: env.FEDERATION_CLIENT_ID,
            clientSecret: env.FEDERATION_CLIENT_SECRET,
            redirectUri: `${issuer}/federation/callback`,
          },
          {
            box,
            accounts: repositories.accounts,
            links: new FederatedIdentityRepository(db),
            audit,
            clock,
            ...(options.fetch ? { fetch: options.fetch } : {}),
          },
        )
      : undefined;
  return { ...core, federation };
}
