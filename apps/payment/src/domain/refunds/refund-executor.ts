// Executes approved refunds through the channel the payment came from. A refund in "processing"
// is instructed with its own id as the channel's idempotency key, so however often it is sent
// (timeouts, outages, crashes, several replicas) the payer is paid back once. The notice, ledger,
// receipt and webhook change only when the channel's signed answer says the refund succeeded; a
// signed decline marks the refund failed and frees the amount. Unknown outcomes are retried with
// backoff, never given up: only the channel's word ends a refund.
import type { Clock } from '../../clock.ts';
import { TX_OPTIONS, type Database, type DbClient } from '../../db.ts';
import { LedgerRepository } from '../../repositories/ledger.ts';
import { NoticeRepository, type NoticeRecord } from '../../repositories/notices.ts';
import { RefundRepository, type ClaimedRefund } from '../../repositories/refunds.ts';
import { WebhookEventRepository } from '../../repositories/webhook-events.ts';
import type { PaymentChannel, RefundOutcome } from '../channels/channel.ts';
import { AppError } from '@platform/contracts';
import { ACCOUNTS, clearingAccount, destinationAccount, type Posting } from '../ledger/accounts.ts';

/** A claimed attempt is not sent again by another replica for this long. */
const LEASE_SECONDS = 60;

/** 5 s, 10 s, 20 s … capped at 10 minutes. */
export const refundBackoffSeconds = (attempt: number): number => Math.min(5 * 2 ** Math.max(0, attempt - 1), 600);

export type ApplyOutcome = 'executed' | 'failed' | 'duplicate';

export class RefundExecutor {
  private readonly byId: Map<string, PaymentChannel>;
  constructor(
    private readonly db: Database,
    channels: PaymentChannel[],
    private readonly clock: Clock,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {
    this.byId = new Map(channels.map((channel) => [channel.id, channel]));
  }

  /** Sends every due refund instruction once; returns how many the channel answered. */
  async runOnce(limit = 20): Promise<number> {
    const now = this.clock.now();
    const claimed = await new RefundRepository(this.db).claimDue(now, LEASE_SECONDS, limit);
    const answered = await Promise.all(claimed.map((refund) => this.send(refund)));
    return answered.filter(Boolean).length;
  }

  /** One attempt for this refund now, if it is processing and not leased by someone else. */
  async attempt(refundId: string): Promise<boolean> {
    const [claimed] = await new RefundRepository(this.db).claimDue(this.clock.now(), LEASE_SECONDS, 1, refundId);
    return claimed ? this.send(claimed) : false;
  }

  private async send(refund: ClaimedRefund): Promise<boolean> {
    const channel = this.byId.get(refund.channel);
    let outcome: RefundOutcome;
    try {
      if (!channel) throw new AppError('CHANNEL_UNAVAILABLE', `No channel ${refund.channel} is configured`);
      outcome = await channel.refund({
        merchantRef: refund.id,
        bankSerial: refund.bankSerial,
        paymentCode: refund.paymentCode,
        amountFen: refund.amountFen,
      });
    } catch (error) {
      const next = new Date(this.clock.now().getTime() + refundBackoffSeconds(refund.attempts) * 1000);
      const message = error instanceof Error ? error.message : 'refund instruction failed';
      await new RefundRepository(this.db).retryAt(refund.id, next, message);
      this.log.warn({ err: error, refundId: refund.id, attempts: refund.attempts }, 'refund instruction unanswered');
      return false;
    }
    await this.apply(refund.id, outcome);
    return true;
  }

  /**
   * Applies the channel's verified answer, once: a second answer for the same refund (a retry's,
   * a duplicate confirmation) finds it no longer processing and changes nothing.
   */
  async apply(refundId: string, outcome: RefundOutcome): Promise<ApplyOutcome> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const refunds = new RefundRepository(tx);
      const current = await refunds.find(refundId);
      if (!current) throw new AppError('REFUND_NOT_FOUND', 'No such refund');
      const notices = new NoticeRepository(tx);
      // Lock order as everywhere: notice first, then the rows that depend on it.
      await notices.lockById(current.noticeId);
      const channelFacts = { channelRefundRef: outcome.refundSerial, channelConfirmedAt: outcome.confirmedAt };
      if (outcome.status === 'declined') {
        const failed = await refunds.advance(refundId, 'processing', {
          state: 'failed',
          failedReason: outcome.reason ?? 'declined',
          lastError: null,
          nextAttemptAt: null,
          ...channelFacts,
        });
        if (!failed) return 'duplicate';
        await refunds.release(current.noticeId, Number(current.amountFen));
        return 'failed';
      }
      const refund = await refunds.advance(refundId, 'processing', {
        state: 'executed',
        executedAt: now,
        lastError: null,
        nextAttemptAt: null,
        ...channelFacts,
      });
      if (!refund) return 'duplicate';
      const notice = await notices.findById(refund.noticeId);
      if (!notice) throw new Error('notice of refund vanished');
      const amount = Number(refund.amountFen);
      const refundedAfter = notice.refundedFen + amount;
      const sequence = await markRefunded(tx, notice, refundedAfter);
      await new LedgerRepository(tx).record({
        id: `refund:${refund.id}`,
        kind: 'refund',
        noticeId: notice.id,
        postings: await refundPostings(tx, notice, refund.channel ?? '', amount),
      });
      // The receipt shows the refund; its PDF is rendered (and sealed) again on next request.
      await tx.receipt.updateMany({
        where: { noticeId: notice.id },
        data: {
          refundedFen: BigInt(refundedAfter),
          renderedPdf: null,
          pdf: null,
          sealed: false,
          sealer: null,
          renderedAt: null,
        },
      });
      await new WebhookEventRepository(tx).insert({
        unitCode: notice.unitCode,
        noticeId: notice.id,
        sequence,
        type: 'notice.refunded',
        payload: {
          paymentCode: notice.paymentCode,
          refundId: refund.id,
          amountFen: amount,
          refundedFen: refundedAfter,
          channelRefundRef: outcome.refundSerial,
          state: refundedAfter === notice.paidFen ? 'refunded' : 'partially_refunded',
        },
      });
      return 'executed';
    }, TX_OPTIONS);
  }
}

