// Token exchange (RFC 8693) for agents: the agent's client presents the agent's access token as
// `subject_token` and names the legal person in `requested_subject` (as Keycloak does); the new
// access token has `sub` = the legal person and `act: { sub: agent }`, limited to the service items
// (scopes) the authorisation covers. No refresh token: the agent exchanges again when needed.
import { addSeconds, type Clock } from '../../clock.ts';
import type { AccountRepository } from '../../repositories/accounts.ts';
import type { GrantRepository } from '../../repositories/grants.ts';
import type { Client } from '../clients/client-registry.ts';
import { OAuthError } from '../oauth/oauth-error.ts';
import { formatScope, isResourceIndicator, parseScope, resolveResource } from '../oauth/scopes.ts';
import { scopesForRoles } from '../oauth/staff-scopes.ts';
import type { TokenGrants } from '../oauth/token-grants.ts';
import type { TokenResponse } from '../oauth/token-issuer.ts';
import type { TokenState } from '../oauth/token-state.ts';
import type { AuditLog } from '../security/audit-log.ts';
import { InvalidTokenError } from '../tokens/jwt.ts';
import type { AgentAuthorizations } from './agent-authorizations.ts';

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export class TokenExchange {
  constructor(
    private readonly deps: {
      agents: AgentAuthorizations;
      accounts: AccountRepository;
      grants: GrantRepository;
      tokenState: TokenState;
      tokenGrants: TokenGrants;
      audit: AuditLog;
      clock: Clock;
      refreshAbsoluteSeconds: number;
    },
  ) {}

  async exchange(
    client: Client,
    params: Record<string, string>,
    context: { ip: string | undefined },
  ): Promise<TokenResponse> {
    if (!params.subject_token || params.subject_token_type !== ACCESS_TOKEN_TYPE)
      throw new OAuthError('invalid_request', `subject_token of type ${ACCESS_TOKEN_TYPE} is required`);
    if (params.actor_token !== undefined)
      throw new OAuthError('invalid_request', 'actor_token is not supported; the subject_token is the agent');
    if (params.requested_token_type !== undefined && params.requested_token_type !== ACCESS_TOKEN_TYPE)
      throw new OAuthError('invalid_request', 'only access tokens can be requested');
    const target = params.requested_subject;
    if (!target || target.length > 64)
      throw new OAuthError('invalid_request', 'requested_subject (the legal person) is required');

    let agentToken;
    try {
      agentToken = await this.deps.tokenState.activeAccessToken(params.subject_token);
    } catch (error) {
      if (error instanceof InvalidTokenError)
        throw new OAuthError('invalid_grant', 'subject_token is not an active access token');
      throw error;
    }
    const { payload, grant: agentGrant } = agentToken;
    // Only the client the agent logged in with may exchange the agent's token, and not agent tokens again.
    if (!agentGrant || payload.client_id !== client.id || payload.act)
      throw new OAuthError('invalid_grant', 'subject_token was not issued to this client for a user');

    const principal = /^[0-9a-f-]{36}$/.test(target)
      ? await this.deps.accounts.findById(target)
      : await this.deps.accounts.findBySubjectId(target.toUpperCase());
    const allowed = principal ? await this.deps.agents.activeScopes(principal.id, agentGrant.accountId) : [];
    if (!principal || allowed.length === 0)
      throw new OAuthError('invalid_grant', 'no active authorisation to act for this legal person');

    const requested = parseScope(params.scope);
    if (requested === undefined) throw new OAuthError('invalid_scope', 'scope is malformed');
    // An agent can do no more than the legal person could itself: staff scopes (a clerk's, a seal
    // officer's …) only when the legal person's own roles confer them, as at a login.
    const permitted = scopesForRoles(
      allowed.filter((scope) => client.scopes.includes(scope)),
      principal.roles,
    );
    if (requested.some((scope) => !permitted.includes(scope)))
      throw new OAuthError('invalid_scope', 'scope exceeds the authorisation');
    const scopes = requested.length ? requested : permitted;
    if (scopes.length === 0)
      throw new OAuthError('invalid_scope', 'no scope of the authorisation is available to this client');
    const requestedResource = params.resource ?? params.audience;
    if (requestedResource !== undefined && !isResourceIndicator(requestedResource))
      throw new OAuthError('invalid_target', 'resource must be an absolute URI');
    const resource = resolveResource(client, requestedResource);
    if (!resource) throw new OAuthError('invalid_target', 'resource not allowed for this client');

    const now = this.deps.clock.now();
    const grant = await this.deps.grants.createGrant({
      clientId: client.id,
      accountId: principal.id,
      actorId: agentGrant.accountId,
      // Bound to the agent's session: when the agent logs out, the agent tokens end too.
      sessionId: agentGrant.sessionId,
      scope: formatScope(scopes),
      resource,
      acr: agentGrant.acr,
      amr: agentGrant.amr,
      authTime: agentGrant.authTime,
      createdAt: now,
      absoluteExpiresAt: addSeconds(now, this.deps.refreshAbsoluteSeconds),
    });
    const noRefresh = { ...client, grantTypes: client.grantTypes.filter((type) => type !== 'refresh_token') };
    const response = await this.deps.tokenGrants.userTokens(noRefresh, grant, payload.sid, undefined, grant, {
      sub: agentGrant.accountId,
    });
    await this.deps.audit.record({
      type: 'token.exchanged',
      accountId: principal.id,
      clientId: client.id,
      ip: context.ip,
      detail: { actor: agentGrant.accountId, scope: grant.scope, aud: resource },
    });
    return { ...response, issued_token_type: ACCESS_TOKEN_TYPE };
  }
}
