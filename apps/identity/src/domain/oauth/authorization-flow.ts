// The authorization endpoint's decisions: after validating a request it is kept as an
// interaction; each visit (after login, consent or step-up) asks "what next?" until a code can be
// issued. The interaction is bound to the browser that started it.
import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client.ts';
import { addSeconds, type Clock } from '../../clock.ts';
import type { Account, AccountRepository } from '../../repositories/accounts.ts';
import type { GrantRepository } from '../../repositories/grants.ts';
import type { Interaction, InteractionRepository } from '../../repositories/interactions.ts';
import type { Client, ClientRegistry } from '../clients/client-registry.ts';
import { randomToken, sha256Hex } from '../crypto/random.ts';
import type { AuditLog } from '../security/audit-log.ts';
import type { Session, Sessions } from '../sessions/sessions.ts';
import { validateAuthorizationRequest, type AuthorizationRequest } from './authorization-request.ts';
import type { OAuthErrorCode } from './oauth-error.ts';
import { formatScope } from './scopes.ts';
import { scopesForRoles } from './staff-scopes.ts';

export const CODE_TTL_SECONDS = 60;
const INTERACTION_TTL_SECONDS = 30 * 60;

// Interactions store the validated request as JSON; reading it back is validated too.
const StoredRequest: z.ZodType<AuthorizationRequest> = z.object({
  clientId: z.string(),
  redirectUri: z.string(),
  scope: z.array(z.string()),
  state: z.string().optional(),
  nonce: z.string().optional(),
  codeChallenge: z.string(),
  resource: z.string(),
  prompt: z.array(z.string()),
  maxAge: z.number().optional(),
  minAcr: z.number().optional(),
  loginHint: z.string().optional(),
});

const toJson = (value: object): Prisma.InputJsonObject => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonObject;

export type NextStep =
  | { kind: 'login'; interactionId: string }
  | { kind: 'step_up'; interactionId: string; required: number; current: number }
  | { kind: 'consent'; interactionId: string; client: Client; scopes: string[] }
  | { kind: 'redirect'; url: string };

export class InteractionNotFoundError extends Error {
  constructor() {
    super('the login request expired or belongs to another browser');
    this.name = 'InteractionNotFoundError';
  }
}

export class AuthorizationFlow {
  constructor(
    private readonly deps: {
      clients: ClientRegistry;
      accounts: AccountRepository;
      sessions: Sessions;
      grants: GrantRepository;
      interactions: InteractionRepository;
      audit: AuditLog;
      clock: Clock;
      issuer: string;
      refreshAbsoluteSeconds: number;
    },
  ) {}

  /** Validates the request (throws UntrustedRequestError / RedirectableError) and decides the first step. */
  async start(params: Record<string, string>, browserId: string, session: Session | undefined): Promise<NextStep> {
    const { request } = await validateAuthorizationRequest(params, this.deps.clients);
    const now = this.deps.clock.now();
    const interaction = await this.deps.interactions.create({
      id: randomToken(24),
      clientId: request.clientId,
      params: toJson(request),
      browserHash: sha256Hex(browserId),
      createdAt: now,
      expiresAt: addSeconds(now, INTERACTION_TTL_SECONDS),
    });
    return this.decide(interaction, request, session);
  }

  /** The interaction if it exists, is fresh and belongs to this browser. */
  async load(
    interactionId: string | undefined,
    browserId: string | undefined,
  ): Promise<{ interaction: Interaction; request: AuthorizationRequest }> {
    if (!interactionId || !browserId || interactionId.length > 64) throw new InteractionNotFoundError();
    const interaction = await this.deps.interactions.find(interactionId);
    if (
      !interaction ||
      interaction.expiresAt <= this.deps.clock.now() ||
      interaction.browserHash !== sha256Hex(browserId)
    )
      throw new InteractionNotFoundError();
    return { interaction, request: StoredRequest.parse(interaction.params) };
  }

  async resume(interactionId: string, browserId: string | undefined, session: Session | undefined): Promise<NextStep> {
    const { interaction, request } = await this.load(interactionId, browserId);
    return this.decide(interaction, request, session);
  }

  /** Called when the user logged in inside this interaction (satisfies prompt=login and max_age). */
  async markLoggedIn(interactionId: string, sessionId: string): Promise<void> {
    await this.deps.interactions.setLoginSession(interactionId, sessionId);
  }

  async consent(
    interactionId: string,
    browserId: string | undefined,
    session: Session | undefined,
    approved: boolean,
  ): Promise<NextStep> {
    const { interaction, request } = await this.load(interactionId, browserId);
    if (!session) return this.decide(interaction, request, session);
    if (!approved) {
      await this.deps.interactions.delete(interaction.id);
      await this.deps.audit.record({
        type: 'consent.denied',
        accountId: session.accountId,
        clientId: request.clientId,
      });
      return this.errorRedirect(request, 'access_denied', 'the user denied the request');
    }
    await this.deps.grants.saveConsent(session.accountId, request.clientId, request.scope, this.deps.clock.now());
    await this.deps.audit.record({
      type: 'consent.granted',
      accountId: session.accountId,
      clientId: request.clientId,
      detail: { scope: formatScope(request.scope) },
    });
    return this.decide(interaction, request, session, { consented: true });
  }

