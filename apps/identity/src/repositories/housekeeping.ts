// Deletes rows whose only purpose has passed (expired codes, interactions, token records, old
// counters). The audit log is never touched here: it is kept (≥ 6 months, Cybersecurity Law Art. 21).
import type { Database } from '../db.ts';

export class HousekeepingRepository {
  constructor(private readonly db: Database) {}

  async purge(now: Date, keepUntil: Date): Promise<Record<string, number>> {
    const [codes, otps, interactions, accessTokens, revoked, counters, outbox, refreshTokens, grants] =
      await this.db.$transaction([
        this.db.authorizationCode.deleteMany({ where: { expiresAt: { lt: keepUntil } } }),
        this.db.oneTimeCode.deleteMany({ where: { expiresAt: { lt: keepUntil } } }),
        this.db.interaction.deleteMany({ where: { expiresAt: { lt: now } } }),
        this.db.accessTokenRecord.deleteMany({ where: { expiresAt: { lt: now } } }),
        this.db.revokedToken.deleteMany({ where: { expiresAt: { lt: now } } }),
        // Longest window is one day.
        this.db.rateLimitCounter.deleteMany({
          where: { windowStart: { lt: new Date(now.getTime() - 2 * 24 * 3600 * 1000) } },
        }),
        this.db.smsOutbox.deleteMany({ where: { createdAt: { lt: keepUntil } } }),
        this.db.refreshToken.deleteMany({ where: { expiresAt: { lt: keepUntil } } }),
        // A grant past its absolute end has no usable refresh token left; its access tokens expired long before.
        this.db.grant.deleteMany({ where: { absoluteExpiresAt: { lt: keepUntil } } }),
      ]);
    return {
      codes: codes.count,
      otps: otps.count,
      interactions: interactions.count,
      accessTokens: accessTokens.count,
      revoked: revoked.count,
      counters: counters.count,
      outbox: outbox.count,
      refreshTokens: refreshTokens.count,
      grants: grants.count,
    };
  }
}
