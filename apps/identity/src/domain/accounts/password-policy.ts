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

/** The rules a password can break, by stable name (pages explain each in the user's language). */
export type PasswordRule = 'too_short' | 'too_long' | 'common' | 'contains_identifier';

const RULE_MESSAGES: Record<PasswordRule, string> = {
  too_short: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  common: 'is one of the most common passwords',
  contains_identifier: 'must not contain your phone number or ID number',
};

export function passwordViolations(
  password: string,
  identifiers: Array<string | null | undefined> = [],
): PasswordRule[] {
  const violations: PasswordRule[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) violations.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) violations.push('too_long');
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) violations.push('common');
  if (
    identifiers.some(
      (identifier) => identifier && identifier.length >= 6 && lower.includes(identifier.toLowerCase().slice(-6)),
    )
  )
    violations.push('contains_identifier');
  return violations;
}

export function passwordIssues(password: string, identifiers: Array<string | null | undefined> = []): ErrorIssue[] {
  return passwordViolations(password, identifiers).map((rule) => ({ path: 'password', message: RULE_MESSAGES[rule] }));
}

/** The rules behind the issues of a WEAK_PASSWORD error (for pages that explain them). */
export function rulesOfIssues(issues: ErrorIssue[] | undefined): PasswordRule[] {
  const byMessage = new Map(Object.entries(RULE_MESSAGES).map(([rule, message]) => [message, rule as PasswordRule]));
  return (issues ?? []).flatMap((issue) => {
    const rule = byMessage.get(issue.message);
    return rule ? [rule] : [];
  });
}
