import type { ErrorCategory } from './categories.ts';

/** Codes specific to the sandbox channel (banksim). */
export const BANKSIM_ERRORS = {
  /** The payment service does not know the payment code. */
  BANKSIM_PAYMENT_CODE_UNKNOWN: 'NOT_FOUND',
  /** The notice is not open for payment (paid, expired, cancelled …). */
  BANKSIM_NOTICE_NOT_PAYABLE: 'CONFLICT',
  /** The payment service could not be reached to look the code up. */
  BANKSIM_UPSTREAM_UNAVAILABLE: 'BAD_GATEWAY',
  /** A refund instruction's merchant signature is missing, stale or does not verify. */
  BANKSIM_MERCHANT_SIGNATURE_INVALID: 'UNAUTHORIZED',
  /** A refund's merchant reference was already used with a different instruction. */
  BANKSIM_REFUND_REF_REUSED: 'CONFLICT',
  /** Sandbox outage switch: the channel is "down" and recorded nothing; retry later. */
  BANKSIM_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const satisfies Record<string, ErrorCategory>;
