import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_STATUS_LIST_ENTRIES,
  createBitstring,
  decodeBitstring,
  encodeBitstring,
  getBit,
  setBit,
} from '../src/index.ts';

describe('Bitstring Status List encoding', () => {
  it('numbers bits from the most significant bit of the first byte (W3C)', () => {
    const bits = createBitstring();
    setBit(bits, 0, true);
    setBit(bits, 9, true);
    expect([bits[0], bits[1]]).toEqual([0b1000_0000, 0b0100_0000]);
    expect(encodeBitstring(bits).startsWith('u')).toBe(true);
  });

  it('refuses lists below the minimum size and indexes outside the list', () => {
    expect(() => createBitstring(1024)).toThrow(RangeError);
    expect(() => getBit(createBitstring(), MIN_STATUS_LIST_ENTRIES)).toThrow(RangeError);
    expect(() => decodeBitstring('zabc')).toThrow('multibase');
  });

  it('round-trips any set of set bits through gzip + base64url, touching no other bit (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: MIN_STATUS_LIST_ENTRIES - 1 }), { maxLength: 200 }),
        (indexes) => {
          const bits = createBitstring();
          for (const index of indexes) setBit(bits, index, true);
          const decoded = decodeBitstring(encodeBitstring(bits));
          const set = new Set(indexes);
          for (const index of indexes) if (!getBit(decoded, index)) return false;
          // Spot-check the rest: count of set bits equals the number set.
          let count = 0;
          for (const byte of decoded) for (let b = byte; b; b &= b - 1) count++;
          return count === set.size;
        },
      ),
      { numRuns: 50 },
    );
  });

  it('clearing a bit undoes setting it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MIN_STATUS_LIST_ENTRIES - 1 }), (index) => {
        const bits = createBitstring();
        setBit(bits, index, true);
        setBit(bits, index, false);
        return bits.every((byte) => byte === 0);
      }),
    );
  });
});
