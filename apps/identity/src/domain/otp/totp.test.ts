import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp } from './totp.ts';

// RFC 6238 Appendix B (SHA-1 seed "12345678901234567890", 8 digits) and RFC 4226 Appendix D.
const SEED = Buffer.from('12345678901234567890');

describe('TOTP (RFC 6238) and HOTP (RFC 4226)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC 6238 vector at T=%i', (seconds, expected) => {
    expect(hotp(SEED, BigInt(Math.floor(seconds / 30)), 8)).toBe(expected);
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotp(SEED, BigInt(counter)))).toEqual(expected);
  });

  it('accepts the neighbouring steps only (±30 s of drift)', () => {
    const at = new Date(1_700_000_000_000);
    const step = BigInt(Math.floor(at.getTime() / 30_000));
    expect(matchTotp(SEED, hotp(SEED, step - 1n), at)).toBe(step - 1n);
    expect(matchTotp(SEED, hotp(SEED, step + 1n), at)).toBe(step + 1n);
    expect(matchTotp(SEED, hotp(SEED, step - 2n), at)).toBeUndefined();
    expect(matchTotp(SEED, 'abcdef', at)).toBeUndefined();
  });

  it('round-trips base32 (RFC 4648)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
  });
});
