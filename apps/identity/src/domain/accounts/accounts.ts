// Account lifecycle: SMS codes, registration, password reset and change, TOTP enrolment and trust
// levels raised by registry and face checks.
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { Account, AccountRepository } from '../../repositories/accounts.ts';
import type { SecretBox } from '@platform/key-custody';
import type { OneTimeCodes, OtpPurpose } from '../otp/one-time-codes.ts';
import type { SmsGateway } from '../otp/sms-gateway.ts';
import { matchTotp, newTotpSecret, otpauthUri, base32Encode } from '../otp/totp.ts';
import type { AuditLog } from '../security/audit-log.ts';
import { RULES, type RateLimiter } from '../security/rate-limiter.ts';
import type { Sessions } from '../sessions/sessions.ts';
import type { FaceCheck } from '../trust/face-check.ts';
import type { Registry } from '../trust/registry.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { passwordIssues } from './password-policy.ts';

export interface Registration {
  kind: 'natural_person' | 'legal_person';
  subjectId: string;
  name: string;
  phone: string;
  smsCode: string;
  password: string;
  email?: string | undefined;
  legalRepresentativeId?: string | undefined;
}

export interface AccountDeps {
  accounts: AccountRepository;
  codes: OneTimeCodes;
  sms: SmsGateway;
  hasher: PasswordHasher;
  limiter: RateLimiter;
  audit: AuditLog;
  sessions: Sessions;
  box: SecretBox;
  registry: Registry;
  faceCheck: FaceCheck;
  clock: Clock;
  totpIssuer: string;
  /** Revokes every grant of an account (password reset, disabling). */
  revokeAllGrants: (accountId: string, reason: string) => Promise<void>;
}

const SMS_TEXT: Record<OtpPurpose, (code: string, minutes: number) => string> = {
  register: (code, minutes) => `【政务服务】您的注册验证码为 ${code}，${minutes} 分钟内有效。请勿告诉他人。`,
  login: (code, minutes) => `【政务服务】您的登录验证码为 ${code}，${minutes} 分钟内有效。请勿告诉他人。`,
  reset_password: (code, minutes) =>
    `【政务服务】您正在重置密码，验证码为 ${code}，${minutes} 分钟内有效。如非本人操作请忽略。`,
};

export class AccountService {
  constructor(private readonly deps: AccountDeps) {}

  /**
   * Sends a code, rate-limited per phone and IP. The answer never reveals whether the phone has an
   * account: a registered phone asking to register gets a notice by SMS instead of a code, and an
   * unknown phone asking for a login or reset code gets nothing useful.
   */
  async requestSmsCode(
    phone: string,
    purpose: OtpPurpose,
    ip: string | undefined,
  ): Promise<{ expiresInSeconds: number }> {
    for (const [rule, subject] of [
      [RULES.smsPerPhoneMinute, phone],
      [RULES.smsPerPhoneDay, phone],
      [RULES.smsPerIp, ip ?? 'unknown'],
    ] as const) {
      const decision = await this.deps.limiter.consume(rule, subject);
      if (!decision.allowed)
        throw new AppError('RATE_LIMITED', `Too many codes requested; retry in ${decision.retryAfterSeconds} s`);
    }
    const existing = await this.deps.accounts.findByPhone(phone);
    const { code, expiresInSeconds } = await this.deps.codes.issue(phone, purpose);
    const minutes = Math.round(expiresInSeconds / 60);
    if (purpose === 'register' && existing)
      await this.deps.sms.send(phone, '【政务服务】该手机号已注册，可直接登录或找回密码。如非本人操作请忽略。');
    else if (purpose !== 'register' && !existing)
      await this.deps.sms.send(phone, '【政务服务】该手机号尚未注册账号。如非本人操作请忽略。');
    else await this.deps.sms.send(phone, SMS_TEXT[purpose](code, minutes));
    await this.deps.audit.record({ type: 'sms_code.sent', ip, detail: { purpose, phone: maskPhone(phone) } });
    return { expiresInSeconds };
  }

  /** Verifies a code with a per-phone guess limit on top of the per-code one. */
  async consumeSmsCode(phone: string, purpose: OtpPurpose, code: string): Promise<boolean> {
    const guesses = await this.deps.limiter.consume(RULES.otpGuessesPerPhone, phone);
    if (!guesses.allowed) return false;
    return this.deps.codes.consume(phone, purpose, code);
  }

