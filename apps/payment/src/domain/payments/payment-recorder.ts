// Records a verified bank confirmation exactly once. One read (the notice with its lines, and
// whatever is recorded under the bank serial) and one atomic statement that marks the notice paid
// and writes the payment under its natural key (channel, bank serial), the balanced ledger
// transfer, the receipt and the "notice.paid" outbox event (repositories/payments.ts). A duplicate
// or concurrent callback finds the serial recorded, or the notice no longer issued, and changes
// nothing. Receipt rendering and webhook delivery happen later, out of the request path.
import { randomUUID } from 'node:crypto';
import { AppError, type BankConfirmation } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db.ts';
import { PaymentRepository, type RecordedPayment } from '../../repositories/payments.ts';
import { isUniqueViolation } from '@platform/db';
import { ACCOUNTS, clearingAccount, move } from '../ledger/accounts.ts';
import { newCheckCode, receiptCode, receiptFields } from '../receipts/receipt-fields.ts';
import type { UnitRecord } from '../../repositories/units.ts';

export type RecordOutcome = 'recorded' | 'duplicate';
export type PaymentSource = 'callback' | 'status_query';

export interface UnitLookup {
  find(creditCode: string): Promise<UnitRecord | null>;
}

export class PaymentRecorder {
  private readonly payments: PaymentRepository;
  constructor(
    db: Database,
    private readonly clock: Clock,
    private readonly units: UnitLookup,
  ) {
    this.payments = new PaymentRepository(db);
  }

  async record(channel: string, c: BankConfirmation, source: PaymentSource): Promise<RecordOutcome> {
    const { notice, existing } = await this.payments.facts(channel, c.bankSerial, c.paymentCode);
    if (existing) return sameOrConflict(existing, c);
    if (!notice) throw new AppError('NOTICE_NOT_FOUND', 'No notice has this payment code');
    if (notice.state !== 'issued')
      throw new AppError('NOTICE_NOT_PAYABLE', `The notice is ${notice.state}; the payment belongs in suspense`);
    if (notice.totalFen !== c.amountFen)
      throw new AppError('PAYMENT_AMOUNT_MISMATCH', `The notice is due ${notice.totalFen} fen, not ${c.amountFen}`);
    const unit = await this.units.find(notice.unitCode);
    if (!unit) throw new Error(`collecting unit ${notice.unitCode} of notice ${notice.id} is missing`);

    const now = this.clock.now();
    const confirmedAt = new Date(c.confirmedAt);
    const paid = { ...notice, state: 'paid' as const, paidFen: c.amountFen };
    let written: Awaited<ReturnType<PaymentRepository['recordPaid']>>;
    try {
      written = await this.payments.recordPaid({
        paymentId: randomUUID(),
        channel,
        bankSerial: c.bankSerial,
        noticeId: notice.id,
        amountFen: c.amountFen,
        confirmedAt,
        outlet: c.outlet,
        payMode: c.payMode,
        payerName: c.payerName,
        payerAccount: c.payerAccount,
        payerBank: c.payerBank,
        source,
        postings: move(ACCOUNTS.payers, clearingAccount(channel), c.amountFen),
        receipt: {
          id: randomUUID(),
          receiptCode: receiptCode(unit.creditCode, now),
          checkCode: newCheckCode(),
          fields: receiptFields(
            paid,
            unit,
            { payMode: c.payMode, bankSerial: c.bankSerial, confirmedAt, channel },
            now,
          ),
          issuedAt: now,
        },
        event: {
          id: randomUUID(),
          payload: {
            paymentCode: notice.paymentCode,
            state: 'paid',
            amountFen: c.amountFen,
            paidAt: confirmedAt.toISOString(),
            channel,
            bankSerial: c.bankSerial,
          },
        },
      });
    } catch (error) {
      // The serial was recorded for another notice meanwhile: report what is recorded.
      if (!isUniqueViolation(error)) throw error;
      written = null;
    }
    if (written) return 'recorded';
    // Nothing written: a concurrent copy (or another payment) got there first.
    const after = await this.payments.facts(channel, c.bankSerial, c.paymentCode);
    if (after.existing) return sameOrConflict(after.existing, c);
    throw new AppError(
      'NOTICE_NOT_PAYABLE',
      `The notice is ${after.notice?.state ?? 'gone'}; the payment belongs in suspense`,
    );
  }
}

/** 'duplicate' when this serial is recorded with the same content; an error when with other. */
function sameOrConflict(recorded: RecordedPayment, c: BankConfirmation): RecordOutcome {
  if (recorded.paymentCode !== c.paymentCode || recorded.amountFen !== c.amountFen)
    throw new AppError('BANK_SERIAL_CONFLICT', 'This bank serial number is recorded for another payment');
  return 'duplicate';
}
