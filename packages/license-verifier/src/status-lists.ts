// Cached Bitstring Status List credentials. A list is accepted only if its signature verifies with
// its issuer's trusted key and its shape is right, so a tampered or forged list is refused at the
// door rather than silently changing credentials' status.
import { decodeBitstring, getBit } from './bitstring.ts';
import { headerProblem, parseJws, verifyEs256 } from './jws.ts';
import { CREDENTIAL_TYP, STATUS_LIST_CREDENTIAL_TYPE, isRecord, type StatusPurpose } from './model.ts';
import type { TrustStore } from './trust-store.ts';

export class StatusListError extends Error {
  override readonly name = 'StatusListError';
}

export interface CachedStatusList {
  url: string;
  issuerId: string;
  purpose: StatusPurpose;
  validFrom: Date;
  validUntil: Date;
  bits: Uint8Array;
}

/** Verifies a status list credential (vc+jwt) and decodes it; throws StatusListError when it is not acceptable. */
export function readStatusListCredential(jwt: string, trust: TrustStore): CachedStatusList {
  const jws = parseJws(jwt);
  if (!jws) throw new StatusListError('the status list is not a compact JWS');
  if (headerProblem(jws.header, [CREDENTIAL_TYP]) !== null)
    throw new StatusListError('the status list header is not acceptable');
  const trusted = trust.keyFor(jws.header.kid as string);
  if (!trusted) throw new StatusListError('the status list is signed by an unknown key');
  if (!verifyEs256(jws, trusted.key)) throw new StatusListError('the status list signature does not verify');
  const payload = jws.payload;
  const subject = payload.credentialSubject;
  const issuerId = isRecord(payload.issuer) ? payload.issuer.id : payload.issuer;
  if (
    !Array.isArray(payload.type) ||
    !payload.type.includes(STATUS_LIST_CREDENTIAL_TYPE) ||
    typeof payload.id !== 'string' ||
    issuerId !== trusted.issuerId ||
    !isRecord(subject) ||
    subject.type !== 'BitstringStatusList' ||
    (subject.statusPurpose !== 'revocation' && subject.statusPurpose !== 'suspension') ||
    typeof subject.encodedList !== 'string' ||
    typeof payload.validFrom !== 'string' ||
    typeof payload.validUntil !== 'string'
  )
    throw new StatusListError('the status list credential has the wrong shape');
  let bits: Uint8Array;
  try {
    bits = decodeBitstring(subject.encodedList);
  } catch (error) {
    throw new StatusListError(`the status list cannot be decoded: ${(error as Error).message}`);
  }
  return {
    url: payload.id,
    issuerId: trusted.issuerId,
    purpose: subject.statusPurpose,
    validFrom: new Date(payload.validFrom),
    validUntil: new Date(payload.validUntil),
    bits,
  };
}

export type StatusLookup =
  { ok: true; set: boolean } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' | 'out_of_range' };

export class StatusListCache {
  private readonly lists = new Map<string, CachedStatusList>();

  constructor(private readonly trust: TrustStore) {}

  /** Verifies and caches a status list credential (replacing an older copy of the same list). */
  add(jwt: string): CachedStatusList {
    const list = readStatusListCredential(jwt, this.trust);
    this.lists.set(list.url, list);
    return list;
  }

  get(url: string): CachedStatusList | undefined {
    return this.lists.get(url);
  }

  lookup(
    entry: { statusListCredential: string; statusListIndex: string; statusPurpose: string },
    issuerId: string,
    now: Date,
  ): StatusLookup {
    const list = this.lists.get(entry.statusListCredential);
    if (!list) return { ok: false, reason: 'missing' };
    // A list must come from the credential's own issuer and be for the purpose the entry names.
    if (list.issuerId !== issuerId || list.purpose !== entry.statusPurpose) return { ok: false, reason: 'mismatch' };
    if (now.getTime() > list.validUntil.getTime()) return { ok: false, reason: 'stale' };
    const index = Number(entry.statusListIndex);
    if (!/^\d+$/.test(entry.statusListIndex) || index >= list.bits.length * 8)
      return { ok: false, reason: 'out_of_range' };
    return { ok: true, set: getBit(list.bits, index) };
  }
}
