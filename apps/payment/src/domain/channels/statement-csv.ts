// Parses the sandbox channel's statement CSV (bank_serial,payment_code,amount_fen,confirmed_at,
// pay_mode,outlet,type,original_serial,merchant_ref). Statements without the type columns list
// payments only. Amounts must be integer fen; anything else makes the whole statement unusable
// rather than silently wrong.
import { AppError } from '@platform/contracts';
import type { StatementLine } from './channel.ts';

const HEADER = ['bank_serial', 'payment_code', 'amount_fen', 'confirmed_at'];

function fields(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      out.push(current);
      current = '';
    } else current += char;
  }
  out.push(current);
  return out;
}

export function parseStatementCsv(text: string): StatementLine[] {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = fields(lines[0] ?? '');
  if (HEADER.some((name, index) => header[index] !== name))
    throw new AppError('STATEMENT_UNAVAILABLE', 'The statement has an unexpected header');
  const typed = header[6] === 'type';
  return lines.slice(1).map((line, index) => {
    const values = fields(line);
    const [bankSerial = '', paymentCode = '', amount = '', confirmedAt = ''] = values;
    const kind = typed ? values[6] : 'payment';
    const originalSerial = typed ? values[7] || null : null;
    const merchantRef = typed ? values[8] || null : null;
    if (
      !/^[1-9]\d{0,15}$/.test(amount) ||
      !bankSerial ||
      !paymentCode ||
      Number.isNaN(Date.parse(confirmedAt)) ||
      (kind !== 'payment' && kind !== 'refund') ||
      (kind === 'refund' && (!originalSerial || !merchantRef))
    )
      throw new AppError('STATEMENT_UNAVAILABLE', `Statement line ${index + 2} is malformed`);
    return { kind, bankSerial, paymentCode, amountFen: Number(amount), confirmedAt, originalSerial, merchantRef };
  });
}
