// The refund workflow (退付): the unit requests (reason, amount ≤ refundable), the unit verifies,
// finance approves, then the refund is executed: ledger transfer back to the payer, notice and
// receipt updated, webhook event written — all in one transaction. Working-day deadlines are
// stored per step; a refund past the deadline of its current step is flagged overdue.
import { randomUUID } from 'node:crypto';
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import { TX_OPTIONS, type Database, type DbClient } from '../../db.ts';
import type { Refund } from '../../generated/prisma/client.ts';
import { LedgerRepository } from '../../repositories/ledger.ts';
import { NoticeRepository, type NoticeRecord } from '../../repositories/notices.ts';
import { RefundRepository } from '../../repositories/refunds.ts';
import { WebhookEventRepository } from '../../repositories/webhook-events.ts';
import { ACCOUNTS, clearingAccount, destinationAccount, type Posting } from '../ledger/accounts.ts';
import { addWorkingDays, REFUND_DEADLINES } from './working-days.ts';

export interface RefundRequest {
  paymentCode: string;
  amountFen: number;
  reason: string;
  kind: 'over_collection' | 'error' | 'approved_case';
  unitInitiated: boolean;
}

export interface RefundWithCode extends Refund {
  paymentCode: string;
  overdue: boolean;
}

export class RefundWorkflow {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async request(unitCode: string, actor: string, request: RefundRequest): Promise<RefundWithCode> {
    const [refund] = await this.requestMany(unitCode, actor, [request], null);
    if (!refund) throw new Error('refund request produced nothing');
    return refund;
  }

  /** A batch is all or nothing: one refund over its limit rejects the whole batch. */
  async requestBatch(unitCode: string, actor: string, requests: RefundRequest[]) {
    const batchId = randomUUID();
    return { batchId, refunds: await this.requestMany(unitCode, actor, requests, batchId) };
  }

  private async requestMany(unitCode: string, actor: string, requests: RefundRequest[], batchId: string | null) {
    const now = this.clock.now();
    const created = await this.db.$transaction(async (tx) => {
      const notices = new NoticeRepository(tx);
      const refunds = new RefundRepository(tx);
      const out: Array<Refund & { paymentCode: string }> = [];
      for (const request of requests) {
        const locked = await notices.lockByCode(request.paymentCode);
        const notice = locked ? await notices.findById(locked.id) : null;
        if (!notice || notice.unitCode !== unitCode)
          throw new AppError('NOTICE_NOT_FOUND', `No notice ${request.paymentCode}`);
        if (!['paid', 'settled', 'partially_refunded'].includes(notice.state))
          throw new AppError(
            'REFUND_NOT_ALLOWED',
            `Notice ${request.paymentCode} is ${notice.state}; only paid notices are refunded`,
          );
        if (!(await refunds.reserve(notice.id, request.amountFen)))
          throw new AppError(
            'REFUND_EXCEEDS_REFUNDABLE',
            `Refunds of notice ${request.paymentCode} would exceed the ${notice.paidFen} fen paid`,
          );
        const reviewDays = request.unitInitiated ? REFUND_DEADLINES.reviewWhenUnitFoundError : REFUND_DEADLINES.review;
        const refund = await refunds.insert({
          noticeId: notice.id,
          batchId,
          amountFen: BigInt(request.amountFen),
          reason: request.reason,
          kind: request.kind,
          unitInitiated: request.unitInitiated,
          requestedBy: actor,
          requestedAt: now,
          reviewDueAt: addWorkingDays(now, reviewDays),
        });
        out.push({ ...refund, paymentCode: notice.paymentCode });
      }
      return out;
    }, TX_OPTIONS);
    return created.map((refund) => this.withFlags(refund, now));
  }

