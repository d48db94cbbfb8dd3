// The non-tax payment service: items, collecting units, notices with payment codes, receipts,
// webhooks and the ledger check. Channel callbacks (POST /channels/{channel}/callback) are plain
// HTTP, signed by the channel, and not part of this contract.
import { CitizenIdNumber, PaymentCode, UnifiedSocialCreditCode } from '@platform/identifiers';
import { z } from 'zod';
import { mutation, query } from '../procedure.ts';
import type { ContractRouter } from '../procedure.ts';
import { systemContract } from '../system.ts';

const tags = (tag: string) => [tag];
const Instant = z.iso.datetime();
/** Money is integer fen (分); the cap keeps every sum a safe integer. */
export const Fen = z.number().int().positive().max(10_000_000_000_000).describe('Amount in integer fen (分)');
const DateOnly = z.iso.date().describe('Calendar date YYYY-MM-DD');
const ItemCode = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, '1–32 letters, digits, dot, dash, underscore');

export const AmountRule = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('fixed'), amountFen: Fen }),
    z
      .object({ kind: z.literal('range'), minFen: Fen, maxFen: Fen })
      .refine((r) => r.minFen <= r.maxFen, { message: 'minFen must not exceed maxFen', path: ['maxFen'] }),
    z.object({
      kind: z.literal('late_fee'),
      dailyRateBasisPoints: z
        .number()
        .int()
        .min(1)
        .max(10_000)
        .describe('Per day, in 1/10 000 of the principal: 300 = 3 % per day'),
    }),
  ])
  .describe('fixed amount; a range; or a late fee computed from a principal and days, capped at the principal');
export type AmountRule = z.infer<typeof AmountRule>;

export const ItemStatus = z.enum(['draft', 'sandbox_tested', 'live', 'suspended']);
export const Destination = z.enum(['treasury', 'fiscal_special_account']);

export const ItemView = z.object({
  code: z.string(),
  name: z.string(),
  unitCode: z.string(),
  legalBasis: z.string(),
  amountRule: AmountRule,
  destination: Destination,
  category: z.string().describe('Two digits; the "type" digits of payment codes'),
  status: ItemStatus,
  createdAt: Instant,
  updatedAt: Instant,
});
export type ItemView = z.infer<typeof ItemView>;

export const Payer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('natural_person'), id: CitizenIdNumber, name: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal('legal_person'), id: UnifiedSocialCreditCode, name: z.string().trim().min(1).max(200) }),
]);

export const NoticeLineInput = z.object({
  itemCode: ItemCode,
  amountFen: Fen.optional().describe('Required for range items; optional (checked) for fixed and late-fee items'),
  basis: z
    .object({ principalFen: Fen, days: z.number().int().min(0).max(36_500) })
    .optional()
    .describe('Late-fee items: the fine and the days overdue the fee is computed from'),
});

export const NoticeState = z.enum([
  'issued',
  'paid',
  'settled',
  'expired',
  'cancelled',
  'partially_refunded',
  'refunded',
]);

export const NoticeView = z.object({
  id: z.uuid(),
  paymentCode: z.string(),
  unitCode: z.string(),
  payer: z.object({ kind: z.enum(['natural_person', 'legal_person']), id: z.string(), name: z.string() }),
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      itemCode: z.string(),
      itemName: z.string(),
      destination: Destination,
      amountFen: z.number().int(),
    }),
  ),
  totalFen: z.number().int(),
  paidFen: z.number().int(),
  refundedFen: z.number().int(),
  dueDate: DateOnly,
  state: NoticeState,
  remark: z.string().nullable(),
  paymentPageUrl: z.string(),
  qrPayload: z.string().describe('Text to encode in the notice’s QR code'),
  createdAt: Instant,
  paidAt: Instant.nullable(),
});
export type NoticeView = z.infer<typeof NoticeView>;

/** What anyone holding the payment code may see: no payer ID number. */
export const PublicNoticeView = z.object({
  paymentCode: z.string(),
  unitName: z.string(),
  payerName: z.string().describe('Masked except the first character'),
  items: z.array(z.object({ name: z.string(), amountFen: z.number().int() })),
  totalFen: z.number().int(),
  dueDate: DateOnly,
  state: NoticeState,
  payable: z.boolean(),
});

