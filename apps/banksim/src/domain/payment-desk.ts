// Where a payer "pays" a payment code: the desk asks the payment service for the notice (as a real
// bank does before taking money), applies the failure switches and queues the callbacks.
import { randomInt } from 'node:crypto';
import { AppError, createPaymentClient, errorBodyOf } from '@platform/contracts';
import type { Database } from '../db.ts';
import { PaymentRepository, type PaymentWithCallbacks } from '../repositories/payments.ts';
import { SwitchRepository } from '../repositories/switches.ts';

export interface PayRequest {
  paymentCode: string;
  payerName: string;
  payerAccount: string;
  payerBank: string;
  payMode: string;
  amountFen?: number | undefined;
}

const chance = (percent: number): boolean => percent > 0 && randomInt(0, 100) < percent;

export class PaymentDesk {
  private readonly payment;
  constructor(
    private readonly db: Database,
    paymentUrl: string,
    private readonly outlet: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.payment = createPaymentClient({ url: paymentUrl });
  }

  private async notice(paymentCode: string) {
    try {
      return await this.payment.notice.lookup.query({ paymentCode });
    } catch (error) {
      const code = errorBodyOf(error)?.code;
      if (code === 'NOTICE_NOT_FOUND' || code === 'VALIDATION_FAILED')
        throw new AppError('BANKSIM_PAYMENT_CODE_UNKNOWN', 'The payment service does not know this payment code');
      throw new AppError('BANKSIM_UPSTREAM_UNAVAILABLE', 'The payment service could not be reached', { cause: error });
    }
  }

  async pay(request: PayRequest): Promise<PaymentWithCallbacks> {
    const notice = await this.notice(request.paymentCode);
    if (!notice.payable) throw new AppError('BANKSIM_NOTICE_NOT_PAYABLE', `The notice is ${notice.state}`);
    const switches = await new SwitchRepository(this.db).get();
    const now = this.now();
    const declined = chance(switches.failPercent);
    // A lost callback loses every copy: the payment service only learns of it by asking.
    const lost = chance(switches.lossPercent);
    const dueAt = new Date(now.getTime() + switches.delayMs);
    const copies = declined ? 0 : 1 + switches.duplicates;
    return this.db.$transaction(async (tx) => {
      const payments = new PaymentRepository(tx);
      return payments.insert(
        {
          serial: await payments.nextSerial(now.toISOString().slice(0, 10)),
          paymentCode: request.paymentCode,
          amountFen: request.amountFen ?? notice.totalFen,
          status: declined ? 'declined' : 'succeeded',
          payerName: request.payerName,
          payerAccount: request.payerAccount,
          payerBank: request.payerBank,
          payMode: request.payMode,
          outlet: this.outlet,
          confirmedAt: now,
        },
        Array.from({ length: copies }, () => ({ status: lost ? 'lost' : 'pending', dueAt })),
      );
    });
  }
}
