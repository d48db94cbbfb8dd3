// Refunds and the per-notice refund reservation. Every step is a conditional update on the
// refund's current state; reservations are conditional updates the database CHECK also guards.
import type { DbClient } from '../db.ts';
import type { Refund, RefundState } from '../generated/prisma/client.ts';

export type RefundRecord = Refund & { paymentCode: string };

/** A refund claimed for one attempt at the channel, with the payment it gives back. */
export interface ClaimedRefund {
  id: string;
  channel: string;
  attempts: number;
  amountFen: number;
  bankSerial: string;
  paymentCode: string;
}

export class RefundRepository {
  constructor(private readonly db: DbClient) {}

  /** Reserves `amountFen` of the notice's paid amount; false when it would exceed it. */
  async reserve(noticeId: string, amountFen: number): Promise<boolean> {
    const updated = await this.db.$executeRaw`
      UPDATE payment_notice SET refund_reserved_fen = refund_reserved_fen + ${BigInt(amountFen)}
       WHERE id = ${noticeId}::uuid AND state IN ('paid', 'settled', 'partially_refunded')
         AND refund_reserved_fen + ${BigInt(amountFen)} <= paid_fen`;
    return updated === 1;
  }

  async release(noticeId: string, amountFen: number): Promise<void> {
    await this.db.$executeRaw`
      UPDATE payment_notice SET refund_reserved_fen = refund_reserved_fen - ${BigInt(amountFen)} WHERE id = ${noticeId}::uuid`;
  }

  insert(
    data: Omit<
      Refund,
      | 'id'
      | 'state'
      | 'reviewedBy'
      | 'reviewedAt'
      | 'approvalDueAt'
      | 'approvedBy'
      | 'approvedAt'
      | 'paymentDueAt'
      | 'executedAt'
      | 'rejectedReason'
      | 'channel'
      | 'channelRefundRef'
      | 'channelConfirmedAt'
      | 'channelAttempts'
      | 'nextAttemptAt'
      | 'lastError'
      | 'failedReason'
    >,
  ) {
    return this.db.refund.create({ data });
  }

  /** Moves the refund from `from` with `changes`; null when it was no longer in `from`. */
  async advance(id: string, from: RefundState, changes: Partial<Refund>): Promise<Refund | null> {
    const { count } = await this.db.refund.updateMany({ where: { id, state: from }, data: changes });
    return count === 1 ? this.db.refund.findUnique({ where: { id } }) : null;
  }

  /**
   * Claims processing refunds due for an attempt (all, or the one with `onlyId`), pushing their
   * next attempt out by the lease so that no other replica sends them meanwhile.
   */
  async claimDue(now: Date, leaseSeconds: number, limit: number, onlyId?: string): Promise<ClaimedRefund[]> {
    const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000);
    const rows = await this.db.$queryRaw<
      Array<{
        id: string;
        channel: string;
        channel_attempts: number;
        amount_fen: bigint;
        bank_serial: string;
        payment_code: string;
      }>
    >`
      UPDATE refund r SET channel_attempts = r.channel_attempts + 1, next_attempt_at = ${leaseUntil}
        FROM (SELECT id FROM refund
               WHERE state = 'processing' AND next_attempt_at <= ${now}
                 AND (${onlyId ?? null}::uuid IS NULL OR id = ${onlyId ?? null}::uuid)
               ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED) due,
             channel_payment cp
       WHERE r.id = due.id AND cp.notice_id = r.notice_id
       RETURNING r.id::text AS id, r.channel, r.channel_attempts, r.amount_fen, cp.bank_serial, cp.payment_code`;
    return rows.map((row) => ({
      id: row.id,
      channel: row.channel,
      attempts: row.channel_attempts,
      amountFen: Number(row.amount_fen),
      bankSerial: row.bank_serial,
      paymentCode: row.payment_code,
    }));
  }

  /** Records an unanswered attempt; the refund stays processing and is tried again at `at`. */
  async retryAt(id: string, at: Date, error: string): Promise<void> {
    await this.db.refund.updateMany({
      where: { id, state: 'processing' },
      data: { nextAttemptAt: at, lastError: error.slice(0, 300) },
    });
  }

  find(id: string) {
    return this.db.refund.findUnique({ where: { id } });
  }

  list(filter: { noticeIds?: string[] }) {
    return this.db.refund.findMany({
      where: filter.noticeIds ? { noticeId: { in: filter.noticeIds } } : {},
      orderBy: { requestedAt: 'asc' },
    });
  }
}
