// Mints the three token kinds: access tokens (RFC 9068 JWT, `at+jwt`), ID tokens (`JWT`) and
// refresh tokens (opaque, hash stored, bound to a grant).
import { addSeconds, type Clock } from '../../clock.ts';
import type { Grant, GrantRepository } from '../../repositories/grants.ts';
import { randomToken, sha256Hex } from '../crypto/random.ts';
import type { JwtService } from '../tokens/jwt.ts';
import { formatScope } from './scopes.ts';

export interface TokenLifetimes {
  accessSeconds: number;
  idSeconds: number;
  refreshIdleSeconds: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
  issued_token_type?: string;
}

export class TokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    private readonly grants: GrantRepository,
    private readonly clock: Clock,
    readonly lifetimes: TokenLifetimes,
  ) {}

  /** An access token for a user grant (recorded, so revoking the grant deactivates it). */
  async userAccessToken(
    grant: Grant,
    session: { sid: string } | undefined,
    actor?: { sub: string },
    subjectCode?: string,
  ): Promise<string> {
    const { token, jti, exp } = await this.jwt.sign(
      'access',
      {
        sub: grant.accountId,
        aud: grant.resource,
        client_id: grant.clientId,
        scope: grant.scope,
        acr: String(grant.acr),
        auth_time: Math.floor(grant.authTime.getTime() / 1000),
        ...(session ? { sid: session.sid } : {}),
        ...(actor ? { act: { sub: actor.sub } } : {}),
        ...(subjectCode ? { subject_code: subjectCode } : {}),
      },
      this.lifetimes.accessSeconds,
    );
    await this.grants.recordAccessToken(jti, grant.id, new Date(exp * 1000));
    return token;
  }

  /** client_credentials: the client is the subject; nothing is stored (stateless, fast). */
  async clientAccessToken(clientId: string, scopes: string[], resource: string): Promise<string> {
    const { token } = await this.jwt.sign(
      'access',
      { sub: clientId, aud: resource, client_id: clientId, scope: formatScope(scopes) },
      this.lifetimes.accessSeconds,
    );
    return token;
  }

  async idToken(input: {
    grant: Grant;
    sid: string | undefined;
    nonce: string | undefined | null;
    claims?: Record<string, unknown>;
  }): Promise<string> {
    const { grant } = input;
    const { token } = await this.jwt.sign(
      'id',
      {
        sub: grant.accountId,
        aud: grant.clientId,
        azp: grant.clientId,
        auth_time: Math.floor(grant.authTime.getTime() / 1000),
        acr: String(grant.acr),
        amr: grant.amr,
        ...(input.sid ? { sid: input.sid } : {}),
        ...(input.nonce ? { nonce: input.nonce } : {}),
        ...input.claims,
      },
      this.lifetimes.idSeconds,
    );
    return token;
  }

  async refreshToken(grant: Grant): Promise<string> {
    const token = randomToken(32);
    const now = this.clock.now();
    const idleEnd = addSeconds(now, this.lifetimes.refreshIdleSeconds);
    await this.grants.createRefreshToken({
      tokenHash: sha256Hex(token),
      grantId: grant.id,
      createdAt: now,
      // Never beyond the family's absolute end.
      expiresAt: idleEnd < grant.absoluteExpiresAt ? idleEnd : grant.absoluteExpiresAt,
    });
    return token;
  }
}
