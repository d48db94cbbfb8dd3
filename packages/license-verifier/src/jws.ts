// Strict compact JWS (ES256) parsing and verification on node:crypto: ES256 only, no `crit`, no
// embedded keys (jwk/jku/x5u are ignored: keys come only from the trust store), 64-byte P1363
// signatures. node:crypto directly because this is the hot path of every offline verification.
import { createHash, verify, type KeyObject } from 'node:crypto';

export interface ParsedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Decodes one JSON segment. The alphabet check is skipped for the payload (`checked` false): it is
 * the longest part of a credential (a quarter of an offline verification's parsing time went to the
 * check), and its exact characters are covered by the signature, which is always checked before the
 * payload is trusted. A length that no base64url text can have is still refused.
 */
function decodeObject(segment: string, checked = true): Record<string, unknown> | undefined {
  if (checked ? !BASE64URL.test(segment) : segment.length === 0 || segment.length % 4 === 1) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Parses a compact JWS; undefined when it is not one (wrong shape, bad JSON, bad signature length). */
export function parseJws(token: string): ParsedJws | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h = '', p = '', s = ''] = parts;
  const header = decodeObject(h);
  const payload = decodeObject(p, false);
  if (!header || !payload || !BASE64URL.test(s)) return undefined;
  const signature = Buffer.from(s, 'base64url');
  // ES256 signatures are r‖s, 32 bytes each (JWS uses IEEE P1363, not DER).
  if (signature.length !== 64) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature };
}

export type HeaderProblem = 'alg' | 'typ' | 'kid' | 'crit';

export function headerProblem(header: Record<string, unknown>, expectedTyp: readonly string[]): HeaderProblem | null {
  if (header.alg !== 'ES256') return 'alg';
  if (header.crit !== undefined) return 'crit';
  if (typeof header.typ !== 'string' || !expectedTyp.includes(header.typ.toLowerCase())) return 'typ';
  if (typeof header.kid !== 'string' || header.kid === '') return 'kid';
  return null;
}

export function verifyEs256(jws: ParsedJws, key: KeyObject): boolean {
  try {
    // utf8, not latin1: the payload's alphabet is not checked (see decodeObject), and utf8 maps
    // distinct strings to distinct bytes, so only the issuer's exact text can match the signature.
    return verify('sha256', Buffer.from(jws.signingInput), { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
  } catch {
    return false;
  }
}

/** SD-JWT digest of a disclosure: base64url(SHA-256(the disclosure's base64url text)). */
export function disclosureDigest(disclosure: string): string {
  return createHash('sha256').update(disclosure).digest('base64url');
}
