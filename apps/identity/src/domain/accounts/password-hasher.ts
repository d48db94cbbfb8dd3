// argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1). Unknown accounts are checked
// against a dummy hash so that "no such account" and "wrong password" take the same time.
import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm.Argon2id; the const enum cannot be imported under isolatedModules.
const ARGON2ID = 2;
export const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    if (!passwordHash) {
      await this.burn(password);
      return false;
    }
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of one verification without any account behind it. */
  async burn(password: string): Promise<void> {
    this.dummyHash ??= hash('not-a-real-password-for-timing', ARGON2_OPTIONS);
    await verify(await this.dummyHash, password).catch(() => false);
  }
}
