// Back-channel logout deliveries. Due deliveries are claimed with FOR UPDATE SKIP LOCKED and a
// short lease, so several replicas retry without sending the same notification twice at once.
import type { Database } from '../db.ts';
import type { LogoutDelivery, Prisma } from '../generated/prisma/client.ts';

export type { LogoutDelivery };

export class LogoutDeliveryRepository {
  constructor(private readonly db: Database) {}

  async createMany(rows: Prisma.LogoutDeliveryCreateManyInput[]): Promise<LogoutDelivery[]> {
    return this.db.logoutDelivery.createManyAndReturn({ data: rows });
  }

  /** Claims up to `limit` due pending deliveries by pushing their next attempt past the lease. */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<LogoutDelivery[]> {
    const ids = await this.db.$queryRaw<Array<{ id: string }>>`
      UPDATE logout_delivery SET next_attempt_at = ${leaseUntil}
      WHERE id IN (
        SELECT id FROM logout_delivery
        WHERE status = 'pending' AND next_attempt_at <= ${now}
        ORDER BY next_attempt_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    if (ids.length === 0) return [];
    return this.db.logoutDelivery.findMany({ where: { id: { in: ids.map((row) => row.id) } } });
  }

  async markDelivered(id: string, at: Date, attempts: number): Promise<void> {
    await this.db.logoutDelivery.update({
      where: { id },
      data: { status: 'delivered', deliveredAt: at, attempts, lastError: null },
    });
  }

  async markFailedAttempt(id: string, attempts: number, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.db.logoutDelivery.update({
      where: { id },
      data: {
        attempts,
        lastError: error.slice(0, 300),
        ...(nextAttemptAt ? { nextAttemptAt } : { status: 'failed' }),
      },
    });
  }

  list(filter: { status?: string | undefined; limit: number }): Promise<LogoutDelivery[]> {
    return this.db.logoutDelivery.findMany({
      where: filter.status ? { status: filter.status } : {},
      orderBy: { createdAt: 'desc' },
      take: filter.limit,
    });
  }
}
