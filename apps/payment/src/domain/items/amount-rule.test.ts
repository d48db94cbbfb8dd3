import fc from 'fast-check';
import { AppError } from '@platform/contracts';
import { describe, expect, it } from 'vitest';
import { lateFeeFen, lineAmountFen } from './amount-rule.ts';

const fen = fc.integer({ min: 1, max: 10_000_000_000_000 });

describe('late fee (3 % per day, capped at the fine)', () => {
  it('computes 3 % of the fine per day, rounded down, and stops at the fine', () => {
    expect(lateFeeFen(20_000, 1, 300)).toBe(600);
    expect(lateFeeFen(20_000, 10, 300)).toBe(6_000);
    expect(lateFeeFen(333, 1, 300)).toBe(9); // 9.99 fen rounds down
    expect(lateFeeFen(20_000, 34, 300)).toBe(20_000); // 102 % capped at 100 %
    expect(lateFeeFen(20_000, 0, 300)).toBe(0);
  });

  it('is an integer, never above the fine, and grows with the days', () => {
    fc.assert(
      fc.property(fen, fc.integer({ min: 0, max: 36_500 }), fc.integer({ min: 1, max: 10_000 }), (p, days, bp) => {
        const fee = lateFeeFen(p, days, bp);
        expect(Number.isSafeInteger(fee)).toBe(true);
        expect(fee).toBeGreaterThanOrEqual(0);
        expect(fee).toBeLessThanOrEqual(p);
        expect(lateFeeFen(p, days + 1, bp)).toBeGreaterThanOrEqual(fee);
      }),
    );
  });
});

describe('line amounts under each rule', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof AppError ? error.code : 'other';
    }
    return 'none';
  };

  it('takes a fixed amount and refuses any other', () => {
    expect(lineAmountFen({ kind: 'fixed', amountFen: 5_000 }, { itemCode: 'A' })).toBe(5_000);
    expect(lineAmountFen({ kind: 'fixed', amountFen: 5_000 }, { itemCode: 'A', amountFen: 5_000 })).toBe(5_000);
    expect(code(() => lineAmountFen({ kind: 'fixed', amountFen: 5_000 }, { itemCode: 'A', amountFen: 4_999 }))).toBe(
      'AMOUNT_RULE_VIOLATED',
    );
  });

  it('accepts exactly the amounts inside a range', () => {
    fc.assert(
      fc.property(fen, fen, fen, (a, b, amount) => {
        const [minFen, maxFen] = a <= b ? [a, b] : [b, a];
        const inside = amount >= minFen && amount <= maxFen;
        const outcome = code(() =>
          lineAmountFen({ kind: 'range', minFen, maxFen }, { itemCode: 'R', amountFen: amount }),
        );
        expect(outcome).toBe(inside ? 'none' : 'AMOUNT_RULE_VIOLATED');
      }),
    );
    expect(code(() => lineAmountFen({ kind: 'range', minFen: 1, maxFen: 9 }, { itemCode: 'R' }))).toBe(
      'AMOUNT_RULE_VIOLATED',
    );
  });

  it('computes late fees from the basis and checks a stated amount against it', () => {
    const rule = { kind: 'late_fee', dailyRateBasisPoints: 300 } as const;
    expect(lineAmountFen(rule, { itemCode: 'L', basis: { principalFen: 20_000, days: 5 } })).toBe(3_000);
    expect(
      code(() => lineAmountFen(rule, { itemCode: 'L', basis: { principalFen: 20_000, days: 5 }, amountFen: 3_001 })),
    ).toBe('AMOUNT_RULE_VIOLATED');
    expect(code(() => lineAmountFen(rule, { itemCode: 'L' }))).toBe('AMOUNT_RULE_VIOLATED');
    expect(code(() => lineAmountFen(rule, { itemCode: 'L', basis: { principalFen: 20_000, days: 0 } }))).toBe(
      'AMOUNT_RULE_VIOLATED',
    );
  });
});