export const ReceiptView = z.object({
  receiptCode: z.string().describe('8 digits: region(2) class(2) kind(2) year(2)'),
  receiptNumber: z.string().describe('10 digits'),
  checkCode: z.string().describe('6 digits'),
  paymentCode: z.string(),
  totalFen: z.number().int(),
  refundedFen: z.number().int(),
  issuedAt: Instant,
  fields: z.record(z.string(), z.unknown()),
  sealed: z.boolean().describe('True only when the seal service sealed the PDF'),
  sealer: z.string().nullable(),
  pdfBase64: z.string().nullable(),
});

export const WebhookEventView = z.object({
  id: z.uuid(),
  type: z.string(),
  paymentCode: z.string().nullable(),
  sequence: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: Instant,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: Instant.nullable(),
  lastError: z.string().nullable(),
  deliveredAt: Instant.nullable(),
});

export const LedgerCheckReport = z.object({
  ok: z.boolean(),
  transfers: z.number().int(),
  totalDebitFen: z.number().int(),
  totalCreditFen: z.number().int(),
  violations: z.array(z.object({ rule: z.string(), subject: z.string(), detail: z.string() })),
});

const PaymentCodeInput = z.object({ paymentCode: PaymentCode });

/** Opaque keyset cursor of a listing: pass `nextCursor` back to get the following page. */
const Cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,200}$/, 'a cursor returned by the previous page')
  .describe('`nextCursor` of the previous page');
const PageLimit = z.number().int().min(1).max(100).default(20);

export const NoticeListInput = z
  .object({
    state: NoticeState.optional(),
    itemCode: ItemCode.optional().describe('Notices with a line of this item'),
    unitCode: UnifiedSocialCreditCode.optional().describe('Finance only; a unit always sees only its own notices'),
    createdFrom: DateOnly.optional().describe('Created on or after this UTC day'),
    createdTo: DateOnly.optional().describe('Created on or before this UTC day'),
    paymentCodePrefix: z
      .string()
      .regex(/^\d{1,20}$/, '1–20 digits')
      .optional(),
    cursor: Cursor.optional(),
    limit: PageLimit,
  })
  .refine((f) => !f.createdFrom || !f.createdTo || f.createdFrom <= f.createdTo, {
    message: 'createdFrom must not be after createdTo',
    path: ['createdTo'],
  });

export const MyReceiptView = z.object({
  receiptCode: z.string(),
  receiptNumber: z.string(),
  checkCode: z.string(),
  paymentCode: z.string(),
  unitName: z.string(),
  items: z.array(z.object({ name: z.string(), amountFen: z.number().int() })),
  totalFen: z.number().int(),
  refundedFen: z.number().int(),
  issuedAt: Instant,
  sealed: z.boolean(),
});

/** Collected money (gross of refunds) by the UTC day the channel confirmed it; sums in integer fen. */
export const CollectionStats = z.object({
  from: DateOnly,
  to: DateOnly,
  total: z.object({ count: z.number().int(), amountFen: z.number().int() }),
  byDay: z.array(z.object({ date: DateOnly, count: z.number().int(), amountFen: z.number().int() })),
  byItem: z.array(
    z.object({ date: DateOnly, itemCode: z.string(), itemName: z.string(), amountFen: z.number().int() }),
  ),
  byUnit: z.array(
    z.object({
      date: DateOnly,
      unitCode: z.string(),
      unitName: z.string(),
      count: z.number().int(),
      amountFen: z.number().int(),
    }),
  ),
  channels: z.array(
    z.object({ channel: z.string(), payMode: z.string(), count: z.number().int(), amountFen: z.number().int() }),
  ),
});

export const RefundView = z.object({
  id: z.uuid(),
  paymentCode: z.string(),
  batchId: z.uuid().nullable(),
  amountFen: z.number().int(),
  reason: z.string(),
  kind: z.enum(['over_collection', 'error', 'approved_case']),
  unitInitiated: z.boolean(),
  state: z
    .enum(['requested', 'unit_approved', 'finance_approved', 'processing', 'executed', 'failed', 'rejected'])
    .describe('processing: instructed to the channel, awaiting its answer; failed: the channel declined it'),
  requestedAt: Instant,
  reviewDueAt: Instant,
  approvalDueAt: Instant.nullable(),
  paymentDueAt: Instant.nullable(),
  executedAt: Instant.nullable(),
  rejectedReason: z.string().nullable(),
  channelRefundRef: z.string().nullable().describe('The channel’s refund reference, once it answered'),
  channelAttempts: z.number().int().describe('Instructions sent to the channel (one idempotency key)'),
  lastError: z.string().nullable().describe('Why the last instruction got no answer'),
  failedReason: z.string().nullable().describe('Why the channel declined the refund'),
  overdue: z.boolean().describe('The current step is past its working-day deadline'),
});