  async review(unitCode: string, actor: string, refundId: string, approve: boolean, reason?: string) {
    const { refund, notice } = await this.load(refundId);
    if (notice.unitCode !== unitCode) throw new AppError('REFUND_NOT_FOUND', 'No such refund');
    const now = this.clock.now();
    return this.decide(refund, notice, 'requested', approve, reason, {
      state: 'unit_approved',
      reviewedBy: actor,
      reviewedAt: now,
      approvalDueAt: addWorkingDays(now, REFUND_DEADLINES.approval),
    });
  }

  async approve(actor: string, refundId: string, approve: boolean, reason?: string) {
    const { refund, notice } = await this.load(refundId);
    const now = this.clock.now();
    if (approve && refund.reviewedBy === actor)
      throw new AppError('REFUND_TRANSITION_NOT_ALLOWED', 'The approver must not be the reviewer');
    return this.decide(refund, notice, 'unit_approved', approve, reason, {
      state: 'finance_approved',
      approvedBy: actor,
      approvedAt: now,
      paymentDueAt: addWorkingDays(now, REFUND_DEADLINES.payment),
    });
  }

  private async decide(
    refund: Refund,
    notice: NoticeRecord,
    from: Refund['state'],
    approve: boolean,
    reason: string | undefined,
    approval: Partial<Refund>,
  ): Promise<RefundWithCode> {
    if (!approve && !reason) throw new AppError('VALIDATION_FAILED', 'A rejection needs a reason');
    const moved = await this.db.$transaction(async (tx) => {
      const refunds = new RefundRepository(tx);
      const next = await refunds.advance(
        refund.id,
        from,
        approve ? approval : { state: 'rejected', rejectedReason: reason ?? null },
      );
      if (!next) return null;
      if (!approve) await refunds.release(notice.id, Number(refund.amountFen));
      return next;
    }, TX_OPTIONS);
    if (!moved) throw new AppError('REFUND_TRANSITION_NOT_ALLOWED', `The refund is ${refund.state}, not ${from}`);
    return this.withFlags({ ...moved, paymentCode: notice.paymentCode }, this.clock.now());
  }

  async execute(refundId: string): Promise<RefundWithCode> {
    const now = this.clock.now();
    const done = await this.db.$transaction(async (tx) => {
      const refunds = new RefundRepository(tx);
      const current = await refunds.find(refundId);
      if (!current) throw new AppError('REFUND_NOT_FOUND', 'No such refund');
      const noticeRow = await tx.paymentNotice.findUniqueOrThrow({ where: { id: current.noticeId } });
      const notices = new NoticeRepository(tx);
      await notices.lockByCode(noticeRow.paymentCode);
      const refund = await refunds.advance(refundId, 'finance_approved', { state: 'executed', executedAt: now });
      if (!refund)
        throw new AppError('REFUND_TRANSITION_NOT_ALLOWED', `The refund is ${current.state}, not finance_approved`);
      const notice = await notices.findById(refund.noticeId);
      if (!notice) throw new Error('notice of refund vanished');
      const amount = Number(refund.amountFen);
      const refundedAfter = notice.refundedFen + amount;
      const sequence = await this.markRefunded(tx, notice, refundedAfter);
      await new LedgerRepository(tx).record({
        id: `refund:${refund.id}`,
        kind: 'refund',
        noticeId: notice.id,
        postings: await this.refundPostings(tx, notice, amount),
      });
      // The receipt shows the refund; its PDF is rendered again on next request.
      await tx.receipt.updateMany({
        where: { noticeId: notice.id },
        data: {
          refundedFen: BigInt(refundedAfter),
          renderedPdf: null,
          pdf: null,
          sealed: false,
          sealer: null,
          renderedAt: null,
        },
      });
      await new WebhookEventRepository(tx).insert({
        unitCode: notice.unitCode,
        noticeId: notice.id,
        sequence,
        type: 'notice.refunded',
        payload: {
          paymentCode: notice.paymentCode,
          refundId: refund.id,
          amountFen: amount,
          refundedFen: refundedAfter,
          state: refundedAfter === notice.paidFen ? 'refunded' : 'partially_refunded',
        },
      });
      return { ...refund, paymentCode: notice.paymentCode };
    }, TX_OPTIONS);
    return this.withFlags(done, now);
  }

