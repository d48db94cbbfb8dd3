import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_ALPHABET,
  LICENSE_CHECK_ALPHABET,
  LicenseIdentifier,
  creditCodeCheckChar,
  formatLicenseIdentifier,
  licenseIdentifierProblem,
  mod3736CheckChar,
  parseLicenseIdentifier,
} from '../src/index.ts';

// The published example from a provincial platform (see DOMAIN.md); it checks under the pinned
// mapping (A = 10) when the check covers the segments after the 1.2.156.3005.2 prefix.
const REAL_EXAMPLE = '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U';

/** ISO 7064 hybrid validation, written independently of the generator: a string followed by its
 *  check character leaves the running sum at 1 after the last character. */
function validatesAsHybrid(withCheck: string): boolean {
  let product = 36;
  let sum = 0;
  for (const char of withCheck) {
    sum = (product + LICENSE_CHECK_ALPHABET.indexOf(char)) % 36;
    product = ((sum === 0 ? 36 : sum) * 2) % 37;
  }
  return sum === 1;
}

describe('ISO 7064 MOD 37,36', () => {
  it('computes check characters that validate as a hybrid system, for fixed vectors', () => {
    expect(mod3736CheckChar('11100000000013338W01111430000006122244L20230000403001')).toBe('U');
    // The same digits over the whole identifier including the OID prefix give another character:
    // documented so that nobody "fixes" the mapping to match the other reading.
    expect(mod3736CheckChar('121563005211100000000013338W01111430000006122244L20230000403001')).toBe('7');
    // By hand: p = 36; s = (36 + 0) mod 36 = 0 → 36; p = 72 mod 37 = 35; check = (37 − 35) mod 36 = 2.
    expect(mod3736CheckChar('0')).toBe('2');
    for (const data of ['0', 'A', 'Z', '123456789', 'ABCDEFXYZ'])
      expect(validatesAsHybrid(data + mod3736CheckChar(data))).toBe(true);
  });

  it('rejects characters outside 0-9A-Z', () => {
    expect(() => mod3736CheckChar('abc')).toThrow(RangeError);
    expect(() => mod3736CheckChar('1.2')).toThrow(RangeError);
  });

  const data = fc.string({ unit: fc.constantFrom(...LICENSE_CHECK_ALPHABET), minLength: 1, maxLength: 80 });

  it('always yields a character that validates (property)', () => {
    fc.assert(fc.property(data, (value) => validatesAsHybrid(value + mod3736CheckChar(value))));
  });

  it('detects every single-character substitution (property)', () => {
    fc.assert(
      fc.property(data, fc.nat(), fc.integer({ min: 1, max: 35 }), (value, at, shift) => {
        const full = value + mod3736CheckChar(value);
        const position = at % full.length;
        const chars = [...full];
        chars[position] =
          LICENSE_CHECK_ALPHABET[(LICENSE_CHECK_ALPHABET.indexOf(chars[position] ?? '') + shift) % 36] ?? '';
        return !validatesAsHybrid(chars.join(''));
      }),
    );
  });
});

