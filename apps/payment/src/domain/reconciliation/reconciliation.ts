// Daily reconciliation, three ways: the channel's statement ↔ the platform's recorded payments
// (and executed refunds) ↔ the ledger. Matched payments settle their notices (clearing → treasury / special account);
// statement money the platform cannot attribute goes to suspense, never dropped. Re-running a day
// is safe: settlement and suspense transfers are keyed (settlement:<notice>, suspense:<serial>).
import { AppError, paymentContract } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import { TX_OPTIONS, type Database } from '../../db.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { LedgerRepository } from '../../repositories/ledger.ts';
import { NoticeRepository } from '../../repositories/notices.ts';
import { WebhookEventRepository } from '../../repositories/webhook-events.ts';
import type { PaymentChannel, StatementLine } from '../channels/channel.ts';
import { ACCOUNTS, clearingAccount, destinationAccount, move } from '../ledger/accounts.ts';

type Line = {
  bankSerial: string;
  paymentCode: string;
  statementFen: number | null;
  platformFen: number | null;
};

// Type aliases (not interfaces) so that the report is assignable to Prisma's JSON input type.
export type ReconciliationReport = {
  channel: string;
  date: string;
  ranAt: string;
  matched: { count: number; amountFen: number };
  settled: number;
  missingOnPlatform: Line[];
  missingOnChannel: Line[];
  amountMismatches: Line[];
  missingInLedger: Line[];
  suspense: { count: number; amountFen: number };
  byUnit: Array<{ unitCode: string; count: number; amountFen: number }>;
  refunds: RefundReconciliation;
};

export type RefundReconciliation = {
  matched: { count: number; amountFen: number };
  missingOnPlatform: Line[];
  missingOnChannel: Line[];
  amountMismatches: Line[];
  missingInLedger: Line[];
};

export class Reconciliation {
  constructor(
    private readonly db: Database,
    private readonly channels: PaymentChannel[],
    private readonly clock: Clock,
  ) {}

  async run(channelId: string, date: string): Promise<ReconciliationReport> {
    const channel = this.channels.find((c) => c.id === channelId);
    if (!channel) throw new AppError('NOT_FOUND', `No channel ${channelId}`);
    const fullStatement = await channel.fetchStatement(date);
    const statement = fullStatement.filter((line) => line.kind === 'payment');
    const from = new Date(`${date}T00:00:00.000Z`);
    const to = new Date(from.getTime() + 86_400_000);
    const payments = await this.db.channelPayment.findMany({
      where: { channel: channelId, confirmedAt: { gte: from, lt: to } },
    });
    const transfers = new Set(
      (
        await this.db.ledgerTransfer.findMany({
          where: { id: { in: payments.map((p) => `payment:${p.id}`) } },
          select: { id: true },
        })
      ).map((t) => t.id),
    );
    const bySerial = new Map(payments.map((p) => [p.bankSerial, p]));
    const onStatement = new Set(statement.map((s) => s.bankSerial));
    const report: ReconciliationReport = {
      channel: channelId,
      date,
      ranAt: this.clock.now().toISOString(),
      matched: { count: 0, amountFen: 0 },
      settled: 0,
      missingOnPlatform: [],
      missingOnChannel: [],
      amountMismatches: [],
      missingInLedger: [],
      suspense: { count: 0, amountFen: 0 },
      byUnit: [],
      refunds: await this.reconcileRefunds(
        channelId,
        fullStatement.filter((line) => line.kind === 'refund'),
        from,
        to,
      ),
    };
    const units = new Map<string, { count: number; amountFen: number }>();

    for (const line of statement) {
      const payment = bySerial.get(line.bankSerial);
      if (!payment) {
        report.missingOnPlatform.push({ ...lineOf(line), platformFen: null });
        await this.toSuspense(channelId, line, date);
        report.suspense.count++;
        report.suspense.amountFen += line.amountFen;
        continue;
      }
      const platformFen = Number(payment.amountFen);
      const entry = {
        bankSerial: line.bankSerial,
        paymentCode: line.paymentCode,
        statementFen: line.amountFen,
        platformFen,
      };
      if (platformFen !== line.amountFen || payment.paymentCode !== line.paymentCode) {
        report.amountMismatches.push(entry);
        continue;
      }
      if (!transfers.has(`payment:${payment.id}`)) {
        report.missingInLedger.push(entry);
        continue;
      }
      report.matched.count++;
      report.matched.amountFen += platformFen;
      if (await this.settle(payment.noticeId, channelId)) report.settled++;
      const notice = await this.db.paymentNotice.findUnique({
        where: { id: payment.noticeId },
        select: { unitCode: true },
      });
      const unit = units.get(notice?.unitCode ?? '') ?? { count: 0, amountFen: 0 };
      units.set(notice?.unitCode ?? '', { count: unit.count + 1, amountFen: unit.amountFen + platformFen });
    }
    for (const payment of payments)
      if (!onStatement.has(payment.bankSerial))
        report.missingOnChannel.push({
          bankSerial: payment.bankSerial,
          paymentCode: payment.paymentCode,
          statementFen: null,
          platformFen: Number(payment.amountFen),
        });
    report.byUnit = [...units.entries()]
      .map(([unitCode, totals]) => ({ unitCode, ...totals }))
      .sort((a, b) => a.unitCode.localeCompare(b.unitCode));

    const stored: Prisma.InputJsonObject = report;
    await this.db.reconciliationRun.upsert({
      where: { channel_statementDate: { channel: channelId, statementDate: from } },
      create: { channel: channelId, statementDate: from, report: stored, ranAt: new Date(report.ranAt) },
      update: { report: stored, ranAt: new Date(report.ranAt) },
    });
    return report;
  }

