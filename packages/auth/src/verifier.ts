// Access-token verification against identity's JWKS, following RFC 9068 and the platform's
// identity checklist. Every check is explicit here rather than left to a library's defaults:
// ES256 only (so `alg=none` and HMAC-with-the-public-key fail), `typ` must be `at+jwt` (an ID
// token is never an access token), `kid` is looked up only in identity's own JWKS (jku, x5u and
// jwk headers are never used), issuer and audience must match, exp/nbf within a bounded skew.
// The signature is checked with node:crypto directly: it is the hot path of every request.
import { verify as verifySignature } from 'node:crypto';
import { AppError } from '@platform/contracts';
import { createKeyStore, type KeyStore } from './jwks.ts';
import { principalFromClaims, type Principal } from './principal.ts';

export interface VerifierOptions {
  /** Identity's issuer URL, exactly as in its tokens' `iss`. */
  issuer: string;
  /** This service's resource identifier; tokens must name it in `aud`. */
  audience: string;
  /** Defaults to `${issuer}/oidc/jwks`. */
  jwksUrl?: string;
  /** Allowed clock skew in seconds for exp/nbf/iat. */
  clockToleranceSeconds?: number;
  keyStore?: KeyStore;
  now?: () => number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const invalid = (message = 'The access token is invalid') => new AppError('UNAUTHENTICATED', message);
const claimInvalid = (claim: string) => invalid(`The access token is not valid here (${claim} claim)`);

function decodeJson(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
  return value as Record<string, unknown>;
}

function checkHeader(header: Record<string, unknown>): string {
  if (header.alg !== 'ES256') throw invalid('The access token uses an algorithm that is not allowed');
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
  if (typ !== 'at+jwt' && typ !== 'application/at+jwt') throw invalid('The token is not an access token (typ)');
  if (header.crit !== undefined) throw invalid('The access token has critical header parameters we do not understand');
  if (typeof header.kid !== 'string' || header.kid === '') throw invalid('The access token names no key (kid)');
  return header.kid;
}

function checkClaims(claims: Record<string, unknown>, options: VerifierOptions, nowSeconds: number): void {
  const skew = options.clockToleranceSeconds ?? 30;
  for (const name of ['sub', 'client_id', 'jti'] as const)
    if (typeof claims[name] !== 'string' || claims[name] === '') throw claimInvalid(name);
  for (const name of ['exp', 'iat'] as const) if (typeof claims[name] !== 'number') throw claimInvalid(name);
  if (claims.iss !== options.issuer) throw claimInvalid('iss');
  const aud = claims.aud;
  if (!(aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience)))) throw claimInvalid('aud');
  if ((claims.exp as number) <= nowSeconds - skew)
    throw new AppError('UNAUTHENTICATED', 'The access token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + skew) throw claimInvalid('nbf');
  if ((claims.iat as number) > nowSeconds + skew) throw claimInvalid('iat');
  if (claims.scope !== undefined && typeof claims.scope !== 'string') throw claimInvalid('scope');
}

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const keys =
    options.keyStore ??
    createKeyStore({ jwksUrl: options.jwksUrl ?? `${options.issuer.replace(/\/+$/, '')}/oidc/jwks` });
  const now = options.now ?? Date.now;

  return async (token) => {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) throw invalid();
    const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
    const kid = checkHeader(decodeJson(encodedHeader));
    const key = await keys.get(kid);
    if (!key) throw invalid('The access token was not signed by a known key');
    const signature = Buffer.from(encodedSignature, 'base64url');
    // ES256 signatures are r‖s, 32 bytes each (JWS uses IEEE P1363, not DER).
    if (signature.length !== 64) throw invalid();
    const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
    if (!verifySignature('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) throw invalid();
    const claims = decodeJson(encodedPayload);
    checkClaims(claims, options, Math.floor(now() / 1000));
    return principalFromClaims(claims);
  };
}
