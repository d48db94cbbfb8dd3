// The console's own procedures see their caller the way every service does: as a principal from an
// access token verified by packages/auth. The browser holds only a cookie, so the token is the
// session's access token for the console itself (audience urn:platform:console, asked for with the
// session's refresh token and all its scopes); packages/auth checks its signature against identity's
// JWKS, typ, iss, aud and expiry. The screens a user gets are thus read from scopes identity signed,
// and a session identity has ended (refresh refused) or whose token does not verify ends here too.
import type { TokenVerifier } from '@platform/auth';
import { AppError, type Principal } from '@platform/contracts';
import type { Logger } from '@platform/service-kit';
import { readCookie, type CookieCarrier, type CookieNames } from './cookies.ts';
import { SessionEndedError, type AccessTokens, type ResourceSpec } from './access-tokens.ts';
import type { SessionStore } from './session-store.ts';

/** The console as a resource: every scope of the session (`scopePrefix` ''), for the roles. */
export const CONSOLE_RESOURCE: ResourceSpec = { resource: 'urn:platform:console', scopePrefix: '' };

export interface SessionPrincipalOptions {
  sessions: SessionStore;
  tokens: AccessTokens;
  cookies: CookieNames;
  verify: TokenVerifier;
  log: Logger;
}

/** The service kit's `authenticate` hook for the console: session cookie → verified principal. */
export function sessionAuthenticator(
  options: SessionPrincipalOptions,
): (req: CookieCarrier) => Promise<Principal | undefined> {
  return async (req) => {
    const session = options.sessions.find(readCookie(req, options.cookies.session));
    if (!session) return undefined;
    let token: string;
    try {
      token = await options.tokens.forResource(session, CONSOLE_RESOURCE);
    } catch (error) {
      if (error instanceof SessionEndedError) {
        options.sessions.delete(session);
        return undefined;
      }
      // Identity down or refusing for another reason: the session stays, the caller may retry.
      options.log.warn({ err: error }, 'no access token for the console from identity');
      throw new AppError('AUTH_UNAVAILABLE', 'The login cannot be checked right now; try again shortly');
    }
    try {
      return await options.verify(token);
    } catch (error) {
      // Keys that cannot be fetched right now say nothing about the token: keep the session.
      if (error instanceof AppError && error.code === 'AUTH_UNAVAILABLE') throw error;
      // Identity never issues a token that fails the checks: treat the session as compromised.
      options.sessions.delete(session);
      options.log.warn({ err: error }, 'session access token refused; session ended');
      throw error;
    }
  };
}
