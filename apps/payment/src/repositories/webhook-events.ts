// The transactional outbox of webhook events: written in the same transaction as the change it
// reports, delivered later by any replica (rows are claimed with FOR UPDATE SKIP LOCKED).
import type { DbClient } from '../db.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export interface NewEvent {
  unitCode: string;
  noticeId: string;
  sequence: number;
  type: string;
  payload: Prisma.InputJsonObject;
}

export interface ClaimedEvent {
  id: string;
  unitCode: string;
  type: string;
  sequence: number;
  payload: unknown;
  attempts: number;
  createdAt: Date;
  webhookUrl: string;
  webhookSecret: string;
}

export class WebhookEventRepository {
  constructor(private readonly db: DbClient) {}

  async insert(event: NewEvent): Promise<void> {
    await this.db.webhookEvent.create({ data: event });
  }

  /**
   * Claims due events of units that have a webhook URL. The claim pushes next_attempt_at out by
   * `leaseSeconds`, so an event whose deliverer dies is retried after the lease, never lost.
   */
  async claimDue(now: Date, leaseSeconds: number, limit: number): Promise<ClaimedEvent[]> {
    const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000);
    const rows = await this.db.$queryRaw<
      Array<{
        id: string;
        unit_code: string;
        type: string;
        sequence: number;
        payload: unknown;
        attempts: number;
        created_at: Date;
        webhook_url: string;
        webhook_secret: string;
      }>
    >`
      WITH due AS (
        SELECT e.id FROM webhook_event e JOIN collecting_unit u ON u.credit_code = e.unit_code
         WHERE e.status = 'pending' AND e.next_attempt_at <= ${now} AND u.webhook_url IS NOT NULL
         ORDER BY e.next_attempt_at LIMIT ${limit} FOR UPDATE OF e SKIP LOCKED)
      UPDATE webhook_event e SET attempts = e.attempts + 1, next_attempt_at = ${leaseUntil}
        FROM due, collecting_unit u
       WHERE e.id = due.id AND u.credit_code = e.unit_code
       RETURNING e.id::text AS id, e.unit_code, e.type, e.sequence, e.payload, e.attempts, e.created_at,
                 u.webhook_url, u.webhook_secret`;
    return rows.map((row) => ({
      id: row.id,
      unitCode: row.unit_code,
      type: row.type,
      sequence: row.sequence,
      payload: row.payload,
      attempts: row.attempts,
      createdAt: row.created_at,
      webhookUrl: row.webhook_url,
      webhookSecret: row.webhook_secret,
    }));
  }

  async markDelivered(id: string, at: Date): Promise<void> {
    await this.db.webhookEvent.update({
      where: { id },
      data: { status: 'delivered', deliveredAt: at, lastError: null },
    });
  }

  async markFailedAttempt(id: string, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.db.webhookEvent.update({
      where: { id },
      data: nextAttemptAt
        ? { lastError: error.slice(0, 300), nextAttemptAt }
        : { lastError: error.slice(0, 300), status: 'failed' },
    });
  }

  list(unitCode: string, filter: { noticeId?: string; status?: string; limit: number }) {
    return this.db.webhookEvent.findMany({
      where: {
        unitCode,
        ...(filter.noticeId ? { noticeId: filter.noticeId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { sequence: 'desc' }],
      take: filter.limit,
    });
  }

  find(id: string) {
    return this.db.webhookEvent.findUnique({ where: { id } });
  }

  /** Puts an event back in the queue for immediate delivery (replay), whatever its status. */
  requeue(id: string, at: Date) {
    return this.db.webhookEvent.update({
      where: { id },
      data: { status: 'pending', nextAttemptAt: at, deliveredAt: null },
    });
  }
}