const RefundRequest = z.object({
  paymentCode: PaymentCode,
  amountFen: Fen,
  reason: z.string().trim().min(1).max(500),
  kind: z.enum(['over_collection', 'error', 'approved_case']),
  unitInitiated: z.boolean().default(false).describe('The unit found the error itself (5 working days to verify)'),
});

const Decision = z.object({
  refundId: z.uuid(),
  approve: z.boolean(),
  reason: z.string().trim().min(1).max(500).optional().describe('Required when rejecting'),
});

const ReconciliationLine = z.object({
  bankSerial: z.string(),
  paymentCode: z.string(),
  statementFen: z.number().int().nullable(),
  platformFen: z.number().int().nullable(),
});

export const ReconciliationReport = z.object({
  channel: z.string(),
  date: DateOnly,
  ranAt: Instant,
  matched: z.object({ count: z.number().int(), amountFen: z.number().int() }),
  settled: z.number().int().describe('Notices settled by this run'),
  missingOnPlatform: z.array(ReconciliationLine).describe('On the statement only: parked in suspense'),
  missingOnChannel: z.array(ReconciliationLine).describe('Recorded by the platform, not on the statement'),
  amountMismatches: z.array(ReconciliationLine),
  missingInLedger: z.array(ReconciliationLine),
  suspense: z.object({ count: z.number().int(), amountFen: z.number().int() }),
  byUnit: z.array(z.object({ unitCode: z.string(), count: z.number().int(), amountFen: z.number().int() })),
  refunds: z
    .object({
      matched: z.object({ count: z.number().int(), amountFen: z.number().int() }),
      missingOnPlatform: z.array(ReconciliationLine).describe('Paid back by the channel, not executed here'),
      missingOnChannel: z.array(ReconciliationLine).describe('Executed here, not on the statement'),
      amountMismatches: z.array(ReconciliationLine),
      missingInLedger: z.array(ReconciliationLine),
    })
    .describe('Refunds, matched by the channel’s refund reference (bankSerial here)'),
});

