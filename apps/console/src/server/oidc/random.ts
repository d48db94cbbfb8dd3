// Random values of the authorization request (state, nonce, PKCE verifier) and the S256 challenge.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits, base64url: unguessable state, nonce, PKCE verifier and session ids. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Constant-time string comparison (state, nonce). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
