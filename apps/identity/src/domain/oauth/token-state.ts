// Whether a token we issued is still good: signature, type, issuer, expiry (jwt.ts), then the
// state only the database knows — individually revoked, grant revoked, account no longer active.
// Used by introspection, userinfo, revocation and the service's own API authentication.
import type { JWTPayload } from 'jose';
import type { AccountRepository } from '../../repositories/accounts.ts';
import type { Grant, GrantRepository } from '../../repositories/grants.ts';
import type { Clock } from '../../clock.ts';
import { sha256Hex } from '../crypto/random.ts';
import { InvalidTokenError, type JwtService } from '../tokens/jwt.ts';

export interface ActiveAccessToken {
  kind: 'access_token';
  payload: JWTPayload & { client_id?: string; scope?: string; acr?: string; sid?: string; act?: { sub: string } };
  grant: Grant | null;
}

export interface ActiveRefreshToken {
  kind: 'refresh_token';
  grant: Grant;
  expiresAt: Date;
}

export class TokenState {
  constructor(
    private readonly deps: { jwt: JwtService; grants: GrantRepository; accounts: AccountRepository; clock: Clock },
  ) {}

  /** The access token's claims if it is active; throws InvalidTokenError otherwise. */
  async activeAccessToken(token: string, audience?: string): Promise<ActiveAccessToken> {
    const { payload } = await this.deps.jwt.verify(token, 'access', audience ? { audience } : {});
    if (typeof payload.jti !== 'string' || typeof payload.sub !== 'string') throw new InvalidTokenError('incomplete');
    if (await this.deps.grants.isAccessTokenRevoked(payload.jti)) throw new InvalidTokenError('revoked');
    let grant: Grant | null = null;
    // User tokens carry acr; their grant and account must still be in good standing.
    if (payload.acr !== undefined) {
      grant = await this.deps.grants.grantOfAccessToken(payload.jti);
      if (!grant || grant.revokedAt) throw new InvalidTokenError('grant revoked');
      for (const accountId of [grant.accountId, grant.actorId]) {
        if (!accountId) continue;
        const account = await this.deps.accounts.findById(accountId);
        if (!account || account.status !== 'active') throw new InvalidTokenError('account not active');
      }
    }
    return { kind: 'access_token', payload: payload as ActiveAccessToken['payload'], grant };
  }

  /** The refresh token's grant if the token is unspent, unexpired and its family unrevoked. */
  async activeRefreshToken(token: string): Promise<ActiveRefreshToken | undefined> {
    if (token.length > 200) return undefined;
    const record = await this.deps.grants.findRefreshToken(sha256Hex(token));
    const now = this.deps.clock.now();
    if (!record || record.usedAt || record.expiresAt <= now) return undefined;
    if (record.grant.revokedAt || record.grant.absoluteExpiresAt <= now) return undefined;
    const account = await this.deps.accounts.findById(record.grant.accountId);
    if (!account || account.status !== 'active') return undefined;
    return { kind: 'refresh_token', grant: record.grant, expiresAt: record.expiresAt };
  }

  async revokeGrant(grantId: string, reason: string): Promise<void> {
    await this.deps.grants.revokeGrant(grantId, this.deps.clock.now(), reason);
  }

  async revokeAccessToken(jti: string, exp: number): Promise<void> {
    await this.deps.grants.revokeAccessToken(jti, new Date(exp * 1000));
  }
}
