// Payment notices, their lines and the idempotency keys of notice.create. State changes are
// conditional updates (WHERE state = …); the database trigger refuses illegal ones regardless.
import type { DbClient } from '../db.ts';
import { Prisma, type Destination, type NoticeState, type PayerKind } from '../generated/prisma/client.ts';

export interface NoticeLineRecord {
  lineNo: number;
  itemCode: string;
  itemName: string;
  destination: Destination;
  amountFen: number;
}

export interface NoticeRecord {
  id: string;
  paymentCode: string;
  unitCode: string;
  clientId: string;
  payerKind: PayerKind;
  payerId: string;
  payerName: string;
  totalFen: number;
  paidFen: number;
  refundedFen: number;
  dueDate: string;
  state: NoticeState;
  eventSeq: number;
  remark: string | null;
  createdAt: Date;
  paidAt: Date | null;
  lines: NoticeLineRecord[];
}

export interface NewNotice {
  id: string;
  paymentCode: string;
  unitCode: string;
  clientId: string;
  payerKind: PayerKind;
  payerId: string;
  payerName: string;
  totalFen: number;
  dueDate: string;
  remark: string | null;
  lines: Array<NoticeLineRecord & { basis: { principalFen: number; days: number } | null }>;
}

type NoticeRow = Awaited<ReturnType<DbClient['paymentNotice']['findUnique']>> & object;
type LineRow = { lineNo: number; itemCode: string; itemName: string; destination: Destination; amountFen: bigint };

export function toRecord(row: NoticeRow, lines: LineRow[]): NoticeRecord {
  return {
    id: row.id,
    paymentCode: row.paymentCode,
    unitCode: row.unitCode,
    clientId: row.clientId,
    payerKind: row.payerKind,
    payerId: row.payerId,
    payerName: row.payerName,
    totalFen: Number(row.totalFen),
    paidFen: Number(row.paidFen),
    refundedFen: Number(row.refundedFen),
    dueDate: row.dueDate.toISOString().slice(0, 10),
    state: row.state,
    eventSeq: row.eventSeq,
    remark: row.remark,
    createdAt: row.createdAt,
    paidAt: row.paidAt,
    lines: lines
      .map((line) => ({
        lineNo: line.lineNo,
        itemCode: line.itemCode,
        itemName: line.itemName,
        destination: line.destination,
        amountFen: Number(line.amountFen),
      }))
      .sort((a, b) => a.lineNo - b.lineNo),
  };
}

export class NoticeRepository {
  constructor(private readonly db: DbClient) {}

  findIdempotencyKey(clientId: string, key: string) {
    return this.db.idempotencyKey.findUnique({ where: { clientId_key: { clientId, key } } });
  }

  /** `count` values of the payment-code sequence at once (a replica hands them out itself). */
  async nextCodeSequences(count: number): Promise<number[]> {
    const rows = await this.db.$queryRaw<Array<{ n: bigint }>>`
      SELECT nextval('payment_code_seq') AS n FROM generate_series(1, ${count}::int)`;
    return rows.map((row) => Number(row.n));
  }

  /**
   * Claims the idempotency key and inserts the notice with its lines, in one statement (one round
   * trip, atomic). Returns the notice's creation time, or null when the key was taken already (a
   * concurrent duplicate waits on the key's unique index until the other statement commits).
   */
  async insertClaimingKey(clientId: string, key: string, requestHash: string, notice: NewNotice): Promise<Date | null> {
    const lines = Prisma.join(
      notice.lines.map(
        (line) =>
          Prisma.sql`(${line.lineNo}::int, ${line.itemCode}::text, ${line.itemName}::text,
                      ${line.destination}::"Destination", ${BigInt(line.amountFen)}::bigint,
                      ${line.basis ? JSON.stringify(line.basis) : null}::jsonb)`,
      ),
    );
    const rows = await this.db.$queryRaw<Array<{ created_at: Date }>>`
      WITH k AS (
        INSERT INTO idempotency_key (client_id, key, request_hash, notice_id)
        VALUES (${clientId}, ${key}, ${requestHash}, ${notice.id}::uuid)
        ON CONFLICT (client_id, key) DO NOTHING RETURNING notice_id),
      n AS (
        INSERT INTO payment_notice (id, payment_code, unit_code, client_id, payer_kind, payer_id, payer_name, total_fen,
                                    due_date, remark)
        SELECT k.notice_id, ${notice.paymentCode}, ${notice.unitCode}, ${notice.clientId},
               ${notice.payerKind}::"PayerKind", ${notice.payerId}, ${notice.payerName}, ${BigInt(notice.totalFen)},
               ${notice.dueDate}::date, ${notice.remark}
          FROM k RETURNING id, created_at),
      l AS (
        INSERT INTO notice_line (notice_id, line_no, item_code, item_name, destination, amount_fen, basis)
        SELECT n.id, v.* FROM n, (VALUES ${lines}) AS v)
      SELECT created_at FROM n`;
    return rows[0]?.created_at ?? null;
  }

