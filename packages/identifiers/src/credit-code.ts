// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters over a 31-character
// alphabet (digits and capitals without I, O, Z, S, V); the last is a MOD 31 check character.

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The MOD 31 check character for the first 17 characters. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i] ?? '') * (WEIGHTS[i] ?? 0);
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31] ?? '';
}

export type CreditCodeProblem = 'format' | 'check_character';

/** Why a credit code is invalid, or null when it is valid. Positions 3–8 are the 6-digit region code. */
export function creditCodeProblem(value: string): CreditCodeProblem | null {
  if (!SHAPE.test(value)) return 'format';
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) return 'check_character';
  return null;
}

export const isUnifiedSocialCreditCode = (value: string): boolean => creditCodeProblem(value) === null;
