// Refunds and the per-notice refund reservation. Every step is a conditional update on the
// refund's current state; reservations are conditional updates the database CHECK also guards.
import type { DbClient } from '../db.ts';
import type { Refund, RefundState } from '../generated/prisma/client.ts';

export type RefundRecord = Refund & { paymentCode: string };

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
    >,
  ) {
    return this.db.refund.create({ data });
  }

  /** Moves the refund from `from` with `changes`; null when it was no longer in `from`. */
  async advance(id: string, from: RefundState, changes: Partial<Refund>): Promise<Refund | null> {
    const { count } = await this.db.refund.updateMany({ where: { id, state: from }, data: changes });
    return count === 1 ? this.db.refund.findUnique({ where: { id } }) : null;
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