async function markRefunded(tx: DbClient, notice: NoticeRecord, refundedAfter: number): Promise<number> {
  const state = refundedAfter === notice.paidFen ? 'refunded' : 'partially_refunded';
  const rows = await tx.$queryRaw<Array<{ event_seq: number }>>`
    UPDATE payment_notice SET refunded_fen = ${BigInt(refundedAfter)}, state = ${state}::"NoticeState",
           event_seq = event_seq + 1
     WHERE id = ${notice.id}::uuid AND refunded_fen = ${BigInt(notice.refundedFen)}
     RETURNING event_seq`;
  const row = rows[0];
  if (!row) throw new AppError('REFUND_TRANSITION_NOT_ALLOWED', 'The notice changed meanwhile; retry');
  return row.event_seq;
}

/**
 * The money goes back from where it sits: the channel's clearing account before settlement, the
 * lines' destinations after it. Refunds take the lines in order, so cumulative refunds map onto
 * the same line amounts whatever the individual refund sizes.
 */
async function refundPostings(tx: DbClient, notice: NoticeRecord, channel: string, amount: number): Promise<Posting[]> {
  const postings: Posting[] = [{ account: ACCOUNTS.payers, debitFen: amount, creditFen: 0 }];
  const settled = await tx.ledgerTransfer.findUnique({ where: { id: `settlement:${notice.id}` } });
  if (!settled) {
    postings.push({ account: clearingAccount(channel), debitFen: 0, creditFen: amount });
    return postings;
  }
  let start = notice.refundedFen;
  let left = amount;
  let offset = 0;
  for (const line of notice.lines) {
    const lineEnd = offset + line.amountFen;
    const take = Math.min(left, Math.max(0, lineEnd - start));
    if (take > 0) {
      postings.push({ account: destinationAccount(line.destination), debitFen: 0, creditFen: take });
      left -= take;
      start += take;
    }
    offset = lineEnd;
  }
  return postings;
}
