// The paid-notice hot path in two round trips and no interactive transaction: one read (the notice
// with its lines and any payment already recorded under the bank serial) and one statement that
// writes everything a payment changes. That statement is atomic on its own, and it starts with the
// conditional issued → paid update: concurrent copies of a callback queue on the notice row, and
// the losers find it no longer issued and insert nothing. The unique keys (channel, bank serial)
// and (notice) hold regardless; the state trigger and the ledger's balance check still run.
import type { DbClient } from '../db.ts';
import { Prisma, type Destination, type NoticeState, type PayerKind } from '../generated/prisma/client.ts';
import type { Posting } from '../domain/ledger/accounts.ts';
import type { NoticeRecord } from './notices.ts';

export interface RecordedPayment {
  paymentCode: string;
  amountFen: number;
}

export interface PaymentFacts {
  notice: NoticeRecord | null;
  /** What is recorded under this (channel, bank serial) already, if anything. */
  existing: RecordedPayment | null;
}

export interface PaidWrite {
  paymentId: string;
  channel: string;
  bankSerial: string;
  noticeId: string;
  amountFen: number;
  confirmedAt: Date;
  outlet: string;
  payMode: string;
  payerName: string;
  payerAccount: string;
  payerBank: string;
  source: string;
  postings: Posting[];
  receipt: { id: string; receiptCode: string; checkCode: string; fields: object; issuedAt: Date };
  event: { id: string; payload: Record<string, unknown> };
}

type FactsRow = {
  id: string | null;
  payment_code: string | null;
  unit_code: string;
  client_id: string;
  payer_kind: PayerKind;
  payer_id: string;
  payer_name: string;
  total_fen: bigint;
  paid_fen: bigint;
  refunded_fen: bigint;
  due_date: string;
  state: NoticeState;
  event_seq: number;
  remark: string | null;
  created_at: Date;
  paid_at: Date | null;
  lines: Array<{
    lineNo: number;
    itemCode: string;
    itemName: string;
    destination: Destination;
    amountFen: number;
  }> | null;
  existing_code: string | null;
  existing_amount: bigint | null;
};

export class PaymentRepository {
  constructor(private readonly db: DbClient) {}

  async facts(channel: string, bankSerial: string, paymentCode: string): Promise<PaymentFacts> {
    const [row] = await this.db.$queryRaw<FactsRow[]>`
      SELECT n.id::text AS id, n.payment_code, n.unit_code, n.client_id, n.payer_kind, n.payer_id, n.payer_name,
             n.total_fen, n.paid_fen, n.refunded_fen, to_char(n.due_date, 'YYYY-MM-DD') AS due_date, n.state,
             n.event_seq, n.remark, n.created_at, n.paid_at,
             (SELECT json_agg(json_build_object('lineNo', l.line_no, 'itemCode', l.item_code, 'itemName', l.item_name,
                                                'destination', l.destination, 'amountFen', l.amount_fen)
                              ORDER BY l.line_no)
                FROM notice_line l WHERE l.notice_id = n.id) AS lines,
             cp.payment_code AS existing_code, cp.amount_fen AS existing_amount
        FROM (SELECT 1) one
        LEFT JOIN payment_notice n ON n.payment_code = ${paymentCode}
        LEFT JOIN channel_payment cp ON cp.channel = ${channel} AND cp.bank_serial = ${bankSerial}`;
    if (!row) throw new Error('the facts query returns one row');
    const existing =
      row.existing_code !== null ? { paymentCode: row.existing_code, amountFen: Number(row.existing_amount) } : null;
    if (row.id === null || row.payment_code === null) return { notice: null, existing };
    return {
      existing,
      notice: {
        id: row.id,
        paymentCode: row.payment_code,
        unitCode: row.unit_code,
        clientId: row.client_id,
        payerKind: row.payer_kind,
        payerId: row.payer_id,
        payerName: row.payer_name,
        totalFen: Number(row.total_fen),
        paidFen: Number(row.paid_fen),
        refundedFen: Number(row.refunded_fen),
        dueDate: row.due_date,
        state: row.state,
        eventSeq: row.event_seq,
        remark: row.remark,
        createdAt: row.created_at,
        paidAt: row.paid_at,
        lines: (row.lines ?? []).map((line) => ({ ...line, amountFen: Number(line.amountFen) })),
      },
    };
  }

  /**
   * issued → paid with the payment, its balanced ledger transfer, the receipt and the outbox event,
   * in one statement. Returns the receipt number, or null when the notice was no longer issued
   * (or not due this amount): then nothing at all was written.
   */
  async recordPaid(w: PaidWrite): Promise<{ receiptNumber: string; sequence: number } | null> {
    const postings = Prisma.join(
      w.postings.map(
        (p) => Prisma.sql`(${p.account}::text, ${BigInt(p.debitFen)}::bigint, ${BigInt(p.creditFen)}::bigint)`,
      ),
    );
    const amount = BigInt(w.amountFen);
    const rows = await this.db.$queryRaw<Array<{ receipt_number: string; event_seq: number }>>`
      WITH paid AS (
        UPDATE payment_notice
           SET state = 'paid', paid_fen = ${amount}, paid_at = ${w.confirmedAt}, event_seq = event_seq + 1
         WHERE id = ${w.noticeId}::uuid AND state = 'issued' AND total_fen = ${amount}
         RETURNING id, unit_code, payment_code, total_fen, event_seq),
      payment AS (
        INSERT INTO channel_payment (id, channel, bank_serial, notice_id, payment_code, amount_fen, confirmed_at, outlet,
                                     pay_mode, payer_name, payer_account, payer_bank, source)
        SELECT ${w.paymentId}::uuid, ${w.channel}, ${w.bankSerial}, paid.id, paid.payment_code, ${amount},
               ${w.confirmedAt}, ${w.outlet}, ${w.payMode}, ${w.payerName}, ${w.payerAccount}, ${w.payerBank}, ${w.source}
          FROM paid RETURNING id),
      transfer AS (
        INSERT INTO ledger_transfer (id, kind, notice_id)
        SELECT 'payment:' || payment.id::text, 'payment', paid.id FROM payment, paid RETURNING id),
      postings AS (
        INSERT INTO ledger_posting (transfer_id, account, debit_fen, credit_fen)
        SELECT transfer.id, v.account, v.debit, v.credit FROM transfer, (VALUES ${postings}) AS v(account, debit, credit)),
      receipt AS (
        INSERT INTO receipt (id, notice_id, receipt_code, receipt_number, check_code, total_fen, fields, issued_at)
        SELECT ${w.receipt.id}::uuid, paid.id, ${w.receipt.receiptCode},
               lpad(nextval('receipt_number_seq')::text, 10, '0'), ${w.receipt.checkCode}, paid.total_fen,
               ${JSON.stringify(w.receipt.fields)}::jsonb, ${w.receipt.issuedAt}
          FROM paid RETURNING receipt_number, receipt_code, check_code),
      event AS (
        INSERT INTO webhook_event (id, unit_code, notice_id, sequence, type, payload)
        SELECT ${w.event.id}::uuid, paid.unit_code, paid.id, paid.event_seq, 'notice.paid',
               ${JSON.stringify(w.event.payload)}::jsonb || jsonb_build_object('receipt', jsonb_build_object(
                 'receiptCode', receipt.receipt_code, 'receiptNumber', receipt.receipt_number,
                 'checkCode', receipt.check_code))
          FROM paid, receipt)
      SELECT receipt.receipt_number, paid.event_seq FROM paid, receipt`;
    const row = rows[0];
    return row ? { receiptNumber: row.receipt_number, sequence: row.event_seq } : null;
  }
}
