// The bank confirmation message of a payment and its signed form (callback body, status answer);
// refund outcomes are signed the same way.
import type { BankConfirmation, SignedConfirmation } from '@platform/contracts';
import type { BankPayment } from '../generated/prisma/client.ts';
import type { CallbackSigner } from './signing-key.ts';

export const confirmationOf = (payment: BankPayment): BankConfirmation => ({
  paymentCode: payment.paymentCode,
  bankSerial: payment.serial,
  amountFen: Number(payment.amountFen),
  confirmedAt: payment.confirmedAt.toISOString(),
  outlet: payment.outlet,
  payMode: payment.payMode,
  payerName: payment.payerName,
  payerAccount: payment.payerAccount,
  payerBank: payment.payerBank,
});

/** Signed at `now`: the receiver's timestamp window is about the message's age in transit. */
export function signMessage(message: object, signer: CallbackSigner, now: Date): SignedConfirmation {
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify(message);
  return { timestamp, body, signature: signer.sign(timestamp, body) };
}

export const signConfirmation = (payment: BankPayment, signer: CallbackSigner, now: Date): SignedConfirmation =>
  signMessage(confirmationOf(payment), signer, now);
