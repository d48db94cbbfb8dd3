// The service kit's `authenticate` hook: no Authorization header means an anonymous caller (public
// procedures still work); a header that is present must carry a valid bearer token.
import { AppError } from '@platform/contracts';
import type { Principal } from './principal.ts';
import type { TokenVerifier } from './verifier.ts';

interface RequestLike {
  headers: { authorization?: string | undefined };
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

export function bearerAuthenticator(verify: TokenVerifier): (req: RequestLike) => Promise<Principal | undefined> {
  return async (req) => {
    const header = req.headers.authorization;
    if (header === undefined || header === '') return undefined;
    const match = BEARER.exec(header.trim());
    if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <access token>"');
    return verify(match[1]);
  };
}
