// Small crypto helpers used across the service: random tokens, hashes, constant-time comparison.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** An unguessable token (256 bits by default), URL-safe. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Numeric one-time code with uniform digits. */
export const randomDigits = (length: number): string =>
  Array.from({ length }, () => randomInt(0, 10).toString()).join('');

/** Tokens we hand out are stored only as their SHA-256: a database leak yields nothing usable. */
export const sha256Hex = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

export const sha256Base64Url = (value: string): string => createHash('sha256').update(value).digest('base64url');

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