  async register(input: Registration, ip: string | undefined): Promise<Account> {
    const issues = passwordIssues(input.password, [input.phone, input.subjectId]);
    if (issues.length) throw new AppError('WEAK_PASSWORD', 'The password does not meet the rules', { issues });
    if (!(await this.consumeSmsCode(input.phone, 'register', input.smsCode)))
      throw new AppError('INVALID_SMS_CODE', 'The SMS code is wrong or expired');
    if (
      (await this.deps.accounts.findBySubjectId(input.subjectId)) ||
      (await this.deps.accounts.findByPhone(input.phone))
    )
      throw new AppError('ACCOUNT_ALREADY_REGISTERED', 'An account already exists for this ID or phone');
    const now = this.deps.clock.now();
    const account = await this.deps.accounts
      .create({
        kind: input.kind,
        subjectId: input.subjectId,
        name: input.name,
        phone: input.phone,
        email: input.email,
        passwordHash: await this.deps.hasher.hash(input.password),
        passwordChangedAt: now,
        legalRepresentativeId: input.legalRepresentativeId,
        createdAt: now,
      })
      .catch((error: unknown) => {
        // Two registrations raced for the same identifier.
        if ((error as { code?: string }).code === 'P2002')
          throw new AppError('ACCOUNT_ALREADY_REGISTERED', 'An account already exists for this ID or phone');
        throw error;
      });
    await this.deps.audit.record({
      type: 'account.registered',
      accountId: account.id,
      ip,
      detail: { kind: account.kind },
    });
    return account;
  }

  async resetPassword(phone: string, smsCode: string, newPassword: string, ip: string | undefined): Promise<void> {
    const account = await this.deps.accounts.findByPhone(phone);
    const issues = passwordIssues(newPassword, [phone]);
    if (issues.length) throw new AppError('WEAK_PASSWORD', 'The password does not meet the rules', { issues });
    if (!(await this.consumeSmsCode(phone, 'reset_password', smsCode)) || !account)
      throw new AppError('INVALID_SMS_CODE', 'The SMS code is wrong or expired');
    // Rules that depend on the account come only after the code proved the phone is the caller's:
    // before, they would tell a stranger which ID number belongs to a phone.
    const personal = passwordIssues(newPassword, [account.subjectId]);
    if (personal.length)
      throw new AppError('WEAK_PASSWORD', 'The password does not meet the rules', { issues: personal });
    await this.deps.accounts.setPassword(account.id, await this.deps.hasher.hash(newPassword), this.deps.clock.now());
    // Whoever knew the old password is logged out everywhere.
    await this.deps.sessions.endAllForAccount(account.id, 'password_reset');
    await this.deps.revokeAllGrants(account.id, 'password_reset');
    await this.deps.audit.record({ type: 'password.reset', accountId: account.id, ip });
  }

  async get(accountId: string): Promise<Account> {
    const account = await this.deps.accounts.findById(accountId);
    if (!account) throw new AppError('NOT_FOUND', 'No such account');
    return account;
  }

  /**
   * Re-authentication before a sensitive change: the current password. Wrong guesses are limited
   * per account, so a stolen session cannot be used to find the password.
   */
  private async reauthenticate(account: Account, password: string): Promise<void> {
    const rule = RULES.reauthFailuresPerAccount;
    const lock = await this.deps.limiter.isExhausted(rule, account.id);
    if (!lock.allowed)
      throw new AppError('RATE_LIMITED', `Too many wrong passwords; retry in ${lock.retryAfterSeconds} s`);
    if (!(await this.deps.hasher.verify(account.passwordHash, password.slice(0, 256)))) {
      await this.deps.limiter.consume(rule, account.id);
      await this.deps.audit.record({ type: 'reauth.failed', accountId: account.id });
      throw new AppError('INVALID_CREDENTIALS', 'The current password is wrong');
    }
    await this.deps.limiter.reset(rule, account.id);
  }

  async changePassword(
    accountId: string,
    currentPassword: string,
    newPassword: string,
    ip: string | undefined,
  ): Promise<void> {
    const account = await this.get(accountId);
    await this.reauthenticate(account, currentPassword);
    const issues = passwordIssues(newPassword, [account.phone, account.subjectId]);
    if (issues.length) throw new AppError('WEAK_PASSWORD', 'The password does not meet the rules', { issues });
    await this.deps.accounts.setPassword(account.id, await this.deps.hasher.hash(newPassword), this.deps.clock.now());
    await this.deps.audit.record({ type: 'password.changed', accountId, ip });
  }