  private async markRefunded(tx: DbClient, notice: NoticeRecord, refundedAfter: number): Promise<number> {
    const state = refundedAfter === notice.paidFen ? 'refunded' : 'partially_refunded';
    const rows = await tx.$queryRaw<Array<{ event_seq: number }>>`
      UPDATE payment_notice SET refunded_fen = ${BigInt(refundedAfter)}, state = ${state}::"NoticeState",
             event_seq = event_seq + 1
       WHERE id = ${notice.id}::uuid AND refunded_fen = ${BigInt(notice.refundedFen)}
       RETURNING event_seq`;
    const row = rows[0];
    if (!row) throw new AppError('REFUND_TRANSITION_NOT_ALLOWED', 'The notice changed meanwhile; retry');
    return row.event_seq;
  }

  /**
   * The money goes back from where it sits: the channel's clearing account before settlement, the
   * lines' destinations after it. Refunds take the lines in order, so cumulative refunds map onto
   * the same line amounts whatever the individual refund sizes.
   */
  private async refundPostings(tx: DbClient, notice: NoticeRecord, amount: number): Promise<Posting[]> {
    const postings: Posting[] = [{ account: ACCOUNTS.payers, debitFen: amount, creditFen: 0 }];
    const settled = await tx.ledgerTransfer.findUnique({ where: { id: `settlement:${notice.id}` } });
    if (!settled) {
      const payment = await tx.channelPayment.findUniqueOrThrow({ where: { noticeId: notice.id } });
      postings.push({ account: clearingAccount(payment.channel), debitFen: 0, creditFen: amount });
      return postings;
    }
    let start = notice.refundedFen;
    let left = amount;
    let offset = 0;
    for (const line of notice.lines) {
      const lineEnd = offset + line.amountFen;
      const take = Math.min(left, Math.max(0, lineEnd - start));
      if (take > 0) {
        postings.push({ account: destinationAccount(line.destination), debitFen: 0, creditFen: take });
        left -= take;
        start += take;
      }
      offset = lineEnd;
    }
    return postings;
  }

  async list(unitCode: string | null, filter: { overdueOnly: boolean; paymentCode?: string | undefined }) {
    const now = this.clock.now();
    const where = {
      ...(unitCode ? { unitCode } : {}),
      ...(filter.paymentCode ? { paymentCode: filter.paymentCode } : {}),
    };
    const notices = await this.db.paymentNotice.findMany({ where, select: { id: true, paymentCode: true } });
    const codes = new Map(notices.map((n) => [n.id, n.paymentCode]));
    const refunds = await new RefundRepository(this.db).list({ noticeIds: [...codes.keys()] });
    return refunds
      .map((refund) => this.withFlags({ ...refund, paymentCode: codes.get(refund.noticeId) ?? '' }, now))
      .filter((refund) => !filter.overdueOnly || refund.overdue);
  }

  private async load(refundId: string) {
    const refund = await new RefundRepository(this.db).find(refundId);
    if (!refund) throw new AppError('REFUND_NOT_FOUND', 'No such refund');
    const notice = await new NoticeRepository(this.db).findById(refund.noticeId);
    if (!notice) throw new AppError('REFUND_NOT_FOUND', 'No such refund');
    return { refund, notice };
  }

  /** Overdue: the deadline of the step the refund waits in has passed. */
  private withFlags(refund: Refund & { paymentCode: string }, now: Date): RefundWithCode {
    const due =
      refund.state === 'requested'
        ? refund.reviewDueAt
        : refund.state === 'unit_approved'
          ? refund.approvalDueAt
          : refund.state === 'finance_approved'
            ? refund.paymentDueAt
            : null;
    return { ...refund, overdue: due !== null && now > due };
  }
}
