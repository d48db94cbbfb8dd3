// Login checks behind the login page: password or SMS code, then TOTP when enrolled. Unknown
// login names and wrong passwords get the same answer after the same argon2 work, and lockout is
// counted per login name as typed (so it behaves the same whether or not the account exists).
import type { Clock } from '../../clock.ts';
import type { Account, AccountRepository } from '../../repositories/accounts.ts';
import type { AuditLog } from '../security/audit-log.ts';
import { RULES, type RateLimiter } from '../security/rate-limiter.ts';
import type { AccountService } from './accounts.ts';
import type { PasswordHasher } from './password-hasher.ts';

export type LoginFailure = 'invalid' | 'locked' | 'rate_limited' | 'not_active';

export type LoginOutcome =
  | { ok: true; account: Account; amr: string[]; needsTotp: boolean }
  | { ok: false; failure: LoginFailure; retryAfterSeconds?: number };

export class Authenticator {
  constructor(
    private readonly deps: {
      accounts: AccountRepository;
      accountService: AccountService;
      hasher: PasswordHasher;
      limiter: RateLimiter;
      audit: AuditLog;
      clock: Clock;
      /** Login attempts per IP per 5 minutes. */
      attemptsPerIp?: number;
    },
  ) {}

  private get ipRule() {
    return { ...RULES.loginAttemptsPerIp, limit: this.deps.attemptsPerIp ?? RULES.loginAttemptsPerIp.limit };
  }

  private normalize(loginName: string): string {
    return loginName.trim().toUpperCase().slice(0, 64);
  }

  /**
   * Counts the attempt against the IP's budget and checks the name's lockout (one round trip).
   * Refuses early when either says no; otherwise tells whether the name has failures to forget
   * after a success.
   */
  private async gate(
    name: string,
    ip: string | undefined,
  ): Promise<{ refused: LoginOutcome } | { refused: undefined; nameHasFailures: boolean }> {
    const { consumed, peeked, peekCounted } = await this.deps.limiter.consumeAndPeek(
      this.ipRule,
      ip ?? 'unknown',
      RULES.loginFailuresPerName,
      name,
    );
    if (!consumed.allowed)
      return { refused: { ok: false, failure: 'rate_limited', retryAfterSeconds: consumed.retryAfterSeconds } };
    if (!peeked.allowed) {
      await this.deps.audit.record({ type: 'login.refused_locked', ip, detail: { loginName: maskName(name) } });
      return { refused: { ok: false, failure: 'locked', retryAfterSeconds: peeked.retryAfterSeconds } };
    }
    return { refused: undefined, nameHasFailures: peekCounted };
  }

  private async failed(
    name: string,
    ip: string | undefined,
    accountId: string | undefined,
    means: string,
  ): Promise<LoginOutcome> {
    const count = await this.deps.limiter.consume(RULES.loginFailuresPerName, name);
    await this.deps.audit.record({ type: 'login.failed', accountId, ip, detail: { means, loginName: maskName(name) } });
    if (!count.allowed || (await this.deps.limiter.isExhausted(RULES.loginFailuresPerName, name)).allowed === false)
      await this.deps.audit.record({ type: 'login.locked', accountId, ip, detail: { loginName: maskName(name) } });
    return { ok: false, failure: 'invalid' };
  }

  private async succeeded(
    name: string,
    account: Account,
    amr: string[],
    ip: string | undefined,
    nameHasFailures: boolean,
  ): Promise<LoginOutcome> {
    if (account.status !== 'active') {
      await this.deps.audit.record({ type: 'login.refused_inactive', accountId: account.id, ip });
      return { ok: false, failure: 'not_active' };
    }
    const needsTotp = account.totpConfirmedAt !== null;
    if (!needsTotp) {
      // Most logins follow no failure: then there is no counter to delete. (A failure racing this
      // success stays counted — the stricter outcome.)
      if (nameHasFailures) await this.deps.limiter.reset(RULES.loginFailuresPerName, name);
      await this.deps.audit.record({ type: 'login.succeeded', accountId: account.id, ip, detail: { amr } });
    }
    return { ok: true, account, amr, needsTotp };
  }

  async withPassword(loginName: string, password: string, ip: string | undefined): Promise<LoginOutcome> {
    const name = this.normalize(loginName);
    const gate = await this.gate(name, ip);
    if (gate.refused) return gate.refused;
    const account = await this.deps.accounts.findByLoginName(name);
    // verify() burns the same argon2 time when there is no account or no password.
    const valid = await this.deps.hasher.verify(account?.passwordHash, password.slice(0, 256));
    if (!valid || !account) return this.failed(name, ip, account?.id, 'pwd');
    return this.succeeded(name, account, ['pwd'], ip, gate.nameHasFailures);
  }

  async withSmsCode(phone: string, code: string, ip: string | undefined): Promise<LoginOutcome> {
    const name = this.normalize(phone);
    const gate = await this.gate(name, ip);
    if (gate.refused) return gate.refused;
    const valid = /^1\d{10}$/.test(name) && (await this.deps.accountService.consumeSmsCode(name, 'login', code));
    const account = valid ? await this.deps.accounts.findByPhone(name) : null;
    if (!account) return this.failed(name, ip, undefined, 'sms');
    return this.succeeded(name, account, ['sms'], ip, gate.nameHasFailures);
  }

  /** Second step for accounts with an authenticator app. */
  async withTotp(
    account: Account,
    loginName: string,
    code: string,
    firstAmr: string[],
    ip: string | undefined,
  ): Promise<LoginOutcome> {
    const name = this.normalize(loginName);
    const gate = await this.gate(name, ip);
    if (gate.refused) return gate.refused;
    const fresh = await this.deps.accounts.findById(account.id);
    if (!fresh || !(await this.deps.accountService.verifyTotp(fresh, code)))
      return this.failed(name, ip, account.id, 'otp');
    const amr = [...firstAmr, 'otp', 'mfa'];
    await this.deps.limiter.reset(RULES.loginFailuresPerName, name);
    await this.deps.audit.record({ type: 'login.succeeded', accountId: account.id, ip, detail: { amr } });
    return { ok: true, account: fresh, amr, needsTotp: false };
  }
}

const maskName = (name: string): string => (name.length > 7 ? `${name.slice(0, 3)}***${name.slice(-2)}` : '***');
