// The issuers a verifier trusts, each with its published JWKS. Keys are found by `kid` only here;
// a credential can never bring its own key.
import { createPublicKey, type KeyObject } from 'node:crypto';

export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [other: string]: unknown;
}

export interface TrustedIssuer {
  /** The issuer id as it appears in credentials (`issuer.id`), e.g. https://node/issuers/<code>. */
  id: string;
  name?: string;
  jwks: { keys: PublicJwk[] };
}

export interface TrustedKey {
  issuerId: string;
  key: KeyObject;
}

function usableKey(jwk: PublicJwk): KeyObject | undefined {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.kid !== 'string') return undefined;
  if (jwk.alg !== undefined && jwk.alg !== 'ES256') return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  // Never accept private material in a trust list: it would mean the key was leaked or misused.
  if ('d' in jwk) return undefined;
  try {
    return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

export class TrustStore {
  private readonly keys = new Map<string, TrustedKey>();
  private readonly issuers = new Map<string, TrustedIssuer>();

  constructor(issuers: TrustedIssuer[] = []) {
    for (const issuer of issuers) this.add(issuer);
  }

  /** Adds (or refreshes) an issuer; unusable keys are skipped. A kid claimed by two issuers is refused. */
  add(issuer: TrustedIssuer): void {
    this.issuers.set(issuer.id, issuer);
    for (const jwk of issuer.jwks.keys) {
      const key = usableKey(jwk);
      if (!key || typeof jwk.kid !== 'string') continue;
      const existing = this.keys.get(jwk.kid);
      if (existing && existing.issuerId !== issuer.id)
        throw new Error(`key ${jwk.kid} is already published by another issuer`);
      this.keys.set(jwk.kid, { issuerId: issuer.id, key });
    }
  }

  keyFor(kid: string): TrustedKey | undefined {
    return this.keys.get(kid);
  }

  issuer(id: string): TrustedIssuer | undefined {
    return this.issuers.get(id);
  }
}
