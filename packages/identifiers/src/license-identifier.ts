// E-license identifier (电子证照标识), GB/T 36904, as implemented by provincial license platforms:
//   1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>
// type code: 21 chars (the defining department's 18-char credit code + a 3-digit sequence);
// issuer code: the issuing body's 18-char unified social credit code; serial: 1–64 characters of
// 0-9A-Z; version: 3 digits ("001" for the first issue, incremented on replacement); check: one
// ISO 7064 MOD 37,36 character.
//
// Letter mapping (implementations disagree, so it is pinned here): the standard hybrid system over
// the alphabet 0-9A-Z with 0..9 = 0..9 and A = 10, B = 11, … Z = 35; the check character is taken
// from the same alphabet. The check covers the segments AFTER the fixed OID prefix 1.2.156.3005.2
// (type code + issuer code + serial + version), concatenated without dots. Under this mapping the
// real example 1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U checks
// (check character U); over all segments including the prefix it would be 7, so that reading of
// "the segments without dots" is not what the issuer of that example did.

import { z } from 'zod';

export const LICENSE_IDENTIFIER_PREFIX = '1.2.156.3005.2';
export const LICENSE_CHECK_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MODULUS = 36;

const TYPE_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}\d{3}$/;
const ISSUER_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const SERIAL = /^[0-9A-Z]{1,64}$/;
const VERSION = /^\d{3}$/;

/** ISO 7064 MOD 37,36 (hybrid system) check character of a string over 0-9A-Z. */
export function mod3736CheckChar(data: string): string {
  let product = MODULUS;
  for (const char of data) {
    const value = LICENSE_CHECK_ALPHABET.indexOf(char);
    if (value < 0) throw new RangeError(`"${char}" is not in the MOD 37,36 alphabet 0-9A-Z`);
    let sum = (product + value) % MODULUS;
    if (sum === 0) sum = MODULUS;
    product = (sum * 2) % (MODULUS + 1);
  }
  return LICENSE_CHECK_ALPHABET[(MODULUS + 1 - product) % MODULUS] ?? '';
}

export interface LicenseIdentifierParts {
  /** GB/T 36904 type code, 21 characters. */
  typeCode: string;
  /** Issuing body's unified social credit code. */
  issuerCode: string;
  serial: string;
  /** 1 for the first issue; `001` in the identifier. */
  version: number;
}

export type LicenseIdentifierProblem =
  'format' | 'prefix' | 'type_code' | 'issuer_code' | 'serial' | 'version' | 'check_character';

function checkedPayload(parts: { typeCode: string; issuerCode: string; serial: string; version: string }): string {
  return `${parts.typeCode}${parts.issuerCode}${parts.serial}${parts.version}`;
}

/** Builds the identifier with its check character; throws on parts that cannot form one. */
export function formatLicenseIdentifier(parts: LicenseIdentifierParts): string {
  const version = String(parts.version).padStart(3, '0');
  if (!TYPE_CODE.test(parts.typeCode)) throw new RangeError('type code must be 18 credit-code characters + 3 digits');
  if (!ISSUER_CODE.test(parts.issuerCode)) throw new RangeError('issuer code must be an 18-character credit code');
  if (!SERIAL.test(parts.serial)) throw new RangeError('serial must be 1–64 characters of 0-9A-Z');
  if (!Number.isInteger(parts.version) || parts.version < 1 || parts.version > 999 || !VERSION.test(version))
    throw new RangeError('version must be an integer 1–999');
  const check = mod3736CheckChar(checkedPayload({ ...parts, version }));
  return `${LICENSE_IDENTIFIER_PREFIX}.${parts.typeCode}.${parts.issuerCode}.${parts.serial}.${version}.${check}`;
}

/** Why the identifier is invalid, or null when it is valid. */
export function licenseIdentifierProblem(value: string): LicenseIdentifierProblem | null {
  if (typeof value !== 'string' || value.length > 200) return 'format';
  if (!value.startsWith(`${LICENSE_IDENTIFIER_PREFIX}.`)) return 'prefix';
  const segments = value.slice(LICENSE_IDENTIFIER_PREFIX.length + 1).split('.');
  if (segments.length !== 5) return 'format';
  const [typeCode = '', issuerCode = '', serial = '', version = '', check = ''] = segments;
  if (!TYPE_CODE.test(typeCode)) return 'type_code';
  if (!ISSUER_CODE.test(issuerCode)) return 'issuer_code';
  if (!SERIAL.test(serial)) return 'serial';
  if (!VERSION.test(version) || version === '000') return 'version';
  if (!/^[0-9A-Z]$/.test(check)) return 'format';
  if (mod3736CheckChar(checkedPayload({ typeCode, issuerCode, serial, version })) !== check) return 'check_character';
  return null;
}

export const isLicenseIdentifier = (value: string): boolean => licenseIdentifierProblem(value) === null;

/** The parts of a valid identifier, or null when it is invalid. */
export function parseLicenseIdentifier(value: string): LicenseIdentifierParts | null {
  if (licenseIdentifierProblem(value) !== null) return null;
  const [typeCode = '', issuerCode = '', serial = '', version = ''] = value
    .slice(LICENSE_IDENTIFIER_PREFIX.length + 1)
    .split('.');
  return { typeCode, issuerCode, serial, version: Number(version) };
}

const PROBLEM_MESSAGES: Record<LicenseIdentifierProblem, string> = {
  format: 'has the wrong format',
  prefix: `does not start with ${LICENSE_IDENTIFIER_PREFIX}`,
  type_code: 'has a malformed type code',
  issuer_code: 'has a malformed issuer code',
  serial: 'has a malformed serial',
  version: 'has a malformed version',
  check_character: 'has a wrong check character',
};

/** zod schema for the edges: a GB/T 36904 license identifier with a correct check character. */
export const LicenseIdentifier = z
  .string()
  .superRefine((value, ctx) => {
    const problem = licenseIdentifierProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `license identifier ${PROBLEM_MESSAGES[problem]}` });
  })
  .describe('GB/T 36904 e-license identifier with its ISO 7064 MOD 37,36 check character');
