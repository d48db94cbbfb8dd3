// The fingerprint of a signing request, so that a reused idempotency key with a different request
// is refused: SHA-256 over canonical JSON (keys sorted, undefined left out).
import { createHash } from 'node:crypto';

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

function canonical(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`).join(',')}}`;
}

export function requestHash(request: { [key: string]: Json }): string {
  return createHash('sha256').update(canonical(request)).digest('hex');
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
