// Records a verified bank confirmation exactly once. One transaction: lock the notice row (a
// per-payment lock in PostgreSQL, so replicas serialise too), insert the payment under its natural
// key (channel, bank serial), mark the notice paid, post the ledger transfer, issue the receipt and
// write the "notice.paid" webhook event to the outbox. A duplicate or concurrent callback finds the
// serial already recorded and changes nothing.
import { AppError, type BankConfirmation } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import { TX_OPTIONS, type Database, type DbClient } from '../../db.ts';
import { LedgerRepository } from '../../repositories/ledger.ts';
import { NoticeRepository } from '../../repositories/notices.ts';
import { ReceiptRepository } from '../../repositories/receipts.ts';
import { UnitRepository } from '../../repositories/units.ts';
import { WebhookEventRepository } from '../../repositories/webhook-events.ts';
import { isUniqueViolation } from '../errors.ts';
import { ACCOUNTS, clearingAccount, move } from '../ledger/accounts.ts';
import { newCheckCode, receiptCode, receiptFields } from '../receipts/receipt-fields.ts';

export type RecordOutcome = 'recorded' | 'duplicate';
export type PaymentSource = 'callback' | 'status_query';

export class PaymentRecorder {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async record(channel: string, confirmation: BankConfirmation, source: PaymentSource): Promise<RecordOutcome> {
    // Fast path for the usual duplicate: no transaction, no lock.
    const known = await this.existing(this.db, channel, confirmation);
    if (known) return known;
    try {
      return await this.db.$transaction((tx) => this.recordIn(tx, channel, confirmation, source), TX_OPTIONS);
    } catch (error) {
      // Only reachable if two different notices raced on one serial: report what is recorded.
      if (isUniqueViolation(error)) {
        const after = await this.existing(this.db, channel, confirmation);
        if (after) return after;
      }
      throw error;
    }
  }

  /** 'duplicate' when this serial is recorded with the same content; an error when with other. */
  private async existing(db: DbClient, channel: string, c: BankConfirmation): Promise<RecordOutcome | null> {
    const payment = await db.channelPayment.findUnique({
      where: { channel_bankSerial: { channel, bankSerial: c.bankSerial } },
    });
    if (!payment) return null;
    if (payment.paymentCode !== c.paymentCode || Number(payment.amountFen) !== c.amountFen)
      throw new AppError('BANK_SERIAL_CONFLICT', 'This bank serial number is recorded for another payment');
    return 'duplicate';
  }

  private async recordIn(
    tx: DbClient,
    channel: string,
    c: BankConfirmation,
    source: PaymentSource,
  ): Promise<RecordOutcome> {
    const notices = new NoticeRepository(tx);
    const locked = await notices.lockByCode(c.paymentCode);
    if (!locked) throw new AppError('NOTICE_NOT_FOUND', 'No notice has this payment code');
    // Re-check under the lock: a concurrent callback may have committed meanwhile. Inside the
    // transaction: a second pooled connection here could deadlock a busy pool.
    const known = await this.existing(tx, channel, c);
    if (known) return known;

    const notice = await notices.findById(locked.id);
    if (!notice) throw new AppError('NOTICE_NOT_FOUND', 'No notice has this payment code');
    if (notice.state !== 'issued')
      throw new AppError('NOTICE_NOT_PAYABLE', `The notice is ${notice.state}; the payment belongs in suspense`);
    if (notice.totalFen !== c.amountFen)
      throw new AppError('PAYMENT_AMOUNT_MISMATCH', `The notice is due ${notice.totalFen} fen, not ${c.amountFen}`);

    const now = this.clock.now();
    const confirmedAt = new Date(c.confirmedAt);
    const payment = await tx.channelPayment.create({
      data: {
        channel,
        bankSerial: c.bankSerial,
        noticeId: notice.id,
        paymentCode: c.paymentCode,
        amountFen: BigInt(c.amountFen),
        confirmedAt,
        outlet: c.outlet,
        payMode: c.payMode,
        payerName: c.payerName,
        payerAccount: c.payerAccount,
        payerBank: c.payerBank,
        source,
      },
    });
    const sequence = await notices.markPaid(notice.id, c.amountFen, confirmedAt);
    if (sequence === null) throw new AppError('NOTICE_NOT_PAYABLE', 'The notice changed meanwhile');

    await new LedgerRepository(tx).record({
      id: `payment:${payment.id}`,
      kind: 'payment',
      noticeId: notice.id,
      postings: move(ACCOUNTS.payers, clearingAccount(channel), c.amountFen),
    });

    const unit = await new UnitRepository(tx).find(notice.unitCode);
    if (!unit) throw new Error(`collecting unit ${notice.unitCode} of notice ${notice.id} is missing`);
    const receipts = new ReceiptRepository(tx);
    const paid = { ...notice, state: 'paid' as const, paidFen: c.amountFen };
    const receipt = await receipts.insert({
      noticeId: notice.id,
      receiptCode: receiptCode(unit.creditCode, now),
      receiptNumber: await receipts.nextNumber(),
      checkCode: newCheckCode(),
      totalFen: notice.totalFen,
      fields: receiptFields(paid, unit, { payMode: c.payMode, bankSerial: c.bankSerial, confirmedAt, channel }, now),
      issuedAt: now,
    });

    await new WebhookEventRepository(tx).insert({
      unitCode: notice.unitCode,
      noticeId: notice.id,
      sequence,
      type: 'notice.paid',
      payload: {
        paymentCode: notice.paymentCode,
        state: 'paid',
        amountFen: c.amountFen,
        paidAt: confirmedAt.toISOString(),
        channel,
        bankSerial: c.bankSerial,
        receipt: {
          receiptCode: receipt.receiptCode,
          receiptNumber: receipt.receiptNumber,
          checkCode: receipt.checkCode,
        },
      },
    });
    return 'recorded';
  }
}
