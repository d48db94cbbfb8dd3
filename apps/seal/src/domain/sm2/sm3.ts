// SM3 (GB/T 32905) through node:crypto: OpenSSL 3 implements the hash natively, so only the SM2
// elliptic-curve arithmetic that node:crypto gets wrong (see sm2-signature.ts) is done elsewhere.
import { createHash } from 'node:crypto';

export function sm3(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sm3');
  for (const part of parts) hash.update(part);
  return hash.digest();
}
