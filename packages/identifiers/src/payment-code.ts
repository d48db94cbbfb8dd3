// Payment code (缴款码), the 20 digits printed on a payment notice:
//   DDDDDD YY TT SSSSSSSSS C
//   6-digit district (administrative division code), 2-digit year, 2-digit type (item category),
//   9-digit sequence, and 1 check digit.
// The check digit is the Damm algorithm (a totally anti-symmetric quasigroup of order 10) over the
// first 19 digits. It was chosen over Luhn and ISO 7064 MOD 11,10 because it catches every
// single-digit error AND every transposition of adjacent digits (Luhn misses 09↔90, MOD 11,10
// misses some transpositions), which are the mistakes people make typing a code at a counter, and
// it needs no extra check character outside 0–9.
import { z } from 'zod';

export interface PaymentCodeParts {
  /** 6-digit administrative division code, e.g. 370100. */
  district: string;
  /** Two-digit year, e.g. 26 for 2026. */
  year: string;
  /** Two-digit notice type (the item category). */
  type: string;
  /** Sequence number, 0 … 999 999 999. */
  sequence: number;
}

export type PaymentCodeProblem = 'format' | 'check_digit';

const SHAPE = /^\d{20}$/;

// Damm's quasigroup table (H. M. Damm, 2004), row = interim digit, column = next digit.
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

/** Damm check digit of a string of decimal digits (appending it makes the Damm sum 0). */
export function dammCheckDigit(digits: string): string {
  let interim = 0;
  for (const char of digits) interim = DAMM[interim]?.[Number(char)] ?? 0;
  return String(interim);
}

export function formatPaymentCode(parts: PaymentCodeParts): string {
  if (!/^\d{6}$/.test(parts.district)) throw new RangeError('district must be 6 digits');
  if (!/^\d{2}$/.test(parts.year)) throw new RangeError('year must be 2 digits');
  if (!/^\d{2}$/.test(parts.type)) throw new RangeError('type must be 2 digits');
  if (!Number.isSafeInteger(parts.sequence) || parts.sequence < 0 || parts.sequence > 999_999_999)
    throw new RangeError('sequence must be an integer in 0 … 999 999 999');
  const body = `${parts.district}${parts.year}${parts.type}${String(parts.sequence).padStart(9, '0')}`;
  return body + dammCheckDigit(body);
}

/** Why a payment code is invalid, or null when it is valid. */
export function paymentCodeProblem(value: string): PaymentCodeProblem | null {
  if (!SHAPE.test(value)) return 'format';
  if (dammCheckDigit(value.slice(0, 19)) !== value[19]) return 'check_digit';
  return null;
}

export const isPaymentCode = (value: string): boolean => paymentCodeProblem(value) === null;

export function parsePaymentCode(value: string): PaymentCodeParts | null {
  if (!isPaymentCode(value)) return null;
  return {
    district: value.slice(0, 6),
    year: value.slice(6, 8),
    type: value.slice(8, 10),
    sequence: Number(value.slice(10, 19)),
  };
}

export const PaymentCode = z
  .string()
  .superRefine((value, ctx) => {
    const problem = paymentCodeProblem(value);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        message: problem === 'format' ? 'payment code must be 20 digits' : 'payment code has a wrong check digit',
      });
  })
  .describe('20-digit payment code: district(6) year(2) type(2) sequence(9) Damm check digit(1)');
