// Refunds the sandbox bank executed (or declined) on the payment service's instructions.
import type { DbClient } from '../db.ts';
import type { BankRefund } from '../generated/prisma/client.ts';

export type NewRefund = Omit<BankRefund, 'serial' | 'amountFen'> & { amountFen: number };

export class RefundRepository {
  constructor(private readonly db: DbClient) {}

  async nextSerial(day: string): Promise<string> {
    const rows = await this.db.$queryRaw<Array<{ n: bigint }>>`SELECT nextval('bank_refund_serial_seq') AS n`;
    return `RF${day.replaceAll('-', '')}${String(rows[0]?.n ?? 0n).padStart(10, '0')}`;
  }

  findByRef(merchantRef: string): Promise<BankRefund | null> {
    return this.db.bankRefund.findUnique({ where: { merchantRef } });
  }

  /** Locks the refunded payment's row: one refund decision per payment at a time. */
  async lockPayment(serial: string) {
    const rows = await this.db.$queryRaw<Array<{ payment_code: string; amount_fen: bigint; status: string }>>`
      SELECT payment_code, amount_fen, status FROM bank_payment WHERE serial = ${serial} FOR UPDATE`;
    return rows[0] ?? null;
  }

  async refundedFen(paymentSerial: string): Promise<number> {
    const rows = await this.db.$queryRaw<Array<{ total: bigint | null }>>`
      SELECT SUM(amount_fen) AS total FROM bank_refund WHERE payment_serial = ${paymentSerial} AND status = 'succeeded'`;
    return Number(rows[0]?.total ?? 0n);
  }

  /** Inserts unless the merchant reference exists already (a concurrent duplicate); true if inserted. */
  async insert(serial: string, refund: NewRefund): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO bank_refund (serial, merchant_ref, request_hash, payment_serial, payment_code, amount_fen, status,
                               reason, confirmed_at)
      VALUES (${serial}, ${refund.merchantRef}, ${refund.requestHash}, ${refund.paymentSerial}, ${refund.paymentCode},
              ${BigInt(refund.amountFen)}, ${refund.status}, ${refund.reason}, ${refund.confirmedAt})
      ON CONFLICT (merchant_ref) DO NOTHING`;
    return inserted === 1;
  }

  byCode(paymentCode: string) {
    return this.db.bankRefund.findMany({ where: { paymentCode }, orderBy: { confirmedAt: 'asc' } });
  }

  succeededBetween(from: Date, to: Date) {
    return this.db.bankRefund.findMany({
      where: { status: 'succeeded', confirmedAt: { gte: from, lt: to } },
      orderBy: [{ confirmedAt: 'asc' }, { serial: 'asc' }],
    });
  }
}
