// SMS one-time codes: 6 digits, single use, short-lived (≤ 10 min), at most 5 guesses per code,
// stored as a keyed hash so that the table alone does not reveal them.
import { createHmac } from 'node:crypto';
import { addSeconds, type Clock } from '../../clock.ts';
import type { OneTimeCodeRepository } from '../../repositories/one-time-codes.ts';
import { constantTimeEqual, randomDigits } from '../crypto/random.ts';

export type OtpPurpose = 'register' | 'login' | 'reset_password';
export const MAX_GUESSES_PER_CODE = 5;

export class OneTimeCodes {
  constructor(
    private readonly repository: OneTimeCodeRepository,
    private readonly clock: Clock,
    private readonly hashKey: Buffer,
    private readonly ttlSeconds: number,
  ) {
    if (ttlSeconds > 600) throw new Error('one-time codes must not live longer than 10 minutes');
  }

  private digest(phone: string, purpose: OtpPurpose, code: string): string {
    return createHmac('sha256', this.hashKey).update(`${purpose}:${phone}:${code}`).digest('hex');
  }

  /** Creates a code (replacing earlier ones for the same purpose) and returns it for sending. */
  async issue(phone: string, purpose: OtpPurpose): Promise<{ code: string; expiresInSeconds: number }> {
    const now = this.clock.now();
    const code = randomDigits(6);
    const row = await this.repository.create({
      phone,
      purpose,
      codeHash: this.digest(phone, purpose, code),
      createdAt: now,
      expiresAt: addSeconds(now, this.ttlSeconds),
    });
    await this.repository.invalidateOthers(phone, purpose, row.id, now);
    return { code, expiresInSeconds: this.ttlSeconds };
  }

  /** True once for the right code within its lifetime; every wrong guess counts. */
  async consume(phone: string, purpose: OtpPurpose, code: string): Promise<boolean> {
    const now = this.clock.now();
    const row = await this.repository.findLatestUsable(phone, purpose, now);
    if (!row) return false;
    const attempts = await this.repository.countAttempt(row.id);
    if (attempts > MAX_GUESSES_PER_CODE) {
      await this.repository.consume(row.id, now);
      return false;
    }
    if (!/^\d{6}$/.test(code) || !constantTimeEqual(row.codeHash, this.digest(phone, purpose, code))) return false;
    return this.repository.consume(row.id, now);
  }
}
