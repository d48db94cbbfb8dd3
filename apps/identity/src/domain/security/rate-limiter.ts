// Rate limits and lockout, counted in PostgreSQL (shared by replicas). Lockout is keyed by the
// login name as typed, not by the account, so that unknown and existing names behave identically.
import type { Clock } from '../../clock.ts';
import type { RateLimitRepository, WindowCount } from '../../repositories/rate-limits.ts';

export interface RateRule {
  name: string;
  limit: number;
  windowSeconds: number;
}

export const RULES = {
  /** Failed logins per login name before it is locked for the rest of the window. */
  loginFailuresPerName: { name: 'login-fail-name', limit: 5, windowSeconds: 15 * 60 },
  /** Login attempts per client IP (the limit is configurable: offices share one address). */
  loginAttemptsPerIp: { name: 'login-ip', limit: 300, windowSeconds: 5 * 60 },
  /** One SMS per phone per minute, and a daily cap. */
  smsPerPhoneMinute: { name: 'sms-phone-1m', limit: 1, windowSeconds: 60 },
  smsPerPhoneDay: { name: 'sms-phone-1d', limit: 10, windowSeconds: 24 * 3600 },
  smsPerIp: { name: 'sms-ip', limit: 20, windowSeconds: 3600 },
  /** Guesses at one-time codes per phone (on top of the per-code limit). */
  otpGuessesPerPhone: { name: 'otp-phone', limit: 10, windowSeconds: 15 * 60 },
  /**
   * Registration and password-reset form posts per client IP, counted like login attempts (the
   * limit is the configured login limit): every such post may guess at an SMS code.
   */
  selfServicePerIp: { name: 'self-service-ip', limit: 300, windowSeconds: 5 * 60 },
  /** Wrong current passwords when re-authenticating for a sensitive change, per account. */
  reauthFailuresPerAccount: { name: 'reauth-fail', limit: 5, windowSeconds: 15 * 60 },
  /** Failed client authentications per client id: the audit log records the first and the limit-th of a window. */
  clientAuthFailures: { name: 'client-auth-fail', limit: 20, windowSeconds: 5 * 60 },
} as const satisfies Record<string, RateRule>;

export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
  /** Events in the current window, this one included (0 when only peeking). */
  count: number;
}

export class RateLimiter {
  constructor(
    private readonly repository: RateLimitRepository,
    private readonly clock: Clock,
  ) {}

  private key(rule: RateRule, subject: string): string {
    return `${rule.name}:${subject}`.slice(0, 200);
  }

  private retryAfter(windowStart: Date, rule: RateRule): number {
    const ends = windowStart.getTime() + rule.windowSeconds * 1000;
    return Math.max(1, Math.ceil((ends - this.clock.now().getTime()) / 1000));
  }

  /** Counts one event; refused when the window already holds `limit` events. */
  async consume(rule: RateRule, subject: string): Promise<RateDecision> {
    return this.judgeHit(
      rule,
      await this.repository.hit(this.key(rule, subject), this.clock.now(), rule.windowSeconds),
    );
  }

  /** Whether the subject has used up its window, without counting anything. */
  async isExhausted(rule: RateRule, subject: string): Promise<RateDecision> {
    return this.judgePeek(rule, await this.repository.peek(this.key(rule, subject)));
  }

  /**
   * `consume(consumeRule, consumeSubject)` and `isExhausted(peekRule, peekSubject)` in one round
   * trip (the login gate: count the attempt per IP, check the name's lockout). `peekCounted` says
   * whether the peeked subject has any events in its window.
   */
  async consumeAndPeek(
    consumeRule: RateRule,
    consumeSubject: string,
    peekRule: RateRule,
    peekSubject: string,
  ): Promise<{ consumed: RateDecision; peeked: RateDecision; peekCounted: boolean }> {
    const { hit, peeked } = await this.repository.hitAndPeek(
      this.key(consumeRule, consumeSubject),
      this.clock.now(),
      consumeRule.windowSeconds,
      this.key(peekRule, peekSubject),
    );
    return {
      consumed: this.judgeHit(consumeRule, hit),
      peeked: this.judgePeek(peekRule, peeked),
      peekCounted: peeked !== null && !this.windowOver(peekRule, peeked),
    };
  }

  private windowOver(rule: RateRule, current: WindowCount): boolean {
    return current.windowStart.getTime() + rule.windowSeconds * 1000 <= this.clock.now().getTime();
  }

  private judgeHit(rule: RateRule, { windowStart, count }: WindowCount): RateDecision {
    return {
      allowed: count <= rule.limit,
      retryAfterSeconds: count <= rule.limit ? 0 : this.retryAfter(windowStart, rule),
      count,
    };
  }

  private judgePeek(rule: RateRule, current: WindowCount | null): RateDecision {
    if (!current || this.windowOver(rule, current) || current.count < rule.limit)
      return { allowed: true, retryAfterSeconds: 0, count: 0 };
    return { allowed: false, retryAfterSeconds: this.retryAfter(current.windowStart, rule), count: 0 };
  }

  reset(rule: RateRule, subject: string): Promise<void> {
    return this.repository.reset(this.key(rule, subject));
  }
}
