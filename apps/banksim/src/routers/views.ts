import type { PaymentWithCallbacks } from '../repositories/payments.ts';

export function bankPaymentView(payment: PaymentWithCallbacks) {
  const count = (status: string) => payment.callbacks.filter((c) => c.status === status).length;
  return {
    bankSerial: payment.serial,
    paymentCode: payment.paymentCode,
    amountFen: Number(payment.amountFen),
    status: payment.status as 'succeeded' | 'declined',
    confirmedAt: payment.confirmedAt.toISOString(),
    payMode: payment.payMode,
    outlet: payment.outlet,
    callbacks: {
      pending: count('pending'),
      delivered: count('delivered'),
      lost: count('lost'),
      failed: count('failed'),
    },
  };
}