describe('GB/T 36904 license identifier', () => {
  it('accepts the real example and parses its parts', () => {
    expect(licenseIdentifierProblem(REAL_EXAMPLE)).toBeNull();
    expect(parseLicenseIdentifier(REAL_EXAMPLE)).toEqual({
      typeCode: '11100000000013338W011',
      issuerCode: '11430000006122244L',
      serial: '20230000403',
      version: 1,
    });
    expect(
      formatLicenseIdentifier({
        typeCode: '11100000000013338W011',
        issuerCode: '11430000006122244L',
        serial: '20230000403',
        version: 1,
      }),
    ).toBe(REAL_EXAMPLE);
  });

  it('names what is wrong with a bad identifier', () => {
    expect(licenseIdentifierProblem(REAL_EXAMPLE.replace(/U$/, 'V'))).toBe('check_character');
    expect(licenseIdentifierProblem(REAL_EXAMPLE.replace('.001.', '.002.'))).toBe('check_character');
    expect(licenseIdentifierProblem(REAL_EXAMPLE.replace('1.2.156.3005.2', '1.2.156.3005.3'))).toBe('prefix');
    expect(licenseIdentifierProblem(REAL_EXAMPLE.replace('W011', 'W0111'))).toBe('type_code');
    expect(licenseIdentifierProblem(REAL_EXAMPLE.replace('244L', '244I'))).toBe('issuer_code');
    expect(licenseIdentifierProblem(REAL_EXAMPLE.replace('20230000403', '2023.0000403'))).toBe('format');
    expect(licenseIdentifierProblem(REAL_EXAMPLE.replace('20230000403', 'abc'))).toBe('serial');
    expect(licenseIdentifierProblem(REAL_EXAMPLE.replace('.001.', '.000.'))).toBe('version');
    expect(licenseIdentifierProblem(REAL_EXAMPLE.toLowerCase())).toBe('type_code');
    expect(licenseIdentifierProblem('')).toBe('prefix');
  });

  it('gives a zod error with a clear message', () => {
    const result = LicenseIdentifier.safeParse(REAL_EXAMPLE.replace(/U$/, '0'));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('license identifier has a wrong check character');
    expect(LicenseIdentifier.parse(REAL_EXAMPLE)).toBe(REAL_EXAMPLE);
  });

  it('refuses to format parts that cannot form an identifier', () => {
    const good = { typeCode: '11100000000013338W011', issuerCode: '11430000006122244L', serial: '1', version: 1 };
    expect(() => formatLicenseIdentifier({ ...good, typeCode: '111' })).toThrow(RangeError);
    expect(() => formatLicenseIdentifier({ ...good, issuerCode: '1143000000612224IL' })).toThrow(RangeError);
    expect(() => formatLicenseIdentifier({ ...good, serial: '' })).toThrow(RangeError);
    expect(() => formatLicenseIdentifier({ ...good, version: 0 })).toThrow(RangeError);
    expect(() => formatLicenseIdentifier({ ...good, version: 1000 })).toThrow(RangeError);
  });

  const creditCode = fc
    .string({ unit: fc.constantFrom(...CREDIT_CODE_ALPHABET), minLength: 17, maxLength: 17 })
    .map((first17) => first17 + creditCodeCheckChar(first17));
  const parts = fc.record({
    typeCode: fc
      .tuple(creditCode, fc.integer({ min: 0, max: 999 }))
      .map(([code, n]) => code + String(n).padStart(3, '0')),
    issuerCode: creditCode,
    serial: fc.string({ unit: fc.constantFrom(...LICENSE_CHECK_ALPHABET), minLength: 1, maxLength: 64 }),
    version: fc.integer({ min: 1, max: 999 }),
  });

  it('round-trips every well-formed set of parts (property)', () => {
    fc.assert(
      fc.property(parts, (value) => {
        const identifier = formatLicenseIdentifier(value);
        return (
          licenseIdentifierProblem(identifier) === null &&
          JSON.stringify(parseLicenseIdentifier(identifier)) === JSON.stringify(value)
        );
      }),
    );
  });

  it('rejects every identifier with one checked character changed (property)', () => {
    fc.assert(
      fc.property(parts, fc.nat(), fc.integer({ min: 1, max: 35 }), (value, at, shift) => {
        const identifier = formatLicenseIdentifier(value);
        const start = '1.2.156.3005.2.'.length;
        // Positions of checked characters and the check character itself (dots excluded).
        const positions = [...identifier].flatMap((char, index) => (index >= start && char !== '.' ? [index] : []));
        const position = positions[at % positions.length] ?? start;
        const chars = [...identifier];
        chars[position] =
          LICENSE_CHECK_ALPHABET[(LICENSE_CHECK_ALPHABET.indexOf(chars[position] ?? '') + shift) % 36] ?? '';
        return licenseIdentifierProblem(chars.join('')) !== null;
      }),
    );
  });
});
