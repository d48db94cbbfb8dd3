// Grants (what an authorization produced), their refresh tokens, the access tokens issued for them,
// authorization codes, individually revoked access tokens and consents.
import type { Database } from '../db.ts';
import type { AuthorizationCode, Consent, Grant, Prisma, RefreshToken } from '../generated/prisma/client.ts';

export type { AuthorizationCode, Consent, Grant, RefreshToken };

export class GrantRepository {
  constructor(private readonly db: Database) {}

  createGrant(data: Prisma.GrantUncheckedCreateInput): Promise<Grant> {
    return this.db.grant.create({ data });
  }

  findGrant(id: string): Promise<Grant | null> {
    return this.db.grant.findUnique({ where: { id } });
  }

  async revokeGrant(id: string, at: Date, reason: string): Promise<void> {
    await this.db.grant.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at, revokeReason: reason } });
  }

  /** Grants tied to a session; `keepOffline` spares those with offline_access (they outlive logout). */
  async revokeForSession(sessionId: string, at: Date, reason: string): Promise<number> {
    const result = await this.db.grant.updateMany({
      where: { sessionId, revokedAt: null, NOT: { scope: { contains: 'offline_access' } } },
      data: { revokedAt: at, revokeReason: reason },
    });
    return result.count;
  }

  /** The grants one client holds for an account (as the user, or as the agent acting for a firm). */
  async revokeForClient(accountId: string, clientId: string, at: Date, reason: string): Promise<number> {
    const result = await this.db.grant.updateMany({
      where: { clientId, OR: [{ accountId }, { actorId: accountId }], revokedAt: null },
      data: { revokedAt: at, revokeReason: reason },
    });
    return result.count;
  }

  async revokeForAccount(accountId: string, at: Date, reason: string): Promise<number> {
    const result = await this.db.grant.updateMany({
      where: { OR: [{ accountId }, { actorId: accountId }], revokedAt: null },
      data: { revokedAt: at, revokeReason: reason },
    });
    return result.count;
  }

  /** Grants an agent holds for a legal person. */
  async revokeActing(principalId: string, agentId: string, at: Date, reason: string): Promise<number> {
    const result = await this.db.grant.updateMany({
      where: { accountId: principalId, actorId: agentId, revokedAt: null },
      data: { revokedAt: at, revokeReason: reason },
    });
    return result.count;
  }

  // Refresh tokens ------------------------------------------------------------------------------

  createRefreshToken(data: Prisma.RefreshTokenUncheckedCreateInput): Promise<RefreshToken> {
    return this.db.refreshToken.create({ data });
  }

  findRefreshToken(tokenHash: string): Promise<(RefreshToken & { grant: Grant }) | null> {
    return this.db.refreshToken.findUnique({ where: { tokenHash } }).then(async (token) => {
      if (!token) return null;
      const grant = await this.db.grant.findUnique({ where: { id: token.grantId } });
      return grant ? { ...token, grant } : null;
    });
  }

  /** Spends a refresh token; false if it was already spent (a replay, or a lost race). */
  async spendRefreshToken(tokenHash: string, at: Date): Promise<boolean> {
    const result = await this.db.refreshToken.updateMany({ where: { tokenHash, usedAt: null }, data: { usedAt: at } });
    return result.count === 1;
  }

  // Access tokens -------------------------------------------------------------------------------

  async recordAccessToken(jti: string, grantId: string, expiresAt: Date): Promise<void> {
    await this.db.accessTokenRecord.create({ data: { jti, grantId, expiresAt } });
  }

  async grantOfAccessToken(jti: string): Promise<Grant | null> {
    const record = await this.db.accessTokenRecord.findUnique({ where: { jti } });
    return record ? this.db.grant.findUnique({ where: { id: record.grantId } }) : null;
  }

  async revokeAccessToken(jti: string, expiresAt: Date): Promise<void> {
    await this.db.revokedToken.upsert({ where: { jti }, create: { jti, expiresAt }, update: {} });
  }

  async isAccessTokenRevoked(jti: string): Promise<boolean> {
    return (await this.db.revokedToken.findUnique({ where: { jti } })) !== null;
  }

  // Authorization codes -------------------------------------------------------------------------

  createCode(data: Prisma.AuthorizationCodeUncheckedCreateInput): Promise<AuthorizationCode> {
    return this.db.authorizationCode.create({ data });
  }

  findCode(codeHash: string): Promise<AuthorizationCode | null> {
    return this.db.authorizationCode.findUnique({ where: { codeHash } });
  }

  /** Marks the code consumed; false when it already was (the code is being replayed). */
  async consumeCode(codeHash: string, at: Date): Promise<boolean> {
    const result = await this.db.authorizationCode.updateMany({
      where: { codeHash, consumedAt: null },
      data: { consumedAt: at },
    });
    return result.count === 1;
  }

  async linkCodeToGrant(codeHash: string, grantId: string): Promise<void> {
    await this.db.authorizationCode.update({ where: { codeHash }, data: { grantId } });
  }

  // Consent -------------------------------------------------------------------------------------

  findConsent(accountId: string, clientId: string): Promise<Consent | null> {
    return this.db.consent.findUnique({ where: { accountId_clientId: { accountId, clientId } } });
  }

  listConsents(accountId: string): Promise<Consent[]> {
    return this.db.consent.findMany({ where: { accountId }, orderBy: [{ grantedAt: 'desc' }, { clientId: 'asc' }] });
  }

  /** Deletes the consent; false when there was none. */
  async deleteConsent(accountId: string, clientId: string): Promise<boolean> {
    const result = await this.db.consent.deleteMany({ where: { accountId, clientId } });
    return result.count === 1;
  }

  async saveConsent(accountId: string, clientId: string, scopes: string[], at: Date): Promise<void> {
    await this.db.consent.upsert({
      where: { accountId_clientId: { accountId, clientId } },
      create: { accountId, clientId, scopes, grantedAt: at },
      update: { scopes, grantedAt: at },
    });
  }
}