  async findById(id: string): Promise<NoticeRecord | null> {
    const row = await this.db.paymentNotice.findUnique({ where: { id }, include: { lines: true } });
    return row ? toRecord(row, row.lines) : null;
  }

  async findByCode(paymentCode: string): Promise<NoticeRecord | null> {
    const row = await this.db.paymentNotice.findUnique({ where: { paymentCode }, include: { lines: true } });
    return row ? toRecord(row, row.lines) : null;
  }

  /** Locks the notice row for the rest of the transaction: one payment decision at a time. */
  async lockByCode(paymentCode: string): Promise<{ id: string } | null> {
    const rows = await this.db.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM payment_notice WHERE payment_code = ${paymentCode} FOR UPDATE`;
    return rows[0] ?? null;
  }

  /** Locks the notice row by id (see lockByCode). */
  async lockById(id: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM payment_notice WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length === 1;
  }

  /** issued → paid; returns the event sequence number handed out, or null if no longer issued. */
  async markPaid(id: string, amountFen: number, paidAt: Date): Promise<number | null> {
    const rows = await this.db.$queryRaw<Array<{ event_seq: number }>>`
      UPDATE payment_notice
         SET state = 'paid', paid_fen = ${BigInt(amountFen)}, paid_at = ${paidAt}, event_seq = event_seq + 1
       WHERE id = ${id}::uuid AND state = 'issued' AND total_fen = ${BigInt(amountFen)}
       RETURNING event_seq`;
    return rows[0]?.event_seq ?? null;
  }

  /** issued → cancelled for the owning unit; returns the event sequence or null. */
  async cancel(paymentCode: string, unitCode: string, at: Date): Promise<{ id: string; eventSeq: number } | null> {
    const rows = await this.db.$queryRaw<Array<{ id: string; event_seq: number }>>`
      UPDATE payment_notice SET state = 'cancelled', closed_at = ${at}, event_seq = event_seq + 1
       WHERE payment_code = ${paymentCode} AND unit_code = ${unitCode} AND state = 'issued'
       RETURNING id::text AS id, event_seq`;
    const row = rows[0];
    return row ? { id: row.id, eventSeq: row.event_seq } : null;
  }

  /** issued → expired for notices due before `before`; at most `limit` per call. */
  async expireDue(before: string, at: Date, limit: number) {
    return this.db.$queryRaw<Array<{ id: string; unit_code: string; payment_code: string; event_seq: number }>>`
      UPDATE payment_notice SET state = 'expired', closed_at = ${at}, event_seq = event_seq + 1
       WHERE id IN (SELECT id FROM payment_notice WHERE state = 'issued' AND due_date < ${before}::date
                    ORDER BY due_date LIMIT ${limit} FOR UPDATE SKIP LOCKED)
       RETURNING id::text AS id, unit_code, payment_code, event_seq`;
  }

  /**
   * Claims notices unpaid for longer than `olderThan` and not asked about since `recheckBefore`,
   * stamping them so that other replicas skip them.
   */
  async claimForRecovery(olderThan: Date, recheckBefore: Date, at: Date, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<Array<{ payment_code: string }>>`
      UPDATE payment_notice SET recovery_checked_at = ${at}
       WHERE id IN (SELECT id FROM payment_notice
                     WHERE state = 'issued' AND created_at < ${olderThan}
                       AND (recovery_checked_at IS NULL OR recovery_checked_at < ${recheckBefore})
                     ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
       RETURNING payment_code`;
    return rows.map((row) => row.payment_code);
  }
}
