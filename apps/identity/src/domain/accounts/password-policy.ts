// Password rules after OWASP ASVS 5.0 §6.2: length (8–128), no composition rules, refuse the most
// common passwords and passwords built from the account's own identifiers.
import type { ErrorIssue } from '@platform/contracts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// The head of public breach-frequency lists (plus local favourites); a real deployment can swap in
// a larger list behind the same function.
const COMMON_PASSWORDS = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '11111111',
  '88888888',
  '66666666',
  '00000000',
  '12341234',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwertyui',
  'qwerty123',
  '1qaz2wsx',
  'abc12345',
  'abcd1234',
  'a1234567',
  'aa123456',
  'iloveyou',
  'woaini1314',
  '5201314520',
  '1314520520',
  'zxcvbnm123',
  'qwe123456',
  'admin123',
  'admin1234',
  '123qweasd',
  'asdfghjkl',
  '147258369',
  '987654321',
  '12344321',
]);

export function passwordIssues(password: string, identifiers: Array<string | null | undefined> = []): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    issues.push({ path: 'password', message: `must be at least ${PASSWORD_MIN_LENGTH} characters` });
  if (length > PASSWORD_MAX_LENGTH)
    issues.push({ path: 'password', message: `must be at most ${PASSWORD_MAX_LENGTH} characters` });
  if (COMMON_PASSWORDS.has(password.toLowerCase()))
    issues.push({ path: 'password', message: 'is one of the most common passwords' });
  const lower = password.toLowerCase();
  for (const identifier of identifiers)
    if (identifier && identifier.length >= 6 && lower.includes(identifier.toLowerCase().slice(-6)))
      issues.push({ path: 'password', message: 'must not contain your phone number or ID number' });
  return issues;
}
