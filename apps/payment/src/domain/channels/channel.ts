// What the payment service needs from a payment channel (bank, WeChat Pay-, Alipay-, UnionPay-
// like). Each channel signs its confirmations its own way; the service only sees verified ones.
import type { BankConfirmation, SignedConfirmation } from '@platform/contracts';

export interface PaymentChannel {
  /** Short id used in ledger accounts and as the namespace of bank serial numbers. */
  readonly id: string;
  /** Verifies a signed confirmation (signature and timestamp window) and parses its body. */
  verify(message: SignedConfirmation): Promise<BankConfirmation>;
  /** Asks the channel what it knows about a payment code (for lost callbacks). */
  queryStatus(paymentCode: string): Promise<SignedConfirmation[]>;
  /** The channel's statement of a UTC day: every payment it took (for reconciliation). */
  fetchStatement(date: string): Promise<StatementLine[]>;
}

export interface StatementLine {
  bankSerial: string;
  paymentCode: string;
  amountFen: number;
  confirmedAt: string;
}
