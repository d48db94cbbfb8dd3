import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PaymentCode,
  formatPaymentCode,
  isPaymentCode,
  dammCheckDigit,
  parsePaymentCode,
  paymentCodeProblem,
} from '../src/index.ts';

const digits = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

const parts = fc.record({
  district: digits(6),
  year: digits(2),
  type: digits(2),
  sequence: fc.integer({ min: 0, max: 999_999_999 }),
});

describe('payment code (20 digits, Damm check digit)', () => {
  it('computes the published Damm check digit', () => {
    // The worked example of Damm's algorithm: 572 → 4.
    expect(dammCheckDigit('572')).toBe('4');
    expect(dammCheckDigit('5724')).toBe('0');
    expect(formatPaymentCode({ district: '370102', year: '26', type: '01', sequence: 1 })).toBe(
      '3701022601000000001' + dammCheckDigit('3701022601000000001'),
    );
  });

  it('formats, validates and parses back every code it makes', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const code = formatPaymentCode(p);
        expect(code).toMatch(/^\d{20}$/);
        expect(paymentCodeProblem(code)).toBeNull();
        expect(parsePaymentCode(code)).toEqual(p);
        expect(PaymentCode.safeParse(code).success).toBe(true);
      }),
    );
  });

  it('detects every single-digit error', () => {
    fc.assert(
      fc.property(parts, fc.integer({ min: 0, max: 19 }), fc.integer({ min: 1, max: 9 }), (p, position, delta) => {
        const code = formatPaymentCode(p);
        const changed = (Number(code[position]) + delta) % 10;
        const wrong = code.slice(0, position) + String(changed) + code.slice(position + 1);
        expect(paymentCodeProblem(wrong)).toBe('check_digit');
      }),
    );
  });

  it('detects every transposition of two different adjacent digits', () => {
    fc.assert(
      fc.property(parts, fc.integer({ min: 0, max: 18 }), (p, position) => {
        const code = formatPaymentCode(p);
        const a = code[position] ?? '';
        const b = code[position + 1] ?? '';
        fc.pre(a !== b);
        const swapped = code.slice(0, position) + b + a + code.slice(position + 2);
        expect(isPaymentCode(swapped)).toBe(false);
      }),
    );
  });

  it('rejects anything that is not exactly 20 digits, with a reason', () => {
    expect(paymentCodeProblem('3701022601000000001')).toBe('format');
    expect(paymentCodeProblem('370102260100000000012')).toBe('format');
    expect(paymentCodeProblem('37010226010000000A01')).toBe('format');
    const valid = formatPaymentCode({ district: '370102', year: '26', type: '01', sequence: 42 });
    const wrong = valid.slice(0, 19) + String((Number(valid[19]) + 1) % 10);
    const result = PaymentCode.safeParse(wrong);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('payment code has a wrong check digit');
  });

  it('refuses to format parts outside the layout', () => {
    expect(() => formatPaymentCode({ district: '37010', year: '26', type: '01', sequence: 1 })).toThrow(RangeError);
    expect(() => formatPaymentCode({ district: '370102', year: '26', type: '01', sequence: 1e9 })).toThrow(RangeError);
    expect(() => formatPaymentCode({ district: '370102', year: '26', type: '01', sequence: 1.5 })).toThrow(RangeError);
  });
});
