// Identity's public keys, cached by kid as node:crypto KeyObjects (importing a JWK per request
// would cost more than verifying). An unknown kid triggers a refetch at most once per cooldown, so
// forged kids cannot make us hammer identity; the set is re-read after maxAge to follow rotation.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AppError } from '@platform/contracts';

export interface KeyStoreOptions {
  jwksUrl: string;
  cooldownMs?: number;
  maxAgeMs?: number;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

interface Jwk {
  kid?: unknown;
  kty?: unknown;
  crv?: unknown;
  use?: unknown;
  alg?: unknown;
}

export interface KeyStore {
  /** The ES256 verification key with this kid, or undefined when identity does not publish it. */
  get(kid: string): Promise<KeyObject | undefined>;
  fetches(): number;
}

/** Only P-256 EC signing keys can verify ES256: the algorithm must match the key type. */
function isEs256Key(jwk: Jwk): boolean {
  return (
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    (jwk.use === undefined || jwk.use === 'sig') &&
    (jwk.alg === undefined || jwk.alg === 'ES256')
  );
}

export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const now = options.now ?? Date.now;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const fetchFn = options.fetch ?? globalThis.fetch;
  let keys = new Map<string, KeyObject>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let fetchCount = 0;
  let inFlight: Promise<void> | undefined;

  async function load(): Promise<void> {
    fetchCount++;
    let body: { keys?: unknown };
    try {
      const response = await fetchFn(options.jwksUrl, {
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = (await response.json()) as { keys?: unknown };
    } catch (error) {
      throw new AppError('AUTH_UNAVAILABLE', 'The identity service’s signing keys could not be fetched', {
        cause: error,
      });
    }
    const next = new Map<string, KeyObject>();
    for (const jwk of Array.isArray(body.keys) ? (body.keys as Jwk[]) : []) {
      if (typeof jwk.kid !== 'string' || !isEs256Key(jwk)) continue;
      try {
        next.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
      } catch {
        // A malformed key is skipped; the others stay usable.
      }
    }
    keys = next;
    fetchedAt = now();
  }

  function refresh(): Promise<void> {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    async get(kid) {
      const age = now() - fetchedAt;
      if (age > maxAgeMs) await refresh();
      else if (!keys.has(kid) && age > cooldownMs) await refresh();
      return keys.get(kid);
    },
    fetches: () => fetchCount,
  };
}
