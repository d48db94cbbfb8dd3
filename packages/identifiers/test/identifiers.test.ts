import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_ALPHABET,
  CitizenIdNumber,
  UnifiedSocialCreditCode,
  citizenIdCheckChar,
  citizenIdProblem,
  creditCodeCheckChar,
  creditCodeProblem,
} from '../src/index.ts';

describe('citizen ID number (GB 11643, MOD 11-2)', () => {
  it('accepts published valid numbers, including the X check character', () => {
    expect(citizenIdProblem('11010519491231002X')).toBeNull();
    expect(citizenIdProblem('440524188001010014')).toBeNull();
  });

  it('names what is wrong', () => {
    expect(citizenIdProblem('110105194912310021')).toBe('check_character');
    expect(citizenIdProblem('11010519491331002X')).toBe('birth_date');
    expect(citizenIdProblem('11010519490230002X'.slice(0, 17) + citizenIdCheckChar('11010519490230002'))).toBe(
      'birth_date',
    );
    expect(citizenIdProblem('11010519491231002x')).toBe('format');
    expect(citizenIdProblem('1101051949123100')).toBe('format');
  });

  const first17 = fc
    .record({
      region: fc.integer({ min: 110000, max: 829999 }),
      birth: fc.date({ min: new Date('1900-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
      sequence: fc.integer({ min: 0, max: 999 }),
    })
    .map(
      ({ region, birth, sequence }) =>
        `${region}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(sequence).padStart(3, '0')}`,
    );

  it('accepts every number built with its check character', () => {
    fc.assert(fc.property(first17, (digits) => citizenIdProblem(digits + citizenIdCheckChar(digits)) === null));
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(
        first17,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 9 }),
        (digits, position, shift) => {
          const valid = digits + citizenIdCheckChar(digits);
          const chars = [...valid];
          const old = chars[position] === 'X' ? 10 : Number(chars[position]);
          const replaced = (old + shift) % (position === 17 ? 11 : 10);
          chars[position] = replaced === 10 ? 'X' : String(replaced);
          return citizenIdProblem(chars.join('')) !== null;
        },
      ),
    );
  });
});

describe('unified social credit code (GB 32100, MOD 31)', () => {
  it('accepts published valid codes', () => {
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull();
  });

  it('names what is wrong', () => {
    expect(creditCodeProblem('91350100M000100Y44')).toBe('check_character');
    expect(creditCodeProblem('91350100M000100YI3')).toBe('format');
    expect(creditCodeProblem('91350100m000100Y43')).toBe('format');
  });

  const first17 = fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...CREDIT_CODE_ALPHABET), minLength: 2, maxLength: 2 }),
      fc.integer({ min: 100000, max: 999999 }),
      fc.string({ unit: fc.constantFrom(...CREDIT_CODE_ALPHABET), minLength: 9, maxLength: 9 }),
    )
    .map(([head, region, rest]) => `${head}${region}${rest}`);

  it('accepts every code built with its check character and detects every substitution', () => {
    fc.assert(
      fc.property(
        first17,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 30 }),
        (chars17, position, shift) => {
          const valid = chars17 + creditCodeCheckChar(chars17);
          if (creditCodeProblem(valid) !== null) return false;
          const chars = [...valid];
          chars[position] =
            CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.indexOf(chars[position] ?? '') + shift) % 31] ?? '';
          const changed = chars.join('');
          // Positions 3-8 must stay digits; a letter there is a format error, also a rejection.
          return creditCodeProblem(changed) !== null;
        },
      ),
    );
  });
});

describe('zod schemas', () => {
  it('reject invalid identifiers with a specific message', () => {
    const id = CitizenIdNumber.safeParse('110105194912310021');
    expect(id.success).toBe(false);
    expect(id.error?.issues[0]?.message).toBe('citizen ID number has a wrong check character');
    const code = UnifiedSocialCreditCode.safeParse('91350100M000100Y44');
    expect(code.error?.issues[0]?.message).toBe('unified social credit code has a wrong check character');
    expect(UnifiedSocialCreditCode.parse('91350100M000100Y43')).toBe('91350100M000100Y43');
  });
});