  async enrollTotp(accountId: string, currentPassword: string): Promise<{ secret: string; otpauthUri: string }> {
    const account = await this.get(accountId);
    await this.reauthenticate(account, currentPassword);
    if (account.totpConfirmedAt) throw new AppError('TOTP_ALREADY_ENABLED', 'An authenticator app is already enabled');
    const secret = newTotpSecret();
    await this.deps.accounts.setTotp(accountId, {
      secretEnc: this.deps.box.seal(secret, `totp:${accountId}`),
      confirmedAt: null,
    });
    return this.enrolmentOf(account, secret);
  }

  private enrolmentOf(account: Account, secret: Buffer): { secret: string; otpauthUri: string } {
    return {
      secret: base32Encode(secret),
      otpauthUri: otpauthUri({ secret, issuer: this.deps.totpIssuer, accountName: account.phone ?? account.subjectId }),
    };
  }

  /** Checks a TOTP code for the account; each time step is accepted once. */
  async verifyTotp(account: Account, code: string): Promise<boolean> {
    if (!account.totpSecretEnc) return false;
    const secret = this.deps.box.open(account.totpSecretEnc, `totp:${account.id}`);
    const step = matchTotp(secret, code, this.deps.clock.now());
    if (step === undefined) return false;
    return this.deps.accounts.advanceTotpStep(account.id, step);
  }

  async confirmTotp(accountId: string, code: string): Promise<void> {
    const account = await this.get(accountId);
    if (!account.totpSecretEnc) throw new AppError('TOTP_NOT_ENROLLED', 'Start enrolment first');
    if (account.totpConfirmedAt) throw new AppError('TOTP_ALREADY_ENABLED', 'An authenticator app is already enabled');
    if (!(await this.verifyTotp(account, code))) throw new AppError('TOTP_INVALID_CODE', 'The code is wrong');
    await this.deps.accounts.confirmTotp(accountId, this.deps.clock.now());
    await this.deps.audit.record({ type: 'totp.enabled', accountId });
  }

  async disableTotp(accountId: string, currentPassword: string, code: string): Promise<void> {
    const account = await this.get(accountId);
    await this.reauthenticate(account, currentPassword);
    if (!account.totpConfirmedAt) throw new AppError('TOTP_NOT_ENROLLED', 'No authenticator app is enabled');
    if (!(await this.verifyTotp(account, code))) throw new AppError('TOTP_INVALID_CODE', 'The code is wrong');
    await this.deps.accounts.setTotp(accountId, { secretEnc: null, confirmedAt: null });
    await this.deps.audit.record({ type: 'totp.disabled', accountId });
  }

  /** Trust level 2: the registry confirms the name and ID number (or the firm and its representative). */
  async verifyWithRegistry(accountId: string, name: string): Promise<number> {
    const account = await this.get(accountId);
    if (name !== account.name) throw new AppError('VERIFICATION_FAILED', 'The name differs from the account’s name');
    const answer =
      account.kind === 'natural_person'
        ? await this.deps.registry.checkPerson(account.subjectId, name)
        : await this.deps.registry.checkLegalPerson(account.subjectId, name, account.legalRepresentativeId ?? '');
    await this.deps.audit.record({ type: 'trust.registry_check', accountId, detail: { answer } });
    if (answer !== 'match') throw new AppError('VERIFICATION_FAILED', 'The registry did not confirm these details');
    return this.raiseTo(account, 2);
  }

  /** Trust level 3: a face check of a natural person already confirmed by the registry. */
  async verifyFace(accountId: string, sample: string): Promise<number> {
    const account = await this.get(accountId);
    if (account.kind !== 'natural_person')
      throw new AppError('VERIFICATION_FAILED', 'Face checks are for natural persons');
    if (account.trustLevel < 2) throw new AppError('TRUST_LEVEL_TOO_LOW', 'Verify with the registry first');
    const result = await this.deps.faceCheck.compare(account.subjectId, account.name, sample);
    await this.deps.audit.record({
      type: 'trust.face_check',
      accountId,
      detail: { match: result.match, score: result.score },
    });
    if (!result.match) throw new AppError('VERIFICATION_FAILED', 'The face check did not match');
    return this.raiseTo(account, 3);
  }

  private async raiseTo(account: Account, level: number): Promise<number> {
    if (account.trustLevel >= level) return account.trustLevel;
    await this.deps.accounts.raiseTrustLevel(account.id, level);
    await this.deps.audit.record({
      type: 'trust.raised',
      accountId: account.id,
      detail: { from: account.trustLevel, to: level },
    });
    return level;
  }
}

export const maskPhone = (phone: string): string => `${phone.slice(0, 3)}****${phone.slice(-4)}`;
