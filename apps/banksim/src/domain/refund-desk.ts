// Executes refund instructions exactly once per merchant reference. The outcome (succeeded or
// declined) is recorded under the reference before it is answered, so a caller that timed out and
// sends the same instruction again gets the same outcome and the payer is paid back once. The
// failure switches decline refunds, fake an outage (503, nothing recorded) or answer late.
import { createHash, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type RefundConfirmation, type RefundInstruction } from '@platform/contracts';
import type { Database } from '../db.ts';
import type { BankRefund } from '../generated/prisma/client.ts';
import { RefundRepository } from '../repositories/refunds.ts';
import { SwitchRepository } from '../repositories/switches.ts';

const chance = (percent: number): boolean => percent > 0 && randomInt(0, 100) < percent;

/** Canonical hash of an instruction (fixed field order): decides replay vs misuse of a reference. */
export const instructionHash = (i: RefundInstruction): string =>
  createHash('sha256')
    .update(JSON.stringify([i.merchantRef, i.bankSerial, i.paymentCode, i.amountFen]))
    .digest('hex');

export const refundConfirmationOf = (refund: BankRefund): RefundConfirmation => ({
  merchantRef: refund.merchantRef,
  refundSerial: refund.serial,
  bankSerial: refund.paymentSerial,
  paymentCode: refund.paymentCode,
  amountFen: Number(refund.amountFen),
  status: refund.status as 'succeeded' | 'declined',
  reason: refund.reason,
  confirmedAt: refund.confirmedAt.toISOString(),
});

export class RefundDesk {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(instruction: RefundInstruction): Promise<BankRefund> {
    const switches = await new SwitchRepository(this.db).get();
    if (chance(switches.refundOutagePercent))
      throw new AppError('BANKSIM_UNAVAILABLE', 'The channel is unavailable (sandbox outage switch)');
    const hash = instructionHash(instruction);
    const refund = await this.db.$transaction(async (tx) => {
      const refunds = new RefundRepository(tx);
      const payment = await refunds.lockPayment(instruction.bankSerial);
      // Under the payment's lock: a concurrent copy of this instruction has committed by now.
      const known = await refunds.findByRef(instruction.merchantRef);
      if (known) return known;
      const now = this.now();
      let reason: string | null = null;
      if (!payment || payment.status !== 'succeeded' || payment.payment_code !== instruction.paymentCode)
        reason = 'payment_not_found';
      else if ((await refunds.refundedFen(instruction.bankSerial)) + instruction.amountFen > Number(payment.amount_fen))
        reason = 'exceeds_refundable';
      else if (chance(switches.refundFailPercent)) reason = 'declined_by_bank';
      const serial = await refunds.nextSerial(now.toISOString().slice(0, 10));
      await refunds.insert(serial, {
        merchantRef: instruction.merchantRef,
        requestHash: hash,
        paymentSerial: instruction.bankSerial,
        paymentCode: instruction.paymentCode,
        amountFen: instruction.amountFen,
        status: reason ? 'declined' : 'succeeded',
        reason,
        confirmedAt: now,
      });
      // Either ours or, for an unknown payment (no row to lock), a concurrent duplicate's.
      return refunds.findByRef(instruction.merchantRef);
    });
    if (!refund) throw new Error('refund vanished after commit');
    if (refund.requestHash !== hash)
      throw new AppError('BANKSIM_REFUND_REF_REUSED', 'This merchant reference was used for another refund');
    if (switches.refundDelayMs > 0) await sleep(switches.refundDelayMs);
    return refund;
  }
}
