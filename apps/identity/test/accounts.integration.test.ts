// Accounts: registration with SMS codes, password rules and hashing, reset and change, TOTP,
// and trust levels raised through the registry and face-check adapters.
import { errorBodyOf } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevelopmentFaceCheck } from '../src/domain/trust/face-check.ts';
import { DevelopmentRegistry } from '../src/domain/trust/registry.ts';
import { base32Decode, hotp, totpStep } from '../src/domain/otp/totp.ts';
import {
  api,
  citizenId,
  codeIn,
  lastSms,
  PASSWORD,
  phoneNumber,
  registerUser,
  startIdentity,
  type TestIdentity,
} from './support/identity.ts';
import { userTokens } from './support/flows.ts';

async function failureCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return errorBodyOf(error)?.code;
  }
  throw new Error('expected the call to fail');
}

describe('accounts', () => {
  let identity: TestIdentity;
  const registry = new DevelopmentRegistry();

  beforeAll(async () => {
    identity = await startIdentity({ core: { registry } });
  });
  afterAll(() => identity?.close());

  const requestCode = async (phone: string, purpose: 'register' | 'login' | 'reset_password' = 'register') => {
    await api(identity).account.requestSmsCode.mutate({ phone, purpose });
    return codeIn(await lastSms(identity, phone));
  };

  it('registers a natural person with an SMS code, hashing the password with argon2id (OWASP parameters)', async () => {
    const phone = phoneNumber();
    const subjectId = citizenId();
    const smsCode = await requestCode(phone);
    const account = await api(identity).account.register.mutate({
      kind: 'natural_person',
      subjectId,
      name: '李四',
      phone,
      smsCode,
      password: PASSWORD,
    });
    expect(account).toMatchObject({
      kind: 'natural_person',
      subjectId,
      name: '李四',
      phone,
      status: 'active',
      trustLevel: 1,
      totpEnabled: false,
    });
    const stored = await identity.core.repositories.accounts.findById(account.id);
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('accepts an SMS code once only', async () => {
    const phone = phoneNumber();
    const smsCode = await requestCode(phone);
    const input = {
      kind: 'natural_person' as const,
      subjectId: citizenId(),
      name: '王五',
      phone,
      smsCode,
      password: PASSWORD,
    };
    await api(identity).account.register.mutate(input);
    expect(await failureCode(api(identity).account.register.mutate({ ...input, subjectId: citizenId() }))).toBe(
      'INVALID_SMS_CODE',
    );
  });

  it('refuses an SMS code after its lifetime (5 minutes by default, never more than 10)', async () => {
    const phone = phoneNumber();
    const smsCode = await requestCode(phone);
    identity.clock.advanceSeconds(identity.env.OTP_TTL_SECONDS + 1);
    expect(
      await failureCode(
        api(identity).account.register.mutate({
          kind: 'natural_person',
          subjectId: citizenId(),
          name: '赵六',
          phone,
          smsCode,
          password: PASSWORD,
        }),
      ),
    ).toBe('INVALID_SMS_CODE');
    expect(identity.env.OTP_TTL_SECONDS).toBeLessThanOrEqual(600);
  });

  it('burns a code after five wrong guesses, even if the sixth is right', async () => {
    const phone = phoneNumber();
    const smsCode = await requestCode(phone);
    const wrong = smsCode === '000000' ? '111111' : '000000';
    const input = { kind: 'natural_person' as const, subjectId: citizenId(), name: '钱七', phone, password: PASSWORD };
    for (let i = 0; i < 5; i += 1)
      expect(await failureCode(api(identity).account.register.mutate({ ...input, smsCode: wrong }))).toBe(
        'INVALID_SMS_CODE',
      );
    expect(await failureCode(api(identity).account.register.mutate({ ...input, smsCode }))).toBe('INVALID_SMS_CODE');
  });

  it('limits SMS codes to one per phone per minute', async () => {
    const phone = phoneNumber();
    await requestCode(phone);
    expect(await failureCode(api(identity).account.requestSmsCode.mutate({ phone, purpose: 'register' }))).toBe(
      'RATE_LIMITED',
    );
    identity.clock.advanceSeconds(61);
    await expect(api(identity).account.requestSmsCode.mutate({ phone, purpose: 'register' })).resolves.toMatchObject({
      sent: true,
    });
  });

  it('answers a registered phone the same way, sending a notice instead of a code', async () => {
    const user = await registerUser(identity);
    const answer = await api(identity).account.requestSmsCode.mutate({ phone: user.phone, purpose: 'register' });
    expect(answer).toEqual({ sent: true, expiresInSeconds: identity.env.OTP_TTL_SECONDS });
    const sms = await lastSms(identity, user.phone);
    expect(sms).toContain('已注册');
    expect(sms).not.toMatch(/\d{6}/);
  });

  it('refuses weak passwords and wrong check characters at the edge', async () => {
    const phone = phoneNumber();
    const smsCode = await requestCode(phone);
    const weak = await failureCode(
      api(identity).account.register.mutate({
        kind: 'natural_person',
        subjectId: citizenId(),
        name: '孙八',
        phone,
        smsCode,
        password: '12345678',
      }),
    );
    expect(weak).toBe('WEAK_PASSWORD');
    const valid = citizenId();
    const wrongCheck = valid.slice(0, 17) + (valid.endsWith('1') ? '2' : '1');
    const invalid = await failureCode(
      api(identity).account.register.mutate({
        kind: 'natural_person',
        subjectId: wrongCheck,
        name: '孙八',
        phone,
        smsCode,
        password: PASSWORD,
      }),
    );
    expect(invalid).toBe('VALIDATION_FAILED');
  });

  it('resets the password with an SMS code and ends the sessions that knew the old one', async () => {
    const user = await registerUser(identity);
    const tokens = await userTokens(identity, user);
    await expect(api(identity, tokens.access_token).account.me.query()).resolves.toMatchObject({ id: user.id });
    const smsCode = await requestCode(user.phone, 'reset_password');
    await api(identity).account.resetPassword.mutate({
      phone: user.phone,
      smsCode,
      newPassword: 'A-new-passphrase-2026',
    });
    expect(await failureCode(api(identity, tokens.access_token).account.me.query())).toBe('UNAUTHENTICATED');
    expect((await identity.core.authenticator.withPassword(user.phone, PASSWORD, '198.51.100.1')).ok).toBe(false);
    expect(
      (await identity.core.authenticator.withPassword(user.phone, 'A-new-passphrase-2026', '198.51.100.1')).ok,
    ).toBe(true);
  });

  it('changes the password only after re-entering the current one', async () => {
    const user = await registerUser(identity);
    const { access_token } = await userTokens(identity, user);
    const me = api(identity, access_token);
    expect(
      await failureCode(
        me.account.changePassword.mutate({ currentPassword: 'wrong-password', newPassword: 'Another-passphrase-1' }),
      ),
    ).toBe('INVALID_CREDENTIALS');
    await expect(
      me.account.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'Another-passphrase-1' }),
    ).resolves.toEqual({ ok: true });
  });

  it('enrols an authenticator app (RFC 6238) and accepts each code once', async () => {
    const user = await registerUser(identity);
    const me = api(identity, (await userTokens(identity, user)).access_token);
    expect(await failureCode(me.account.totp.enroll.mutate({ currentPassword: 'nope-nope-nope' }))).toBe(
      'INVALID_CREDENTIALS',
    );
    const { secret, otpauthUri } = await me.account.totp.enroll.mutate({ currentPassword: PASSWORD });
    expect(otpauthUri).toContain(`secret=${secret}`);
    const code = hotp(base32Decode(secret), totpStep(identity.clock.now()));
    await expect(me.account.totp.confirm.mutate({ code })).resolves.toEqual({ enabled: true });
    expect((await me.account.me.query()).totpEnabled).toBe(true);
    // The same code (same time step) is never accepted twice.
    const account = await identity.core.repositories.accounts.findById(user.id);
    expect(await identity.core.accountService.verifyTotp(account!, code)).toBe(false);
    identity.clock.advanceSeconds(30);
    const next = hotp(base32Decode(secret), totpStep(identity.clock.now()));
    expect(await identity.core.accountService.verifyTotp(account!, next)).toBe(true);
  });

  it('raises the trust level through the registry (2) and a face check (3), in that order', async () => {
    const user = await registerUser(identity, { name: '周九' });
    const me = api(identity, (await userTokens(identity, user)).access_token);
    expect(await failureCode(me.account.verifyFace.mutate({ sample: DevelopmentFaceCheck.MATCHING_SAMPLE }))).toBe(
      'TRUST_LEVEL_TOO_LOW',
    );
    registry.addPerson(user.subjectId, { name: '周久' });
    expect(await failureCode(me.account.verifyWithRegistry.mutate({ name: '周九' }))).toBe('VERIFICATION_FAILED');
    registry.addPerson(user.subjectId, { name: '周九' });
    await expect(me.account.verifyWithRegistry.mutate({ name: '周九' })).resolves.toEqual({ trustLevel: 2 });
    expect(await failureCode(me.account.verifyFace.mutate({ sample: 'someone-else' }))).toBe('VERIFICATION_FAILED');
    await expect(me.account.verifyFace.mutate({ sample: DevelopmentFaceCheck.MATCHING_SAMPLE })).resolves.toEqual({
      trustLevel: 3,
    });
  });

  it('registers a legal person by unified social credit code with its legal representative', async () => {
    const phone = phoneNumber();
    const smsCode = await requestCode(phone);
    const representativeId = citizenId();
    const { creditCode } = await import('./support/identity.ts');
    const subjectId = creditCode();
    const account = await api(identity).account.register.mutate({
      kind: 'legal_person',
      subjectId,
      name: '示例有限公司',
      legalRepresentativeId: representativeId,
      phone,
      smsCode,
      password: PASSWORD,
    });
    expect(account).toMatchObject({ kind: 'legal_person', subjectId, legalRepresentativeId: representativeId });
  });
});
