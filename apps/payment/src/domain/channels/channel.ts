// What the payment service needs from a payment channel (bank, WeChat Pay-, Alipay-, UnionPay-
// like). Each channel signs its confirmations its own way; the service only sees verified ones.
import type { BankConfirmation, SignedConfirmation } from '@platform/contracts';

export interface PaymentChannel {
  /** Short id used in ledger accounts and as the namespace of bank serial numbers. */
  readonly id: string;
  /** The public half of the platform's merchant key at this channel (it verifies refund instructions). */
  readonly merchantPublicKeyPem?: string | undefined;
  /** Verifies a signed confirmation (signature and timestamp window) and parses its body. */
  verify(message: SignedConfirmation): Promise<BankConfirmation>;
  /** Asks the channel what it knows about a payment code (for lost callbacks). */
  queryStatus(paymentCode: string): Promise<SignedConfirmation[]>;
  /** The channel's statement of a UTC day: every payment it took and refund it paid out. */
  fetchStatement(date: string): Promise<StatementLine[]>;
  /**
   * Instructs a refund. Idempotent by `merchantRef`: sending the same instruction again returns the
   * same outcome and never pays out twice. Resolves only with a verified answer (succeeded or
   * declined); throws CHANNEL_UNAVAILABLE when the outcome is unknown (timeout, outage, bad answer).
   */
  refund(instruction: RefundInstruction): Promise<RefundOutcome>;
}

export interface RefundInstruction {
  /** The platform's refund id: the channel's idempotency key. */
  merchantRef: string;
  bankSerial: string;
  paymentCode: string;
  amountFen: number;
}

export interface RefundOutcome {
  status: 'succeeded' | 'declined';
  /** The channel's refund reference. */
  refundSerial: string;
  reason: string | null;
  confirmedAt: Date;
}

export interface StatementLine {
  /** A payment taken, or a refund paid back (amount positive either way). */
  kind: 'payment' | 'refund';
  /** The line's own serial: the payment's bank serial, or the channel's refund reference. */
  bankSerial: string;
  paymentCode: string;
  amountFen: number;
  confirmedAt: string;
  /** Refund lines: the refunded payment's serial and the platform's refund id. */
  originalSerial: string | null;
  merchantRef: string | null;
}
