// GET/POST /oidc/userinfo: claims about the user, for access tokens issued to identity itself.
import type { Request, Response } from 'express';
import { IDENTITY_RESOURCE } from '../domain/oauth/scopes.ts';
import { InvalidTokenError } from '../domain/tokens/jwt.ts';
import type { OidcContext } from './context.ts';

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header) : null;
  return match?.[1];
}

export function userinfoHandler(context: OidcContext) {
  return async (req: Request, res: Response) => {
    const fail = (status: number, error: string, description: string) =>
      res
        .status(status)
        .set({
          'www-authenticate': `Bearer error="${error}", error_description="${description}"`,
          'cache-control': 'no-store',
        })
        .json({ error, error_description: description });
    const token = bearer(req);
    if (!token) return fail(401, 'invalid_token', 'a Bearer access token is required');
    try {
      const { payload } = await context.tokenState.activeAccessToken(token, IDENTITY_RESOURCE);
      const scopes = (payload.scope ?? '').split(' ');
      if (!scopes.includes('openid') || payload.acr === undefined)
        return fail(403, 'insufficient_scope', 'the token lacks the openid scope');
      const account = await context.accounts.findById(String(payload.sub));
      if (!account) return fail(401, 'invalid_token', 'the token is not active');
      res.set('cache-control', 'no-store').json(context.claims.claims(account, scopes));
    } catch (error) {
      if (error instanceof InvalidTokenError) return fail(401, 'invalid_token', 'the token is not active');
      throw error;
    }
  };
}
