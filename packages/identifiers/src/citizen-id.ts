// Citizen ID number (居民身份证号码), GB 11643-1999: 6-digit address code, 8-digit birth date,
// 3-digit sequence (odd for men, even for women), and an ISO 7064 MOD 11-2 check character.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^[1-9]\d{16}[\dX]$/;

/** The MOD 11-2 check character for the first 17 digits. */
export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

function isRealDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1800 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getTime() <= Date.now()
  );
}

export type CitizenIdProblem = 'format' | 'birth_date' | 'check_character';

/** Why a citizen ID number is invalid, or null when it is valid. Lower-case `x` is not accepted. */
export function citizenIdProblem(value: string): CitizenIdProblem | null {
  if (!SHAPE.test(value)) return 'format';
  if (!isRealDate(value.slice(6, 14))) return 'birth_date';
  if (citizenIdCheckChar(value.slice(0, 17)) !== value[17]) return 'check_character';
  return null;
}

export const isCitizenIdNumber = (value: string): boolean => citizenIdProblem(value) === null;
