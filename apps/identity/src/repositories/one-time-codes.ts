// SMS one-time codes (hashes only) and the development gateway's outbox.
import type { Database } from '../db.ts';
import type { OneTimeCode, SmsOutbox } from '../generated/prisma/client.ts';

export class OneTimeCodeRepository {
  constructor(private readonly db: Database) {}

  create(data: { phone: string; purpose: string; codeHash: string; createdAt: Date; expiresAt: Date }) {
    return this.db.oneTimeCode.create({ data });
  }

  /** The newest code for this phone and purpose that is still usable at `now`. */
  findLatestUsable(phone: string, purpose: string, now: Date): Promise<OneTimeCode | null> {
    return this.db.oneTimeCode.findFirst({
      where: { phone, purpose, consumedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
    });
  }

  async countAttempt(id: string): Promise<number> {
    const row = await this.db.oneTimeCode.update({ where: { id }, data: { attempts: { increment: 1 } } });
    return row.attempts;
  }

  /** Marks the code used; false if another request used it first (single use under concurrency). */
  async consume(id: string, now: Date): Promise<boolean> {
    const updated = await this.db.oneTimeCode.updateMany({
      where: { id, consumedAt: null },
      data: { consumedAt: now },
    });
    return updated.count === 1;
  }

  /** A new code replaces older ones for the same purpose. */
  async invalidateOthers(phone: string, purpose: string, keepId: string, now: Date): Promise<void> {
    await this.db.oneTimeCode.updateMany({
      where: { phone, purpose, consumedAt: null, id: { not: keepId } },
      data: { consumedAt: now },
    });
  }
}

export class SmsOutboxRepository {
  constructor(private readonly db: Database) {}

  add(message: { phone: string; body: string; createdAt: Date }): Promise<SmsOutbox> {
    return this.db.smsOutbox.create({ data: message });
  }

  list(filter: { phone?: string | undefined; limit: number }): Promise<SmsOutbox[]> {
    return this.db.smsOutbox.findMany({
      where: filter.phone ? { phone: filter.phone } : {},
      orderBy: { createdAt: 'desc' },
      take: filter.limit,
    });
  }
}
