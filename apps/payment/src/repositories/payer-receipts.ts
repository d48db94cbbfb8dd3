// The receipts of one payer, found through their notices' payer (kind and ID/credit code), newest
// first by keyset (issued_at, id).
import type { DbClient } from '../db.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { PagePosition } from '../domain/listing/page-cursor.ts';
import type { PayerIdentity } from '../domain/payers/payer-of.ts';

export interface PayerReceiptRow {
  id: string;
  receipt_code: string;
  receipt_number: string;
  check_code: string;
  total_fen: bigint;
  refunded_fen: bigint;
  issued_at: Date;
  sealed: boolean;
  payment_code: string;
  unit_name: string;
  items: Array<{ name: string; amountFen: number }>;
}

export class PayerReceipts {
  constructor(private readonly db: DbClient) {}

  list(payer: PayerIdentity, after: PagePosition | null, take: number): Promise<PayerReceiptRow[]> {
    const keyset = after ? Prisma.sql`AND (r.issued_at, r.id) < (${after.at}, ${after.id}::uuid)` : Prisma.empty;
    return this.db.$queryRaw<PayerReceiptRow[]>`
      SELECT r.id::text AS id, r.receipt_code, r.receipt_number, r.check_code, r.total_fen, r.refunded_fen,
             r.issued_at, r.sealed, n.payment_code, u.name AS unit_name,
             (SELECT json_agg(json_build_object('name', l.item_name, 'amountFen', l.amount_fen) ORDER BY l.line_no)
                FROM notice_line l WHERE l.notice_id = n.id) AS items
        FROM receipt r
        JOIN payment_notice n ON n.id = r.notice_id
        JOIN collecting_unit u ON u.credit_code = n.unit_code
       WHERE n.payer_id = ${payer.id} AND n.payer_kind = ${payer.kind}::"PayerKind" ${keyset}
       ORDER BY r.issued_at DESC, r.id DESC
       LIMIT ${take}`;
  }
}