  /** The user gave up at a step (e.g. cannot reach the trust level): tell the client. */
  async abandon(
    interactionId: string,
    browserId: string | undefined,
    error: OAuthErrorCode,
    description: string,
  ): Promise<NextStep> {
    const { interaction, request } = await this.load(interactionId, browserId);
    await this.deps.interactions.delete(interaction.id);
    return this.errorRedirect(request, error, description);
  }

  private async decide(
    interaction: Interaction,
    request: AuthorizationRequest,
    session: Session | undefined,
    options: { consented?: boolean } = {},
  ): Promise<NextStep> {
    const none = request.prompt.includes('none');
    const login = (): NextStep =>
      none
        ? this.errorRedirect(request, 'login_required', 'the user is not logged in')
        : { kind: 'login', interactionId: interaction.id };
    if (!session) return login();
    const account = await this.deps.accounts.findById(session.accountId);
    if (!account || account.status !== 'active') {
      await this.deps.sessions.end(session.id, 'account_disabled');
      return login();
    }
    const loggedInHere = interaction.loginSessionId === session.id;
    if (request.prompt.includes('login') && !loggedInHere) return login();
    if (request.maxAge !== undefined && !loggedInHere) {
      const age = (this.deps.clock.now().getTime() - session.authTime.getTime()) / 1000;
      if (age > request.maxAge) return login();
    }
    if (request.minAcr !== undefined && session.acr < request.minAcr) {
      if (none) return this.errorRedirect(request, 'interaction_required', 'a higher trust level is required');
      return { kind: 'step_up', interactionId: interaction.id, required: request.minAcr, current: session.acr };
    }
    const client = await this.deps.clients.find(request.clientId);
    if (!client || !client.enabled) return this.errorRedirect(request, 'unauthorized_client', 'the client is disabled');
    if (!client.firstParty && !options.consented) {
      const consent = await this.deps.grants.findConsent(account.id, client.id);
      const covered = consent !== null && request.scope.every((scope) => consent.scopes.includes(scope));
      if (request.prompt.includes('consent') || !covered) {
        if (none) return this.errorRedirect(request, 'consent_required', 'the user has not consented');
        return { kind: 'consent', interactionId: interaction.id, client, scopes: request.scope };
      }
    }
    return this.issueCode(interaction, request, session, account);
  }

  private async issueCode(
    interaction: Interaction,
    request: AuthorizationRequest,
    session: Session,
    account: Account,
  ): Promise<NextStep> {
    const now = this.deps.clock.now();
    // Staff scopes only as the account's roles confer them, whatever the client may ask for.
    const scope = scopesForRoles(request.scope, account.roles);
    const grant = await this.deps.grants.createGrant({
      clientId: request.clientId,
      accountId: account.id,
      sessionId: session.id,
      scope: formatScope(scope),
      resource: request.resource,
      acr: session.acr,
      amr: session.amr,
      authTime: session.authTime,
      createdAt: now,
      absoluteExpiresAt: addSeconds(now, this.deps.refreshAbsoluteSeconds),
    });
    const code = randomToken(32);
    await this.deps.grants.createCode({
      codeHash: sha256Hex(code),
      clientId: request.clientId,
      accountId: account.id,
      sessionId: session.id,
      redirectUri: request.redirectUri,
      scope: grant.scope,
      resource: request.resource,
      nonce: request.nonce ?? null,
      codeChallenge: request.codeChallenge,
      acr: session.acr,
      amr: session.amr,
      authTime: session.authTime,
      createdAt: now,
      expiresAt: addSeconds(now, CODE_TTL_SECONDS),
      grantId: grant.id,
    });
    await this.deps.sessions.addClient(session.id, request.clientId);
    await this.deps.interactions.delete(interaction.id);
    return { kind: 'redirect', url: this.redirectUrl(request, { code }) };
  }

  errorRedirect(
    request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>,
    error: OAuthErrorCode,
    description: string,
  ): NextStep {
    return { kind: 'redirect', url: this.redirectUrl(request, { error, error_description: description }) };
  }

  /** Adds the response parameters, `state` and `iss` (RFC 9207) to the registered redirect URI. */
  redirectUrl(request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>, response: Record<string, string>): string {
    const url = new URL(request.redirectUri);
    for (const [key, value] of Object.entries(response)) url.searchParams.set(key, value);
    if (request.state !== undefined) url.searchParams.set('state', request.state);
    url.searchParams.set('iss', this.deps.issuer);
    return url.toString();
  }
}
