import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statusAt, usableAt, type SealHistory, type SealLifecycleStatus } from './seal-status.ts';

const history = (events: Array<[SealLifecycleStatus, string]>): SealHistory => ({
  id: 's',
  name: 'n',
  orgName: 'o',
  orgCode: 'c',
  kind: 'official',
  status: events.at(-1)![0],
  validFrom: null,
  validUntil: null,
  events: events.map(([toStatus, at]) => ({ toStatus, at: new Date(at) })),
});

describe('seal status at a past instant', () => {
  const seal = history([
    ['applied', '2026-01-01T00:00:00.000Z'],
    ['active', '2026-01-02T10:00:00.700Z'],
    ['lost', '2026-03-01T08:00:00.400Z'],
  ]);

  it('replays the events up to that second', () => {
    expect(statusAt(seal, new Date('2025-12-31T00:00:00Z'))).toBeUndefined();
    expect(statusAt(seal, new Date('2026-01-02T09:59:59Z'))).toBe('applied');
    // Activated within the second a timestamp names: active for it.
    expect(statusAt(seal, new Date('2026-01-02T10:00:00Z'))).toBe('active');
    // Lost within the second: lost for it (the safe side).
    expect(statusAt(seal, new Date('2026-03-01T08:00:00Z'))).toBe('lost');
    expect(usableAt(seal, new Date('2026-02-01T00:00:00Z'))).toBe(true);
    expect(usableAt(seal, new Date('2026-03-02T00:00:00Z'))).toBe(false);
  });

  it('counts a seal made and used within one second as valid for that second’s timestamp', () => {
    const fresh = { ...seal, validFrom: new Date('2026-01-02T10:00:00.600Z') };
    expect(usableAt(fresh, new Date('2026-01-02T10:00:00Z'))).toBe(true);
    expect(usableAt(fresh, new Date('2026-01-02T09:59:59Z'))).toBe(false);
  });

  it('does not depend on the order events are listed in', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(seal.events, { minLength: 3, maxLength: 3 }),
        fc.date({ noInvalidDate: true }),
        (events, at) => {
          expect(statusAt({ ...seal, events }, at)).toBe(statusAt(seal, at));
        },
      ),
    );
  });
});
