// The sandbox payment channel (like a payment provider's test mode): payers "pay" a payment code,
// the channel confirms it to the payment service with RSA-SHA256-signed callbacks, answers status
// queries, executes signed refund instructions (POST /refunds, plain HTTP) and publishes a statement
// per day (GET /statements/YYYY-MM-DD.csv, plain HTTP) listing payments and refunds.
// Paying, status queries and the callback key are public (the sandbox holds no real money); the
// failure-injection switches are for the sandbox's operator (scope banksim:operate).
import { z } from 'zod';
import { mutation, query } from '../procedure.ts';
import type { ContractRouter } from '../procedure.ts';
import { systemContract } from '../system.ts';

const tags = ['banksim'];
const PaymentCodeDigits = z.string().regex(/^\d{20}$/, '20 digits');
const Fen = z.number().int().positive().max(10_000_000_000_000);

/**
 * The bank confirmation message (DOMAIN.md): the body of a callback and of a status-query answer.
 * `bankSerial` is the natural idempotency key of the payment.
 */
export const BankConfirmation = z.object({
  paymentCode: PaymentCodeDigits,
  bankSerial: z.string().min(1).max(64),
  amountFen: Fen,
  confirmedAt: z.iso.datetime(),
  outlet: z.string().min(1).max(100),
  payMode: z.string().min(1).max(32),
  payerName: z.string().min(1).max(200),
  payerAccount: z.string().min(1).max(64),
  payerBank: z.string().min(1).max(100),
});
export type BankConfirmation = z.infer<typeof BankConfirmation>;

/** A confirmation exactly as the channel signs it: RSA-SHA256 over `${timestamp}.${body}`. */
export const SignedConfirmation = z.object({
  timestamp: z.number().int().describe('Unix seconds when the message was signed'),
  body: z.string().describe('The JSON text of a BankConfirmation, byte for byte as signed'),
  signature: z.string().describe('Base64 RSA-SHA256 signature over `${timestamp}.${body}`'),
});
export type SignedConfirmation = z.infer<typeof SignedConfirmation>;

/**
 * A refund instruction (POST /refunds, plain HTTP): the body the payment service signs with its
 * merchant key (RSA-SHA256 over `${timestamp}.${body}`, headers x-merchant-timestamp and
 * x-merchant-signature). `merchantRef` is the idempotency key: the same reference always gets the
 * same outcome, and is never paid out twice.
 */
export const RefundInstruction = z.object({
  merchantRef: z.string().min(1).max(64),
  bankSerial: z.string().min(1).max(64).describe('Serial of the payment being refunded'),
  paymentCode: PaymentCodeDigits,
  amountFen: Fen,
});
export type RefundInstruction = z.infer<typeof RefundInstruction>;

/** The channel's answer to a refund instruction, signed like a confirmation (SignedConfirmation). */
export const RefundConfirmation = z.object({
  merchantRef: z.string().min(1).max(64),
  refundSerial: z.string().min(1).max(64).describe('The channel’s refund reference'),
  bankSerial: z.string().min(1).max(64),
  paymentCode: PaymentCodeDigits,
  amountFen: Fen,
  status: z.enum(['succeeded', 'declined']),
  reason: z.string().max(64).nullable().describe('Why it was declined; null when it succeeded'),
  confirmedAt: z.iso.datetime(),
});
export type RefundConfirmation = z.infer<typeof RefundConfirmation>;

export const BanksimSwitches = z.object({
  delayMs: z.number().int().min(0).max(3_600_000).describe('Wait before the first callback attempt'),
  duplicates: z.number().int().min(0).max(1000).describe('Extra copies of every callback'),
  reorder: z.boolean().describe('Deliver due callbacks newest first'),
  lossPercent: z.number().int().min(0).max(100).describe('Share of callbacks silently dropped'),
  failPercent: z.number().int().min(0).max(100).describe('Share of payments declined (no callback)'),
  refundFailPercent: z.number().int().min(0).max(100).describe('Share of refund instructions declined'),
  refundOutagePercent: z
    .number()
    .int()
    .min(0)
    .max(100)
    .describe('Share of refund instructions answered 503 before anything is recorded'),
  refundDelayMs: z
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .describe('Refunds are recorded at once but answered this late (the caller may time out and retry)'),
});
export type BanksimSwitches = z.infer<typeof BanksimSwitches>;

export const BankPaymentView = z.object({
  bankSerial: z.string(),
  paymentCode: PaymentCodeDigits,
  amountFen: z.number().int(),
  status: z.enum(['succeeded', 'declined']),
  confirmedAt: z.iso.datetime(),
  payMode: z.string(),
  outlet: z.string(),
  /** Callback copies by outcome. */
  callbacks: z.object({
    pending: z.number().int(),
    delivered: z.number().int(),
    lost: z.number().int(),
    failed: z.number().int(),
  }),
});
export type BankPaymentView = z.infer<typeof BankPaymentView>;

export const banksimContract = {
  system: systemContract,
  payment: {
    pay: mutation({
      input: z.object({
        paymentCode: PaymentCodeDigits,
        payerName: z.string().trim().min(1).max(200),
        payerAccount: z.string().trim().min(1).max(64),
        payerBank: z.string().trim().min(1).max(100).default('Sandbox Bank'),
        payMode: z.enum(['online_bank', 'counter', 'wechat', 'alipay', 'unionpay']).default('online_bank'),
        amountFen: Fen.optional().describe('Sandbox only: pay this amount instead of the notice total'),
      }),
      output: BankPaymentView,
      access: 'public',
      rest: { method: 'POST', path: '/payments', summary: 'Pay a payment code (sandbox)', tags },
    }),
    status: query({
      input: z.object({ paymentCode: PaymentCodeDigits }),
      output: z.object({
        paymentCode: PaymentCodeDigits,
        confirmations: z.array(SignedConfirmation).describe('Signed now, one per succeeded payment'),
        refunds: z
          .array(SignedConfirmation)
          .describe('Signed now: one RefundConfirmation per refund instruction for this code'),
      }),
      access: 'public',
      rest: { method: 'GET', path: '/payments/status/{paymentCode}', summary: 'Signed status of a payment code', tags },
    }),
    list: query({
      input: z.object({ paymentCode: PaymentCodeDigits }),
      output: z.object({ payments: z.array(BankPaymentView) }),
      access: 'public',
      rest: { method: 'GET', path: '/payments', summary: 'Payments of a payment code with callback outcomes', tags },
    }),
  },
  switches: {
    // Operators only (scope banksim:operate): in a shared sandbox anyone could otherwise turn on
    // losses or declines for every integrator.
    get: query({
      input: z.void(),
      output: BanksimSwitches,
      rest: { method: 'GET', path: '/switches', summary: 'Failure-injection switches', tags },
    }),
    set: mutation({
      input: BanksimSwitches.partial(),
      output: BanksimSwitches,
      rest: { method: 'PUT', path: '/switches', summary: 'Change failure-injection switches', tags },
    }),
  },
  keys: {
    callback: query({
      input: z.void(),
      output: z.object({ algorithm: z.literal('RSA-SHA256'), publicKeyPem: z.string() }),
      access: 'public',
      rest: { method: 'GET', path: '/keys/callback', summary: 'Public key that verifies callbacks', tags },
    }),
  },
};

export type BanksimRouter = ContractRouter<typeof banksimContract>;
