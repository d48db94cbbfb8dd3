import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingDays } from './working-days.ts';

describe('working days (China Standard Time)', () => {
  it('skips weekends: Friday + 1 working day is Monday', () => {
    // Friday 2026-11-20 10:00 CST = 02:00 UTC.
    expect(addWorkingDays(new Date('2026-11-20T02:00:00Z'), 1).toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(addWorkingDays(new Date('2026-11-20T02:00:00Z'), 10).toISOString()).toBe('2026-12-04T02:00:00.000Z');
  });

  it('counts the weekday in CST, not UTC: Friday 23:00 UTC is already Saturday in China', () => {
    // Saturday 07:00 CST + 1 working day = Monday 07:00 CST = Sunday 23:00 UTC.
    expect(addWorkingDays(new Date('2026-11-20T23:00:00Z'), 1).toISOString()).toBe('2026-11-22T23:00:00.000Z');
    // Whereas Friday 15:00 UTC (23:00 CST, still Friday) + 1 is Monday 23:00 CST.
    expect(addWorkingDays(new Date('2026-11-20T15:00:00Z'), 1).toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });

  it('skips listed holidays', () => {
    const holidays = new Set(['2026-11-23']);
    expect(addWorkingDays(new Date('2026-11-20T02:00:00Z'), 1, holidays).toISOString()).toBe(
      '2026-11-24T02:00:00.000Z',
    );
  });

  it('never lands on a weekend and n working days span at least n and at most 2n+2 calendar days', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 30 }),
        (from, n) => {
          const due = addWorkingDays(from, n);
          const weekday = new Date(due.getTime() + 8 * 3600_000).getUTCDay();
          expect(weekday).not.toBe(0);
          expect(weekday).not.toBe(6);
          const days = (due.getTime() - from.getTime()) / 86_400_000;
          expect(days).toBeGreaterThanOrEqual(n);
          expect(days).toBeLessThanOrEqual(2 * n + 2);
        },
      ),
    );
  });
});
