// The daily statement file (对账单): every succeeded payment and every executed refund confirmed on
// a UTC day, as CSV. Refund lines carry the refunded payment's serial and the merchant's reference;
// their amount is positive, the `type` column says which way the money went.
import type { Database } from '../db.ts';
import { PaymentRepository } from '../repositories/payments.ts';
import { RefundRepository } from '../repositories/refunds.ts';

export const STATEMENT_HEADER =
  'bank_serial,payment_code,amount_fen,confirmed_at,pay_mode,outlet,type,original_serial,merchant_ref';

/** CSV fields here never contain commas or quotes except free text, which is quoted. */
const csvField = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export async function dailyStatement(db: Database, day: string, outlet: string): Promise<string> {
  const from = new Date(`${day}T00:00:00.000Z`);
  const to = new Date(from.getTime() + 86_400_000);
  const payments = await new PaymentRepository(db).succeededBetween(from, to);
  const refunds = await new RefundRepository(db).succeededBetween(from, to);
  const rows = [
    ...payments.map((p) => ({
      at: p.confirmedAt,
      fields: [p.serial, p.paymentCode, String(p.amountFen), p.confirmedAt.toISOString(), p.payMode, p.outlet],
      extra: ['payment', '', ''],
    })),
    ...refunds.map((r) => ({
      at: r.confirmedAt,
      fields: [r.serial, r.paymentCode, String(r.amountFen), r.confirmedAt.toISOString(), 'refund', outlet],
      extra: ['refund', r.paymentSerial, r.merchantRef],
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.fields[0] ?? '').localeCompare(b.fields[0] ?? ''));
  const lines = rows.map((row) => [...row.fields, ...row.extra].map(csvField).join(','));
  return [STATEMENT_HEADER, ...lines].join('\n') + '\n';
}
