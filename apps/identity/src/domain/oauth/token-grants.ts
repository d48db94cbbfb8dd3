// The token endpoint's grants: authorization_code (+PKCE), refresh_token (rotation, family
// revocation on reuse, absolute expiry) and client_credentials. Token exchange for agents lives in
// agents/token-exchange.ts and plugs in here.
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { AccountRepository } from '../../repositories/accounts.ts';
import type { Grant, GrantRepository } from '../../repositories/grants.ts';
import { clientType, type Client } from '../clients/client-registry.ts';
import { sha256Hex } from '../crypto/random.ts';
import type { AuditLog } from '../security/audit-log.ts';
import type { Sessions } from '../sessions/sessions.ts';
import { OAuthError } from './oauth-error.ts';
import { OIDC_SCOPES, formatScope, isResourceIndicator, parseScope, resolveResource } from './scopes.ts';
import type { TokenIssuer, TokenResponse } from './token-issuer.ts';

const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

export type GrantHandler = (
  client: Client,
  params: Record<string, string>,
  context: { ip: string | undefined },
) => Promise<TokenResponse>;

export class TokenGrants {
  private readonly extra = new Map<string, GrantHandler>();

  constructor(
    private readonly deps: {
      grants: GrantRepository;
      accounts: AccountRepository;
      sessions: Sessions;
      issuer: TokenIssuer;
      audit: AuditLog;
      clock: Clock;
    },
  ) {}

  /** Adds a grant type (token exchange) implemented elsewhere. */
  register(grantType: string, handler: GrantHandler): void {
    this.extra.set(grantType, handler);
  }

  async exchange(
    client: Client,
    params: Record<string, string>,
    context: { ip: string | undefined },
  ): Promise<TokenResponse> {
    const grantType = params.grant_type;
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
    const known = ['authorization_code', 'refresh_token', 'client_credentials', ...this.extra.keys()];
    // The implicit and password grants do not exist here at all (RFC 9700).
    if (!known.includes(grantType)) throw new OAuthError('unsupported_grant_type', 'unsupported grant_type');
    if (!client.grantTypes.includes(grantType))
      throw new OAuthError('unauthorized_client', 'the client may not use this grant type');
    switch (grantType) {
      case 'authorization_code':
        return this.authorizationCode(client, params, context);
      case 'refresh_token':
        return this.refreshToken(client, params, context);
      case 'client_credentials':
        return this.clientCredentials(client, params);
      default: {
        const handler = this.extra.get(grantType);
        if (!handler) throw new OAuthError('unsupported_grant_type', 'unsupported grant_type');
        return handler(client, params, context);
      }
    }
  }

  private async authorizationCode(
    client: Client,
    params: Record<string, string>,
    context: { ip: string | undefined },
  ): Promise<TokenResponse> {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = params;
    if (!code || code.length > 200) throw new OAuthError('invalid_request', 'code is required');
    const codeHash = sha256Hex(code);
    const record = await this.deps.grants.findCode(codeHash);
    if (!record || record.clientId !== client.id) throw new OAuthError('invalid_grant', 'the code is invalid');
    const now = this.deps.clock.now();
    if (!(await this.deps.grants.consumeCode(codeHash, now))) {
      // A replayed code means it leaked: revoke everything it issued (RFC 9700 §4.2.1).
      if (record.grantId) await this.deps.grants.revokeGrant(record.grantId, now, 'code_reuse');
      await this.deps.audit.record({
        type: 'code.reused',
        accountId: record.accountId,
        clientId: client.id,
        ip: context.ip,
      });
      throw new OAuthError('invalid_grant', 'the code was already used');
    }
    if (record.expiresAt <= now) throw new OAuthError('invalid_grant', 'the code expired');
    if (redirectUri !== record.redirectUri)
      throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
    if (!verifier || !CODE_VERIFIER.test(verifier))
      throw new OAuthError('invalid_grant', 'code_verifier is missing or malformed');
    if (createHash('sha256').update(verifier).digest('base64url') !== record.codeChallenge)
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    const grant = record.grantId ? await this.deps.grants.findGrant(record.grantId) : null;
    if (!grant || grant.revokedAt) throw new OAuthError('invalid_grant', 'the authorization was revoked');
    const account = await this.requireActiveAccount(grant.accountId);
    const session = grant.sessionId ? await this.deps.sessions.findById(grant.sessionId) : undefined;
    const response = await this.userTokens(
      client,
      grant,
      session?.sid,
      record.nonce,
      grant,
      undefined,
      account.subjectId,
    );
    await this.deps.audit.record({
      type: 'token.issued',
      accountId: grant.accountId,
      clientId: client.id,
      ip: context.ip,
      detail: { grant: 'authorization_code', scope: grant.scope, aud: grant.resource },
    });
    return response;
  }

