// Payments the sandbox bank took and the callback copies it owes the payment service.
import type { DbClient } from '../db.ts';
import type { BankPayment, CallbackDelivery } from '../generated/prisma/client.ts';

export type PaymentWithCallbacks = BankPayment & { callbacks: CallbackDelivery[] };

export interface NewPayment {
  serial: string;
  paymentCode: string;
  amountFen: number;
  status: 'succeeded' | 'declined';
  payerName: string;
  payerAccount: string;
  payerBank: string;
  payMode: string;
  outlet: string;
  confirmedAt: Date;
}

export interface ClaimedCallback {
  id: bigint;
  attempts: number;
  payment: BankPayment;
}

export class PaymentRepository {
  constructor(private readonly db: DbClient) {}

  async nextSerial(day: string): Promise<string> {
    const rows = await this.db.$queryRaw<Array<{ n: bigint }>>`SELECT nextval('bank_serial_seq') AS n`;
    return `BS${day.replaceAll('-', '')}${String(rows[0]?.n ?? 0n).padStart(10, '0')}`;
  }

  async insert(payment: NewPayment, callbacks: Array<{ status: 'pending' | 'lost'; dueAt: Date }>) {
    return this.db.bankPayment.create({
      data: {
        ...payment,
        amountFen: BigInt(payment.amountFen),
        callbacks: { create: callbacks.map((c, index) => ({ copyNo: index + 1, status: c.status, dueAt: c.dueAt })) },
      },
      include: { callbacks: true },
    });
  }

  listByCode(paymentCode: string): Promise<PaymentWithCallbacks[]> {
    return this.db.bankPayment.findMany({
      where: { paymentCode },
      include: { callbacks: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  succeededByCode(paymentCode: string) {
    return this.db.bankPayment.findMany({ where: { paymentCode, status: 'succeeded' }, orderBy: { createdAt: 'asc' } });
  }

  succeededBetween(from: Date, to: Date) {
    return this.db.bankPayment.findMany({
      where: { status: 'succeeded', confirmedAt: { gte: from, lt: to } },
      orderBy: [{ confirmedAt: 'asc' }, { serial: 'asc' }],
    });
  }

  /** Claims due callback copies with a lease (any replica; a crashed sender's copies come back). */
  async claimDue(now: Date, leaseMs: number, limit: number, newestFirst: boolean): Promise<ClaimedCallback[]> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const order = newestFirst ? 'DESC' : 'ASC';
    const rows = await this.db.$queryRawUnsafe<Array<{ id: bigint; attempts: number; serial: string }>>(
      `UPDATE callback_delivery d SET attempts = d.attempts + 1, due_at = $1
         FROM (SELECT id FROM callback_delivery WHERE status = 'pending' AND due_at <= $2
                ORDER BY due_at ${order}, id ${order} LIMIT $3 FOR UPDATE SKIP LOCKED) due
        WHERE d.id = due.id
        RETURNING d.id, d.attempts, d.serial`,
      leaseUntil,
      now,
      limit,
    );
    if (rows.length === 0) return [];
    const payments = new Map(
      (await this.db.bankPayment.findMany({ where: { serial: { in: rows.map((r) => r.serial) } } })).map((p) => [
        p.serial,
        p,
      ]),
    );
    // Keep the claim order (it is what "reorder" changes).
    const ordered = newestFirst
      ? [...rows].sort((a, b) => Number(b.id - a.id))
      : [...rows].sort((a, b) => Number(a.id - b.id));
    return ordered.flatMap((row) => {
      const payment = payments.get(row.serial);
      return payment ? [{ id: row.id, attempts: row.attempts, payment }] : [];
    });
  }

  async finish(id: bigint, status: 'delivered' | 'failed', at: Date, error?: string): Promise<void> {
    await this.db.callbackDelivery.update({
      where: { id },
      data:
        status === 'delivered'
          ? { status, deliveredAt: at, lastError: null }
          : { status, lastError: error?.slice(0, 300) ?? null },
    });
  }

  async retryAt(id: bigint, dueAt: Date, error: string): Promise<void> {
    await this.db.callbackDelivery.update({ where: { id }, data: { dueAt, lastError: error.slice(0, 300) } });
  }
}
