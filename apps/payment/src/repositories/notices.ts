// Payment notices, their lines and the idempotency keys of notice.create. State changes are
// conditional updates (WHERE state = …); the database trigger refuses illegal ones regardless.
import type { DbClient } from '../db.ts';
import type { Destination, NoticeState, PayerKind } from '../generated/prisma/client.ts';

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

function toRecord(row: NoticeRow, lines: LineRow[]): NoticeRecord {
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

  /** Claims an idempotency key; false when another request holds it (waits for that one to end). */
  async claimIdempotencyKey(clientId: string, key: string, requestHash: string, noticeId: string): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO idempotency_key (client_id, key, request_hash, notice_id)
      VALUES (${clientId}, ${key}, ${requestHash}, ${noticeId}::uuid)
      ON CONFLICT (client_id, key) DO NOTHING`;
    return inserted === 1;
  }

  findIdempotencyKey(clientId: string, key: string) {
    return this.db.idempotencyKey.findUnique({ where: { clientId_key: { clientId, key } } });
  }

  /** Next value of the shared payment-code sequence (9 digits, cycles after 999 999 999). */
  async nextCodeSequence(): Promise<number> {
    const rows = await this.db.$queryRaw<Array<{ n: bigint }>>`SELECT nextval('payment_code_seq') AS n`;
    return Number(rows[0]?.n);
  }

  async insert(notice: NewNotice): Promise<void> {
    const { lines, dueDate, totalFen, ...rest } = notice;
    await this.db.paymentNotice.create({
      data: {
        ...rest,
        totalFen: BigInt(totalFen),
        dueDate: new Date(`${dueDate}T00:00:00.000Z`),
        lines: {
          create: lines.map((line) => ({
            lineNo: line.lineNo,
            itemCode: line.itemCode,
            itemName: line.itemName,
            destination: line.destination,
            amountFen: BigInt(line.amountFen),
            ...(line.basis ? { basis: line.basis } : {}),
          })),
        },
      },
    });
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
