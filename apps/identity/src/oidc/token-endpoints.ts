// POST /oidc/token, /oidc/introspect (RFC 7662) and /oidc/revoke (RFC 7009).
import type { Request, Response } from 'express';
import { clientType } from '../domain/clients/client-registry.ts';
import { OAuthError } from '../domain/oauth/oauth-error.ts';
import { InvalidTokenError } from '../domain/tokens/jwt.ts';
import { authenticateClient, presentedCredentials } from './client-auth.ts';
import type { OidcContext } from './context.ts';
import { clientIp, noStore, oauthParams, sendOAuthError } from './http.ts';

const FORM = 'application/x-www-form-urlencoded';

/** Runs an OAuth endpoint: form body required, OAuthError → JSON, Basic failures → WWW-Authenticate. */
function oauthEndpoint(handler: (req: Request, res: Response, params: Record<string, string>) => Promise<void>) {
  return async (req: Request, res: Response) => {
    try {
      if (!req.is(FORM)) throw new OAuthError('invalid_request', `the request body must be ${FORM}`);
      await handler(req, res, oauthParams(req, 'body'));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const basic = req.get('authorization')?.toLowerCase().startsWith('basic ');
      sendOAuthError(
        res,
        error,
        error.error === 'invalid_client' && basic ? { 'www-authenticate': 'Basic realm="identity"' } : {},
      );
    }
  };
}

export function tokenHandler(context: OidcContext) {
  return oauthEndpoint(async (req, res, params) => {
    const client = await authenticateClient(context, presentedCredentials(req, params));
    const response = await context.grants.exchange(client, params, { ip: clientIp(req) });
    noStore(res).json(response);
  });
}

export function introspectionHandler(context: OidcContext) {
  return oauthEndpoint(async (req, res, params) => {
    const client = await authenticateClient(context, presentedCredentials(req, params));
    // Introspection reveals token contents: only confidential clients (resource servers) may ask.
    if (clientType(client) !== 'confidential')
      throw new OAuthError('invalid_client', 'introspection needs a confidential client');
    const token = params.token;
    if (!token) throw new OAuthError('invalid_request', 'token is required');
    noStore(res).json(await introspect(context, token, params.token_type_hint));
  });
}

async function introspect(
  context: OidcContext,
  token: string,
  hint: string | undefined,
): Promise<Record<string, unknown>> {
  const asRefresh = async () => {
    const active = await context.tokenState.activeRefreshToken(token);
    if (!active) return undefined;
    return {
      active: true,
      token_type: 'refresh_token',
      client_id: active.grant.clientId,
      sub: active.grant.accountId,
      scope: active.grant.scope,
      exp: Math.floor(active.expiresAt.getTime() / 1000),
      iss: context.issuer,
    };
  };
  const asAccess = async () => {
    try {
      const { payload } = await context.tokenState.activeAccessToken(token);
      return { active: true, token_type: 'Bearer', ...payload };
    } catch (error) {
      if (error instanceof InvalidTokenError) return undefined;
      throw error;
    }
  };
  const order = hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh];
  for (const attempt of order) {
    const result = await attempt();
    if (result) return result;
  }
  return { active: false };
}

export function revocationHandler(context: OidcContext) {
  return oauthEndpoint(async (req, res, params) => {
    const client = await authenticateClient(context, presentedCredentials(req, params));
    const token = params.token;
    if (!token) throw new OAuthError('invalid_request', 'token is required');
    const refresh = await context.tokenState.activeRefreshToken(token);
    if (refresh && refresh.grant.clientId === client.id) {
      await context.tokenState.revokeGrant(refresh.grant.id, 'revoked_by_client');
      await context.audit.record({
        type: 'token.revoked',
        accountId: refresh.grant.accountId,
        clientId: client.id,
        detail: { kind: 'refresh_token' },
      });
    } else if (!refresh) {
      try {
        const { payload } = await context.tokenState.activeAccessToken(token);
        if (payload.client_id === client.id && payload.jti && payload.exp) {
          await context.tokenState.revokeAccessToken(payload.jti, payload.exp);
          await context.audit.record({
            type: 'token.revoked',
            accountId: payload.acr ? payload.sub : null,
            clientId: client.id,
            detail: { kind: 'access_token' },
          });
        }
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
      }
    }
    // RFC 7009 §2.2: invalid or foreign tokens also get 200, so the endpoint reveals nothing.
    noStore(res).status(200).end();
  });
}
