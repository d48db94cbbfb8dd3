// The daily statement file (对账单): every succeeded payment confirmed on a UTC day, as CSV.
import type { Database } from '../db.ts';
import { PaymentRepository } from '../repositories/payments.ts';

export const STATEMENT_HEADER = 'bank_serial,payment_code,amount_fen,confirmed_at,pay_mode,outlet';

/** CSV fields here never contain commas or quotes except free text, which is quoted. */
const csvField = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export async function dailyStatement(db: Database, day: string): Promise<string> {
  const from = new Date(`${day}T00:00:00.000Z`);
  const to = new Date(from.getTime() + 86_400_000);
  const rows = await new PaymentRepository(db).succeededBetween(from, to);
  const lines = rows.map((p) =>
    [p.serial, p.paymentCode, String(p.amountFen), p.confirmedAt.toISOString(), p.payMode, p.outlet]
      .map(csvField)
      .join(','),
  );
  return [STATEMENT_HEADER, ...lines].join('\n') + '\n';
}
