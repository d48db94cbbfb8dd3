// Working-day deadlines (DOMAIN.md: the unit verifies within 10 working days, 5 when it found the
// error itself; finance approves within 10; payment within 10). Days are counted in China
// Standard Time (UTC+8, no daylight saving), skipping Saturdays, Sundays and listed holidays.
const CST_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 86_400_000;

/** `from` plus `days` working days, at the same time of day. Holidays are CST dates YYYY-MM-DD. */
export function addWorkingDays(from: Date, days: number, holidays: ReadonlySet<string> = new Set()): Date {
  let local = from.getTime() + CST_OFFSET_MS;
  let left = days;
  while (left > 0) {
    local += DAY_MS;
    const date = new Date(local);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(date.toISOString().slice(0, 10))) left--;
  }
  return new Date(local - CST_OFFSET_MS);
}

export const REFUND_DEADLINES = { review: 10, reviewWhenUnitFoundError: 5, approval: 10, payment: 10 } as const;