  /**
   * Refunds the channel paid back that day ↔ refunds the platform executed on its confirmation ↔
   * their ledger transfers, matched by the channel's refund reference. Nothing is moved here: a
   * refund only the channel knows is reported (its instruction is still being retried, or it
   * needs investigating), never booked from an unsigned statement.
   */
  private async reconcileRefunds(
    channelId: string,
    lines: StatementLine[],
    from: Date,
    to: Date,
  ): Promise<RefundReconciliation> {
    const refunds = await this.db.$queryRaw<
      Array<{ id: string; ref: string; amount_fen: bigint; payment_code: string; in_ledger: boolean }>
    >`
      SELECT r.id::text AS id, r.channel_refund_ref AS ref, r.amount_fen, n.payment_code,
             EXISTS (SELECT 1 FROM ledger_transfer t WHERE t.id = 'refund:' || r.id::text) AS in_ledger
        FROM refund r JOIN payment_notice n ON n.id = r.notice_id
       WHERE r.channel = ${channelId} AND r.state = 'executed'
         AND r.channel_confirmed_at >= ${from} AND r.channel_confirmed_at < ${to}`;
    const byRef = new Map(refunds.map((r) => [r.ref, r]));
    const onStatement = new Set(lines.map((line) => line.bankSerial));
    const result: RefundReconciliation = {
      matched: { count: 0, amountFen: 0 },
      missingOnPlatform: [],
      missingOnChannel: [],
      amountMismatches: [],
      missingInLedger: [],
    };
    for (const line of lines) {
      const refund = byRef.get(line.bankSerial);
      if (!refund) {
        result.missingOnPlatform.push({ ...lineOf(line), platformFen: null });
        continue;
      }
      const entry = { ...lineOf(line), platformFen: Number(refund.amount_fen) };
      if (entry.platformFen !== line.amountFen || refund.payment_code !== line.paymentCode)
        result.amountMismatches.push(entry);
      else if (!refund.in_ledger) result.missingInLedger.push(entry);
      else {
        result.matched.count++;
        result.matched.amountFen += line.amountFen;
      }
    }
    for (const refund of refunds)
      if (!onStatement.has(refund.ref))
        result.missingOnChannel.push({
          bankSerial: refund.ref,
          paymentCode: refund.payment_code,
          statementFen: null,
          platformFen: Number(refund.amount_fen),
        });
    return result;
  }

  async get(channelId: string, date: string): Promise<ReconciliationReport> {
    const run = await this.db.reconciliationRun.findUnique({
      where: { channel_statementDate: { channel: channelId, statementDate: new Date(`${date}T00:00:00.000Z`) } },
    });
    if (!run) throw new AppError('RECONCILIATION_NOT_FOUND', `No reconciliation of ${channelId} for ${date}`);
    return paymentContract.reconciliation.get.output.parse(run.report);
  }

  /** paid → settled with the settlement transfer and event; false if not in "paid" (already settled, refunded …). */
  private async settle(noticeId: string, channelId: string): Promise<boolean> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ event_seq: number }>>`
        UPDATE payment_notice SET state = 'settled', settled_at = ${now}, event_seq = event_seq + 1
         WHERE id = ${noticeId}::uuid AND state = 'paid' RETURNING event_seq`;
      const row = rows[0];
      if (!row) return false;
      const notice = await new NoticeRepository(tx).findById(noticeId);
      if (!notice) throw new Error('settled notice vanished');
      await new LedgerRepository(tx).record({
        id: `settlement:${noticeId}`,
        kind: 'settlement',
        noticeId,
        postings: notice.lines.flatMap((line) =>
          move(clearingAccount(channelId), destinationAccount(line.destination), line.amountFen),
        ),
      });
      await new WebhookEventRepository(tx).insert({
        unitCode: notice.unitCode,
        noticeId,
        sequence: row.event_seq,
        type: 'notice.settled',
        payload: { paymentCode: notice.paymentCode, state: 'settled', settledAt: now.toISOString() },
      });
      return true;
    }, TX_OPTIONS);
  }

  /** Statement money without a platform payment: payers → clearing → suspense, once per serial. */
  private async toSuspense(channelId: string, line: StatementLine, date: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO suspense_entry (id, channel, bank_serial, payment_code, amount_fen, reason, statement_date)
        VALUES (gen_random_uuid(), ${channelId}, ${line.bankSerial}, ${line.paymentCode}, ${BigInt(line.amountFen)},
                'not_recorded_by_platform', ${date}::date)
        ON CONFLICT (channel, bank_serial) DO NOTHING`;
      if (inserted !== 1) return;
      await new LedgerRepository(tx).record({
        id: `suspense:${channelId}:${line.bankSerial}`,
        kind: 'suspense',
        noticeId: null,
        postings: [
          ...move(ACCOUNTS.payers, clearingAccount(channelId), line.amountFen),
          ...move(clearingAccount(channelId), ACCOUNTS.suspense, line.amountFen),
        ],
      });
    }, TX_OPTIONS);
  }
}

const lineOf = (line: StatementLine) => ({
  bankSerial: line.bankSerial,
  paymentCode: line.paymentCode,
  statementFen: line.amountFen,
});