  private async refreshToken(
    client: Client,
    params: Record<string, string>,
    context: { ip: string | undefined },
  ): Promise<TokenResponse> {
    const presented = params.refresh_token;
    if (!presented || presented.length > 200) throw new OAuthError('invalid_request', 'refresh_token is required');
    const tokenHash = sha256Hex(presented);
    const record = await this.deps.grants.findRefreshToken(tokenHash);
    if (!record || record.grant.clientId !== client.id)
      throw new OAuthError('invalid_grant', 'the refresh token is invalid');
    const now = this.deps.clock.now();
    const { grant } = record;
    if (!(await this.deps.grants.spendRefreshToken(tokenHash, now))) {
      // A spent refresh token came back: someone holds a copy. End the whole family.
      await this.deps.grants.revokeGrant(grant.id, now, 'refresh_reuse');
      await this.deps.audit.record({
        type: 'token.refresh_reused',
        accountId: grant.accountId,
        clientId: client.id,
        ip: context.ip,
      });
      throw new OAuthError('invalid_grant', 'the refresh token was already used');
    }
    if (grant.revokedAt) throw new OAuthError('invalid_grant', 'the authorization was revoked');
    if (record.expiresAt <= now || grant.absoluteExpiresAt <= now)
      throw new OAuthError('invalid_grant', 'the refresh token expired');
    const account = await this.requireActiveAccount(grant.accountId);

    // Down-scoping and switching to another permitted resource are allowed; widening is not.
    let effective = grant;
    const narrowed = parseScope(params.scope);
    if (narrowed === undefined) throw new OAuthError('invalid_scope', 'scope is malformed');
    const granted = grant.scope.split(' ');
    if (narrowed.some((scope) => !granted.includes(scope)))
      throw new OAuthError('invalid_scope', 'scope exceeds the original grant');
    if (
      params.resource !== undefined &&
      (!isResourceIndicator(params.resource) || !resolveResource(client, params.resource))
    )
      throw new OAuthError('invalid_target', 'resource not allowed for this client');
    if (narrowed.length || params.resource)
      effective = {
        ...grant,
        scope: narrowed.length ? formatScope(narrowed) : grant.scope,
        resource: params.resource ?? grant.resource,
      };

    const session = grant.sessionId ? await this.deps.sessions.findById(grant.sessionId) : undefined;
    // Without offline_access a refresh lives within the SSO session: a timed-out session ends it,
    // a live one counts the refresh as activity.
    if (session && !granted.includes('offline_access')) {
      if (!this.deps.sessions.isLive(session, now))
        throw new OAuthError('invalid_grant', 'the login session has ended');
      await this.deps.sessions.touch(session);
    }
    const response = await this.userTokens(
      client,
      effective,
      session?.sid,
      undefined,
      grant,
      undefined,
      account.subjectId,
    );
    await this.deps.audit.record({
      type: 'token.refreshed',
      accountId: grant.accountId,
      clientId: client.id,
      ip: context.ip,
      detail: { scope: effective.scope, aud: effective.resource },
    });
    return response;
  }

  private async clientCredentials(client: Client, params: Record<string, string>): Promise<TokenResponse> {
    if (clientType(client) !== 'confidential')
      throw new OAuthError('unauthorized_client', 'client_credentials needs a confidential client');
    const requested = parseScope(params.scope);
    if (requested === undefined) throw new OAuthError('invalid_scope', 'scope is malformed');
    const serviceScopes = client.scopes.filter((scope) => !(OIDC_SCOPES as readonly string[]).includes(scope));
    if (requested.some((scope) => !serviceScopes.includes(scope)))
      throw new OAuthError('invalid_scope', 'scope not allowed for this client');
    const scopes = requested.length ? requested : serviceScopes;
    if (params.resource !== undefined && !isResourceIndicator(params.resource))
      throw new OAuthError('invalid_target', 'resource must be an absolute URI');
    const resource = resolveResource(client, params.resource);
    if (!resource) throw new OAuthError('invalid_target', 'resource not allowed for this client');
    const token = await this.deps.issuer.clientAccessToken(client.id, scopes, resource);
    // Issued tokens are audited in batches by the audit log's group commit; awaiting it here keeps
    // the record durable before the token leaves.
    await this.deps.audit.record({
      type: 'token.issued',
      clientId: client.id,
      detail: { grant: 'client_credentials', scope: formatScope(scopes), aud: resource },
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: this.deps.issuer.lifetimes.accessSeconds,
      scope: formatScope(scopes),
    };
  }

  /** The account behind a grant; refused unless active. Its subject code goes into the token. */
  private async requireActiveAccount(accountId: string): Promise<{ subjectId: string }> {
    const account = await this.deps.accounts.findById(accountId);
    if (!account || account.status !== 'active') throw new OAuthError('invalid_grant', 'the account is not active');
    return account;
  }

  /** Access token, ID token (for openid) and a rotated refresh token for a user grant. */
  async userTokens(
    client: Client,
    effective: Grant,
    sid: string | undefined,
    nonce: string | null | undefined,
    family: Grant = effective,
    actor?: { sub: string },
    subjectCode?: string,
  ): Promise<TokenResponse> {
    const scopes = effective.scope.split(' ').filter(Boolean);
    // Resource servers find the person's or firm's records by citizen ID number or credit code
    // (e.g. the license wallet), so the access token carries it as `subject_code`. Callers that
    // already loaded the account pass it; token exchange (the legal person) looks it up here.
    const code = subjectCode ?? (await this.deps.accounts.findById(effective.accountId))?.subjectId;
    const accessToken = await this.deps.issuer.userAccessToken(
      { ...effective, id: family.id },
      sid ? { sid } : undefined,
      actor,
      code,
    );
    const response: TokenResponse = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.deps.issuer.lifetimes.accessSeconds,
      scope: effective.scope,
    };
    if (scopes.includes('openid') && !actor)
      response.id_token = await this.deps.issuer.idToken({ grant: effective, sid, nonce });
    if (client.grantTypes.includes('refresh_token'))
      response.refresh_token = await this.deps.issuer.refreshToken(family);
    return response;
  }
}
