// Closing unpaid notices: a unit cancels one, or the expiry job expires those past their due date
// (plus a grace period, because a payer may pay on the due date and the bank confirm a day later).
// Each change writes its webhook event in the same transaction.
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import { utcDate } from '../../clock.ts';
import { TX_OPTIONS, type Database } from '../../db.ts';
import { NoticeRepository, type NoticeRecord } from '../../repositories/notices.ts';
import { UnitRepository } from '../../repositories/units.ts';
import { WebhookEventRepository } from '../../repositories/webhook-events.ts';

export class NoticeLifecycle {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async get(paymentCode: string, unitCode?: string): Promise<NoticeRecord> {
    const notice = await new NoticeRepository(this.db).findByCode(paymentCode);
    // Another unit's notice is reported as absent, so codes cannot be probed across units.
    if (!notice || (unitCode !== undefined && notice.unitCode !== unitCode))
      throw new AppError('NOTICE_NOT_FOUND', 'No notice has this payment code');
    return notice;
  }

  /** Public lookup by payment code, with the collecting unit's name. */
  async lookup(paymentCode: string): Promise<{ notice: NoticeRecord; unitName: string }> {
    const notice = await this.get(paymentCode);
    const unit = await new UnitRepository(this.db).find(notice.unitCode);
    return { notice, unitName: unit?.name ?? notice.unitCode };
  }

  async cancel(paymentCode: string, unitCode: string): Promise<NoticeRecord> {
    const notice = await this.get(paymentCode, unitCode);
    const now = this.clock.now();
    const cancelled = await this.db.$transaction(async (tx) => {
      const done = await new NoticeRepository(tx).cancel(paymentCode, unitCode, now);
      if (!done) return false;
      await new WebhookEventRepository(tx).insert({
        unitCode,
        noticeId: done.id,
        sequence: done.eventSeq,
        type: 'notice.cancelled',
        payload: { paymentCode, state: 'cancelled', cancelledAt: now.toISOString() },
      });
      return true;
    }, TX_OPTIONS);
    if (!cancelled)
      throw new AppError(
        'NOTICE_TRANSITION_NOT_ALLOWED',
        `The notice is ${notice.state === 'issued' ? 'no longer issued' : notice.state}; only issued notices can be cancelled`,
      );
    return this.get(paymentCode, unitCode);
  }

  /** Expires overdue notices in batches; returns how many expired. */
  async expireOverdue(graceDays: number, batch = 500): Promise<number> {
    const now = this.clock.now();
    const before = utcDate(new Date(now.getTime() - graceDays * 86_400_000));
    return this.db.$transaction(async (tx) => {
      const expired = await new NoticeRepository(tx).expireDue(before, now, batch);
      const events = new WebhookEventRepository(tx);
      for (const notice of expired)
        await events.insert({
          unitCode: notice.unit_code,
          noticeId: notice.id,
          sequence: notice.event_seq,
          type: 'notice.expired',
          payload: { paymentCode: notice.payment_code, state: 'expired', expiredAt: now.toISOString() },
        });
      return expired.length;
    }, TX_OPTIONS);
  }
}
