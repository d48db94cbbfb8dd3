// Signing and verifying the service's own JWTs. Verification trusts nothing in the header except
// `kid` (looked up only in our own JWKS) and `typ`: the algorithm is pinned to ES256 (so `none`
// and HMAC confusion fail), `jku`/`x5u`/`jwk` are never followed, and exp/nbf have a bounded skew.
import { randomUUID, sign as signWithKey } from 'node:crypto';
import { jwtVerify, type JWTPayload, type JWTHeaderParameters } from 'jose';
import type { Clock } from '../../clock.ts';
import { SIGNING_ALG, type SigningKeys } from '../keys/signing-keys.ts';

export const TOKEN_TYPES = { access: 'at+jwt', id: 'JWT', logout: 'logout+jwt' } as const;
export type TokenType = keyof typeof TOKEN_TYPES;
export const CLOCK_SKEW_SECONDS = 30;

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid token: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

export class JwtService {
  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    readonly issuer: string,
  ) {}

  async sign(
    type: TokenType,
    claims: JWTPayload,
    ttlSeconds: number,
  ): Promise<{ token: string; jti: string; exp: number }> {
    const { kid, privateKey } = await this.keys.current();
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const jti = claims.jti ?? randomUUID();
    const exp = iat + ttlSeconds;
    const header = { alg: SIGNING_ALG, typ: TOKEN_TYPES[type], kid };
    const payload = { ...claims, iss: this.issuer, iat, exp, jti };
    // Compact JWS by hand with node:crypto's synchronous ES256 (JOSE's r||s signature form):
    // several times faster than WebCrypto for the token endpoint; verification stays with jose.
    const input = `${base64url(header)}.${base64url(payload)}`;
    const signature = signWithKey('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${input}.${signature.toString('base64url')}`, jti, exp };
  }

  /**
   * Verifies one of our own tokens of the given type. `expired: 'allow'` is for id_token_hint,
   * which may legitimately be expired at logout.
   */
  async verify(
    token: string,
    type: TokenType,
    options: { audience?: string; expired?: 'allow' } = {},
  ): Promise<{ payload: JWTPayload; header: JWTHeaderParameters }> {
    if (typeof token !== 'string' || token.length > 8192 || token.split('.').length !== 3)
      throw new InvalidTokenError('malformed');
    try {
      const result = await jwtVerify(
        token,
        async (header) => {
          if (typeof header.kid !== 'string') throw new InvalidTokenError('no kid');
          const key = await this.keys.publicKey(header.kid);
          if (!key) throw new InvalidTokenError('unknown kid');
          return key;
        },
        {
          issuer: this.issuer,
          typ: TOKEN_TYPES[type],
          algorithms: [SIGNING_ALG],
          clockTolerance: options.expired === 'allow' ? 10 * 365 * 24 * 3600 : CLOCK_SKEW_SECONDS,
          currentDate: this.clock.now(),
          ...(options.audience ? { audience: options.audience } : {}),
        },
      );
      return { payload: result.payload, header: result.protectedHeader };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      const code = (error as { code?: string }).code ?? 'invalid';
      throw new InvalidTokenError(code);
    }
  }
}