export const paymentContract = {
  system: systemContract,
  unit: {
    register: mutation({
      input: z.object({
        creditCode: UnifiedSocialCreditCode,
        name: z.string().trim().min(1).max(200),
        clientIds: z
          .array(z.string().regex(/^[A-Za-z0-9._:-]{3,100}$/))
          .min(1)
          .max(20),
        webhookUrl: z
          .url({ protocol: /^https?$/ })
          .nullable()
          .default(null),
      }),
      output: z.object({
        creditCode: z.string(),
        name: z.string(),
        clientIds: z.array(z.string()),
        webhookUrl: z.string().nullable(),
        webhookSecret: z.string().describe('Shown once: the HMAC key of this unit’s webhooks'),
      }),
      rest: {
        method: 'POST',
        path: '/units',
        summary: 'Register a collecting unit (scope payment:admin)',
        tags: tags('units'),
      },
    }),
  },
  item: {
    create: mutation({
      input: z.object({
        code: ItemCode,
        name: z.string().trim().min(1).max(200),
        unitCode: UnifiedSocialCreditCode,
        legalBasis: z.string().trim().min(1).max(500),
        amountRule: AmountRule,
        destination: Destination,
        category: z
          .string()
          .regex(/^\d{2}$/, '2 digits')
          .default('01'),
      }),
      output: ItemView,
      rest: {
        method: 'POST',
        path: '/items',
        summary: 'Add an item in draft (scope payment:admin)',
        tags: tags('items'),
      },
    }),
    transition: mutation({
      input: z.object({ code: ItemCode, status: ItemStatus }),
      output: ItemView,
      rest: {
        method: 'POST',
        path: '/items/{code}/status',
        summary: 'Move an item: draft → sandbox_tested → live ⇄ suspended (scope payment:admin)',
        tags: tags('items'),
      },
    }),
    get: query({
      input: z.object({ code: ItemCode }),
      output: ItemView,
      rest: { method: 'GET', path: '/items/{code}', summary: 'One item', tags: tags('items') },
    }),
    list: query({
      input: z.object({ unitCode: UnifiedSocialCreditCode.optional() }),
      output: z.object({ items: z.array(ItemView) }),
      rest: { method: 'GET', path: '/items', summary: 'Items, optionally of one unit', tags: tags('items') },
    }),
  },
  notice: {
    create: mutation({
      input: z.object({
        payer: Payer,
        lines: z.array(NoticeLineInput).min(1).max(50),
        dueDate: DateOnly,
        remark: z.string().trim().max(500).optional(),
      }),
      output: NoticeView,
      rest: {
        method: 'POST',
        path: '/notices',
        summary:
          'Issue a payment notice (scope payment:notice:create; Idempotency-Key header required: same key and body → same notice)',
        tags: tags('notices'),
      },
    }),
    get: query({
      input: PaymentCodeInput,
      output: NoticeView,
      rest: {
        method: 'GET',
        path: '/notices/{paymentCode}',
        summary: 'A notice of the caller’s unit',
        tags: tags('notices'),
      },
    }),
    cancel: mutation({
      input: PaymentCodeInput,
      output: NoticeView,
      rest: {
        method: 'POST',
        path: '/notices/{paymentCode}/cancel',
        summary: 'Cancel an unpaid notice (scope payment:notice:create)',
        tags: tags('notices'),
      },
    }),
    lookup: query({
      input: PaymentCodeInput,
      output: PublicNoticeView,
      access: 'public',
      rest: {
        method: 'GET',
        path: '/public/notices/{paymentCode}',
        summary: 'Look a notice up by its payment code',
        tags: tags('notices'),
      },
    }),
    list: query({
      input: NoticeListInput,
      output: z.object({ notices: z.array(NoticeView), nextCursor: z.string().nullable() }),
      rest: {
        method: 'GET',
        path: '/notices',
        summary:
          'Notices, newest first, filtered, a page at a time (scope payment:finance: every unit; payment:notice:read: the caller’s unit)',
        tags: tags('notices'),
      },
    }),
  },
  receipt: {
    get: query({
      input: PaymentCodeInput.extend({ withPdf: z.boolean().default(false) }),
      output: ReceiptView,
      rest: {
        method: 'GET',
        path: '/receipts/{paymentCode}',
        summary: 'The e-receipt of a paid notice',
        tags: tags('receipts'),
      },
    }),
    verify: query({
      input: z.object({
        receiptCode: z.string().regex(/^\d{8}$/),
        receiptNumber: z.string().regex(/^\d{10}$/),
        checkCode: z.string().regex(/^\d{6}$/),
      }),
      output: z.object({
        valid: z.boolean(),
        receipt: z
          .object({
            totalFen: z.number().int(),
            refundedFen: z.number().int(),
            issuedAt: Instant,
            payerName: z.string(),
            sealed: z.boolean(),
          })
          .nullable(),
      }),
      access: 'public',
      rest: {
        method: 'GET',
        path: '/public/receipts/verify',
        summary: 'Check an e-receipt by code, number and check code',
        tags: tags('receipts'),
      },
    }),
    mine: query({
      input: z.object({ cursor: Cursor.optional(), limit: PageLimit }),
      output: z.object({ receipts: z.array(MyReceiptView), nextCursor: z.string().nullable() }),
      rest: {
        method: 'GET',
        path: '/me/receipts',
        summary: 'The signed-in payer’s own receipts (by the token’s subject_code), newest first',
        tags: tags('receipts'),
      },
    }),
    minePdf: query({
      input: PaymentCodeInput,
      output: z.object({ paymentCode: z.string(), fileName: z.string(), sealed: z.boolean(), pdfBase64: z.string() }),
      rest: {
        method: 'GET',
        path: '/me/receipts/{paymentCode}/pdf',
        summary: 'The PDF of one of the signed-in payer’s receipts (rendered and sealed on first request)',
        tags: tags('receipts'),
      },
    }),
  },
  webhook: {
    list: query({
      input: z.object({
        paymentCode: PaymentCode.optional(),
        status: z.enum(['pending', 'delivered', 'failed']).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
      output: z.object({ events: z.array(WebhookEventView) }),
      rest: {
        method: 'GET',
        path: '/webhooks/events',
        summary: 'Webhook events of the caller’s unit',
        tags: tags('webhooks'),
      },
    }),
    replay: mutation({
      input: z.object({ eventId: z.uuid() }),
      output: WebhookEventView,
      rest: {
        method: 'POST',
        path: '/webhooks/events/{eventId}/replay',
        summary: 'Deliver an event again',
        tags: tags('webhooks'),
      },
    }),
  },
  refund: {
    request: mutation({
      input: RefundRequest,
      output: RefundView,
      rest: {
        method: 'POST',
        path: '/refunds',
        summary: 'Request a refund (scope payment:refund:request)',
        tags: tags('refunds'),
      },
    }),
    requestBatch: mutation({
      input: z.object({ refunds: z.array(RefundRequest).min(1).max(500) }),
      output: z.object({ batchId: z.uuid(), refunds: z.array(RefundView) }),
      rest: {
        method: 'POST',
        path: '/refunds/batch',
        summary: 'Request several refunds at once, all or none (scope payment:refund:request)',
        tags: tags('refunds'),
      },
    }),
    review: mutation({
      input: Decision,
      output: RefundView,
      rest: {
        method: 'POST',
        path: '/refunds/{refundId}/review',
        summary: 'The collecting unit verifies a refund (scope payment:refund:review)',
        tags: tags('refunds'),
      },
    }),
    approve: mutation({
      input: Decision,
      output: RefundView,
      rest: {
        method: 'POST',
        path: '/refunds/{refundId}/approval',
        summary: 'The finance bureau approves a refund (scope payment:finance)',
        tags: tags('refunds'),
      },
    }),
    execute: mutation({
      input: z.object({ refundId: z.uuid() }),
      output: RefundView,
      rest: {
        method: 'POST',
        path: '/refunds/{refundId}/execution',
        summary:
          'Instruct the approved refund to the channel; executed when the channel confirms (scope payment:finance)',
        tags: tags('refunds'),
      },
    }),
    list: query({
      input: z.object({ overdueOnly: z.boolean().default(false), paymentCode: PaymentCode.optional() }),
      output: z.object({ refunds: z.array(RefundView) }),
      rest: {
        method: 'GET',
        path: '/refunds',
        summary: 'Refunds of the caller’s unit (finance: all)',
        tags: tags('refunds'),
      },
    }),
  },
  reconciliation: {
    run: mutation({
      input: z.object({ channel: z.string().min(1).max(32).default('banksim'), date: DateOnly }),
      output: ReconciliationReport,
      rest: {
        method: 'POST',
        path: '/reconciliations',
        summary: 'Reconcile a channel’s daily statement (scope payment:finance)',
        tags: tags('reconciliation'),
      },
    }),
    get: query({
      input: z.object({ channel: z.string().min(1).max(32).default('banksim'), date: DateOnly }),
      output: ReconciliationReport,
      rest: {
        method: 'GET',
        path: '/reconciliations/{date}',
        summary: 'A stored reconciliation report',
        tags: tags('reconciliation'),
      },
    }),
  },
  stats: {
    collection: query({
      input: z
        .object({
          from: DateOnly,
          to: DateOnly,
          unitCode: UnifiedSocialCreditCode.optional().describe('Finance only; a unit always sees only its own'),
        })
        .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
        .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 366 * 86_400_000, {
          message: 'at most 367 days',
          path: ['to'],
        }),
      output: CollectionStats,
      rest: {
        method: 'GET',
        path: '/stats/collection',
        summary:
          'Daily collection by item and by unit, and the channel mix (scope payment:finance; payment:notice:read: the caller’s unit)',
        tags: tags('stats'),
      },
    }),
  },
  ledger: {
    check: query({
      input: z.void(),
      output: LedgerCheckReport,
      rest: {
        method: 'GET',
        path: '/ledger/check',
        summary: 'Check ledger invariants (scope payment:admin)',
        tags: tags('ledger'),
      },
    }),
  },
};

export type PaymentRouter = ContractRouter<typeof paymentContract>;
