import type { ErrorCategory } from './categories.ts';

/** Codes specific to the payment service. Prefix: PAYMENT_ is not required, but names must be unique platform-wide. */
export const PAYMENT_ERRORS = {
  /** The calling client is not registered as acting for any collecting unit. */
  PAYMENT_CLIENT_NOT_REGISTERED: 'FORBIDDEN',
  COLLECTING_UNIT_NOT_FOUND: 'NOT_FOUND',
  COLLECTING_UNIT_ALREADY_EXISTS: 'CONFLICT',
  /** A client id is already mapped to another collecting unit. */
  PAYMENT_CLIENT_TAKEN: 'CONFLICT',
  PAYMENT_ITEM_NOT_FOUND: 'NOT_FOUND',
  PAYMENT_ITEM_ALREADY_EXISTS: 'CONFLICT',
  /** Only live items accept notices. */
  PAYMENT_ITEM_NOT_LIVE: 'UNPROCESSABLE_CONTENT',
  /** The item belongs to another collecting unit. */
  PAYMENT_ITEM_OF_OTHER_UNIT: 'FORBIDDEN',
  /** Item on-boarding is draft → sandbox_tested → live ⇄ suspended. */
  PAYMENT_ITEM_TRANSITION_NOT_ALLOWED: 'CONFLICT',
  /** The amount breaks the item's amount rule (fixed, range or computed). */
  AMOUNT_RULE_VIOLATED: 'UNPROCESSABLE_CONTENT',
  /** notice.create needs an Idempotency-Key header. */
  IDEMPOTENCY_KEY_REQUIRED: 'BAD_REQUEST',
  /** The due date lies before today (UTC). */
  DUE_DATE_IN_PAST: 'UNPROCESSABLE_CONTENT',
  NOTICE_NOT_FOUND: 'NOT_FOUND',
  /** The notice's state does not allow the operation (e.g. cancelling a paid notice). */
  NOTICE_TRANSITION_NOT_ALLOWED: 'CONFLICT',
  /** A channel confirmed a payment for a notice that is not open for payment. */
  NOTICE_NOT_PAYABLE: 'CONFLICT',
  /** A channel confirmed an amount other than the notice's total. */
  PAYMENT_AMOUNT_MISMATCH: 'UNPROCESSABLE_CONTENT',
  /** A callback's signature is missing or does not verify. */
  CALLBACK_SIGNATURE_INVALID: 'UNAUTHORIZED',
  /** A callback's timestamp is outside the ±300 s window. */
  CALLBACK_TIMESTAMP_OUT_OF_WINDOW: 'UNAUTHORIZED',
  /** The bank serial number is already recorded with different content. */
  BANK_SERIAL_CONFLICT: 'CONFLICT',
  /** The payment channel could not be reached. */
  CHANNEL_UNAVAILABLE: 'BAD_GATEWAY',
  RECEIPT_NOT_FOUND: 'NOT_FOUND',
  /** The access token names no payer (no citizen ID number or credit code as `subject_code`). */
  PAYER_CODE_MISSING: 'FORBIDDEN',
  /** A listing's cursor is not one this service handed out. */
  PAGE_CURSOR_INVALID: 'BAD_REQUEST',
  /** The receipt could not be sealed now (seal service unreachable, no active finance seal, not authorised); retry later. */
  RECEIPT_SEAL_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  REFUND_NOT_FOUND: 'NOT_FOUND',
  /** Only paid (or settled, partially refunded) notices can be refunded. */
  REFUND_NOT_ALLOWED: 'CONFLICT',
  /** The amount exceeds what was paid minus refunds already requested. */
  REFUND_EXCEEDS_REFUNDABLE: 'UNPROCESSABLE_CONTENT',
  /** The refund is not in the step this action belongs to (e.g. executing an unapproved refund). */
  REFUND_TRANSITION_NOT_ALLOWED: 'CONFLICT',
  WEBHOOK_EVENT_NOT_FOUND: 'NOT_FOUND',
  RECONCILIATION_NOT_FOUND: 'NOT_FOUND',
  /** The channel's statement could not be read (unreachable or malformed). */
  STATEMENT_UNAVAILABLE: 'BAD_GATEWAY',
} as const satisfies Record<string, ErrorCategory>;
