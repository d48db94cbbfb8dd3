import { describe, expect, it } from 'vitest';
import { passwordIssues, passwordViolations, rulesOfIssues } from './password-policy.ts';

describe('password rules (ASVS 5.0 §6.2)', () => {
  it('accepts long passphrases of any composition, including Chinese characters', () => {
    expect(passwordIssues('correct horse battery staple')).toEqual([]);
    expect(passwordIssues('我的密码很长很安全')).toEqual([]);
  });

  it('refuses short, very long and common passwords and ones containing the phone or ID number', () => {
    expect(passwordIssues('short1!')).toHaveLength(1);
    expect(passwordIssues('x'.repeat(129))).toHaveLength(1);
    expect(passwordIssues('Password123')).toEqual([
      { path: 'password', message: 'is one of the most common passwords' },
    ]);
    expect(passwordIssues('my-phone-is-12345678', ['13912345678'])).toHaveLength(1);
  });

  it('names each broken rule, and the issues of an error map back to the same rules', () => {
    const cases: Array<[string, string[]]> = [
      ['short', []],
      ['12345678', []],
      ['abc-12345678-xyz', ['13912345678']],
      ['x'.repeat(129), []],
    ];
    for (const [password, identifiers] of cases)
      expect(rulesOfIssues(passwordIssues(password, identifiers))).toEqual(passwordViolations(password, identifiers));
    expect(passwordViolations('short')).toEqual(['too_short']);
    expect(passwordViolations('abc-12345678-xyz', ['13912345678'])).toEqual(['contains_identifier']);
  });
});
