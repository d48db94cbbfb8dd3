// Records → the contract's wire shapes (integer fen, UTC ISO instants).
import type { ItemRecord } from '../repositories/items.ts';
import type { NoticeRecord } from '../repositories/notices.ts';
import type { Receipt, WebhookEvent } from '../generated/prisma/client.ts';
import type { RefundWithCode } from '../domain/refunds/refund-workflow.ts';

export const itemView = (item: ItemRecord) => ({
  code: item.code,
  name: item.name,
  unitCode: item.unitCode,
  legalBasis: item.legalBasis,
  amountRule: item.amountRule,
  destination: item.destination,
  category: item.category,
  status: item.status,
  createdAt: item.createdAt.toISOString(),
  updatedAt: item.updatedAt.toISOString(),
});

export function noticeView(notice: NoticeRecord, paymentPageBaseUrl: string) {
  const paymentPageUrl = `${paymentPageBaseUrl.replace(/\/+$/, '')}/${notice.paymentCode}`;
  return {
    id: notice.id,
    paymentCode: notice.paymentCode,
    unitCode: notice.unitCode,
    payer: { kind: notice.payerKind, id: notice.payerId, name: notice.payerName },
    lines: notice.lines,
    totalFen: notice.totalFen,
    paidFen: notice.paidFen,
    refundedFen: notice.refundedFen,
    dueDate: notice.dueDate,
    state: notice.state,
    remark: notice.remark,
    paymentPageUrl,
    // The QR code carries the payment page URL: any phone camera opens it.
    qrPayload: paymentPageUrl,
    createdAt: notice.createdAt.toISOString(),
    paidAt: notice.paidAt?.toISOString() ?? null,
  };
}

/** Shows the first character only: enough for a payer to recognise the notice. */
export const maskName = (name: string): string => {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
};

export const receiptView = (receipt: Receipt, paymentCode: string) => ({
  receiptCode: receipt.receiptCode,
  receiptNumber: receipt.receiptNumber,
  checkCode: receipt.checkCode,
  paymentCode,
  totalFen: Number(receipt.totalFen),
  refundedFen: Number(receipt.refundedFen),
  issuedAt: receipt.issuedAt.toISOString(),
  fields: receipt.fields as Record<string, unknown>,
  sealed: receipt.sealed,
  sealer: receipt.sealer,
  pdfBase64: receipt.pdf ? Buffer.from(receipt.pdf).toString('base64') : null,
});

export const eventView = (event: WebhookEvent) => ({
  id: event.id,
  type: event.type,
  paymentCode: (event.payload as { paymentCode?: string }).paymentCode ?? null,
  sequence: event.sequence,
  payload: event.payload as Record<string, unknown>,
  createdAt: event.createdAt.toISOString(),
  status: event.status as 'pending' | 'delivered' | 'failed',
  attempts: event.attempts,
  nextAttemptAt: event.status === 'pending' ? event.nextAttemptAt.toISOString() : null,
  lastError: event.lastError,
  deliveredAt: event.deliveredAt?.toISOString() ?? null,
});

export const refundView = (refund: RefundWithCode) => ({
  id: refund.id,
  paymentCode: refund.paymentCode,
  batchId: refund.batchId,
  amountFen: Number(refund.amountFen),
  reason: refund.reason,
  kind: refund.kind as 'over_collection' | 'error' | 'approved_case',
  unitInitiated: refund.unitInitiated,
  state: refund.state,
  requestedAt: refund.requestedAt.toISOString(),
  reviewDueAt: refund.reviewDueAt.toISOString(),
  approvalDueAt: refund.approvalDueAt?.toISOString() ?? null,
  paymentDueAt: refund.paymentDueAt?.toISOString() ?? null,
  executedAt: refund.executedAt?.toISOString() ?? null,
  rejectedReason: refund.rejectedReason,
  channelRefundRef: refund.channelRefundRef,
  channelAttempts: refund.channelAttempts,
  lastError: refund.lastError,
  failedReason: refund.failedReason,
  overdue: refund.overdue,
});
