// The refund workflow (退付): the unit requests (reason, amount ≤ refundable), the unit verifies,
// finance approves, then the refund is instructed to the channel (refund-executor.ts) and counts
// as executed once the channel confirms. Working-day deadlines are stored per step; a refund past
// the deadline of its current step is flagged overdue (the payment deadline covers the time the
// channel takes).
import { randomUUID } from 'node:crypto';
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import { TX_OPTIONS, type Database } from '../../db.ts';
import type { Refund } from '../../generated/prisma/client.ts';
import { NoticeRepository, type NoticeRecord } from '../../repositories/notices.ts';
import { RefundRepository } from '../../repositories/refunds.ts';
import type { RefundExecutor } from './refund-executor.ts';
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
    private readonly executor: RefundExecutor,
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

  /**
   * finance_approved → processing, then one attempt at the channel right away. The refund is
   * executed (notice, ledger, receipt, webhook) only when the channel confirms; if it does not
   * answer now, the refund job retries with the same idempotency key.
   */
  async execute(refundId: string): Promise<RefundWithCode> {
    const now = this.clock.now();
    await this.db.$transaction(async (tx) => {
      const refunds = new RefundRepository(tx);
      const current = await refunds.find(refundId);
      if (!current) throw new AppError('REFUND_NOT_FOUND', 'No such refund');
      const payment = await tx.channelPayment.findUnique({ where: { noticeId: current.noticeId } });
      const moved = payment
        ? await refunds.advance(refundId, 'finance_approved', {
            state: 'processing',
            channel: payment.channel,
            nextAttemptAt: now,
          })
        : null;
      if (!moved)
        throw new AppError('REFUND_TRANSITION_NOT_ALLOWED', `The refund is ${current.state}, not finance_approved`);
    }, TX_OPTIONS);
    await this.executor.attempt(refundId);
    const { refund, notice } = await this.load(refundId);
    return this.withFlags({ ...refund, paymentCode: notice.paymentCode }, this.clock.now());
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
          : refund.state === 'finance_approved' || refund.state === 'processing'
            ? refund.paymentDueAt
            : null;
    return { ...refund, overdue: due !== null && now > due };
  }
}
