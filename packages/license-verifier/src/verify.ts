// Offline verification of a license credential (vc+jwt) and of a QR presentation (SD-JWT style):
// integrity (signature with a trusted issuer key), issuer identity, status (cached, signed
// Bitstring Status Lists) and validity period — OpenCerts' three checks plus time. Nothing here
// touches the network. Failures are answers with a stable code, never exceptions.
import { disclosureDigest, headerProblem, parseJws, verifyEs256, type ParsedJws } from './jws.ts';
import {
  CREDENTIAL_TYP,
  LICENSE_CREDENTIAL_TYPE,
  PRESENTATION_TYP,
  VC_CONTEXT_V2,
  isRecord,
  type FieldValue,
  type LicenseCredential,
  type PresentationClaims,
  type StatusEntry,
} from './model.ts';
import type { StatusListCache } from './status-lists.ts';
import type { TrustStore } from './trust-store.ts';

export type VerificationFailureCode =
  | 'CREDENTIAL_MALFORMED'
  | 'CREDENTIAL_SIGNATURE_INVALID'
  | 'CREDENTIAL_ISSUER_UNKNOWN'
  | 'STATUS_LIST_INVALID'
  | 'STATUS_LIST_UNAVAILABLE'
  | 'PRESENTATION_INVALID'
  | 'PRESENTATION_EXPIRED'
  | 'PRESENTATION_NONCE_MISMATCH';

export type VerifiedStatus = 'active' | 'suspended' | 'revoked' | 'expired' | 'not_yet_valid' | 'unknown';

export interface VerificationFailure {
  code: VerificationFailureCode;
  message: string;
}

export interface CredentialVerdict {
  /** Signed by a trusted issuer key and unaltered. */
  authentic: boolean;
  /** Authentic and currently active. */
  valid: boolean;
  status: VerifiedStatus | null;
  credential: LicenseCredential | null;
  failure: VerificationFailure | null;
}

export interface VerifyOptions {
  trust: TrustStore;
  statusLists: StatusListCache;
  now?: Date;
}

const fail = (code: VerificationFailureCode, message: string): CredentialVerdict => ({
  authentic: false,
  valid: false,
  status: null,
  credential: null,
  failure: { code, message },
});

function isStatusEntry(value: unknown): value is StatusEntry {
  return (
    isRecord(value) &&
    value.type === 'BitstringStatusListEntry' &&
    (value.statusPurpose === 'revocation' || value.statusPurpose === 'suspension') &&
    typeof value.statusListIndex === 'string' &&
    typeof value.statusListCredential === 'string'
  );
}

function isLicenseCredential(payload: Record<string, unknown>): payload is Record<string, unknown> & LicenseCredential {
  const subject = payload.credentialSubject;
  return (
    Array.isArray(payload['@context']) &&
    payload['@context'][0] === VC_CONTEXT_V2 &&
    Array.isArray(payload.type) &&
    payload.type.includes('VerifiableCredential') &&
    payload.type.includes(LICENSE_CREDENTIAL_TYPE) &&
    isRecord(payload.issuer) &&
    typeof payload.issuer.id === 'string' &&
    typeof payload.validFrom === 'string' &&
    (payload.validUntil === undefined || typeof payload.validUntil === 'string') &&
    isRecord(subject) &&
    isRecord(subject.license) &&
    typeof subject.license.identifier === 'string' &&
    isRecord(subject.license.fields) &&
    Array.isArray(payload.credentialStatus) &&
    payload.credentialStatus.every(isStatusEntry)
  );
}

/** Status from the cached lists and the validity period; the first problem found wins. */
export function statusFrom(
  entries: StatusEntry[],
  issuerId: string,
  period: { validFrom: string; validUntil?: string | null | undefined },
  options: { statusLists: StatusListCache; now: Date },
): { status: VerifiedStatus; failure: VerificationFailure | null } {
  let suspended = false;
  for (const entry of entries) {
    const lookup = options.statusLists.lookup(entry, issuerId, options.now);
    if (!lookup.ok) {
      const unavailable = lookup.reason === 'missing' || lookup.reason === 'stale';
      return {
        status: 'unknown',
        failure: unavailable
          ? {
              code: 'STATUS_LIST_UNAVAILABLE',
              message: `The ${entry.statusPurpose} status list is ${lookup.reason === 'missing' ? 'not cached' : 'out of date'}; refresh it`,
            }
          : {
              code: 'STATUS_LIST_INVALID',
              message: `The ${entry.statusPurpose} status list does not fit this credential (${lookup.reason})`,
            },
      };
    }
    if (lookup.set && entry.statusPurpose === 'revocation') return { status: 'revoked', failure: null };
    if (lookup.set && entry.statusPurpose === 'suspension') suspended = true;
  }
  if (suspended) return { status: 'suspended', failure: null };
  const now = options.now.getTime();
  if (period.validUntil && now >= new Date(period.validUntil).getTime()) return { status: 'expired', failure: null };
  if (now < new Date(period.validFrom).getTime()) return { status: 'not_yet_valid', failure: null };
  return { status: 'active', failure: null };
}

function checkSignature(
  jws: ParsedJws,
  trust: TrustStore,
  typ: string,
  malformed: VerificationFailureCode,
): { issuerId: string } | VerificationFailure {
  const problem = headerProblem(jws.header, [typ]);
  if (problem) return { code: malformed, message: `The token header is not acceptable (${problem})` };
  const trusted = trust.keyFor(jws.header.kid as string);
  if (!trusted)
    return { code: 'CREDENTIAL_ISSUER_UNKNOWN', message: 'The signing key is not published by a trusted issuer' };
  if (!verifyEs256(jws, trusted.key))
    return {
      code: malformed === 'PRESENTATION_INVALID' ? 'PRESENTATION_INVALID' : 'CREDENTIAL_SIGNATURE_INVALID',
      message: 'The signature does not verify: the content was altered or not signed by its issuer',
    };
  return { issuerId: trusted.issuerId };
}

export function verifyLicenseCredential(jwt: string, options: VerifyOptions): CredentialVerdict {
  const now = options.now ?? new Date();
  const jws = parseJws(jwt.trim());
  if (!jws) return fail('CREDENTIAL_MALFORMED', 'Not a compact JWS with an ES256 signature');
  const signed = checkSignature(jws, options.trust, CREDENTIAL_TYP, 'CREDENTIAL_MALFORMED');
  if ('code' in signed) return fail(signed.code, signed.message);
  if (!isLicenseCredential(jws.payload))
    return fail('CREDENTIAL_MALFORMED', 'The signed content is not a license credential');
  const credential: LicenseCredential = jws.payload;
  // The key must belong to the issuer the credential names: one authority cannot sign for another.
  if (credential.issuer.id !== signed.issuerId)
    return fail('CREDENTIAL_ISSUER_UNKNOWN', 'The credential names another issuer than the one whose key signed it');
  const { status, failure } = statusFrom(credential.credentialStatus, signed.issuerId, credential, {
    statusLists: options.statusLists,
    now,
  });
  return { authentic: true, valid: status === 'active', status, credential, failure };
}

export interface PresentationVerdict {
  authentic: boolean;
  valid: boolean;
  status: VerifiedStatus | null;
  claims: PresentationClaims | null;
  /** Only the fields the holder disclosed. */
  fields: Record<string, FieldValue>;
  failure: VerificationFailure | null;
}

export interface PresentationOptions extends VerifyOptions {
  /** The nonce this verifier gave the holder; a token bound to another nonce is refused. */
  nonce?: string;
  clockToleranceSeconds?: number;
}

const presentationFailure = (code: VerificationFailureCode, message: string): PresentationVerdict => ({
  authentic: false,
  valid: false,
  status: null,
  claims: null,
  fields: {},
  failure: { code, message },
});

function isPresentationClaims(
  payload: Record<string, unknown>,
): payload is Record<string, unknown> & PresentationClaims {
  return (
    typeof payload.iss === 'string' &&
    typeof payload.jti === 'string' &&
    typeof payload.exp === 'number' &&
    typeof payload.iat === 'number' &&
    payload._sd_alg === 'sha-256' &&
    Array.isArray(payload._sd) &&
    payload._sd.every((digest) => typeof digest === 'string') &&
    isRecord(payload.license) &&
    typeof payload.license.identifier === 'string' &&
    Array.isArray(payload.credentialStatus) &&
    payload.credentialStatus.every(isStatusEntry)
  );
}

/** Splits `<jws>~<disclosure>~…~` and checks each disclosure against the signed digests. */
export function verifyLicensePresentation(token: string, options: PresentationOptions): PresentationVerdict {
  const now = options.now ?? new Date();
  const skew = options.clockToleranceSeconds ?? 5;
  const [jwt = '', ...disclosures] = token.trim().split('~');
  if (disclosures.length === 0 || disclosures[disclosures.length - 1] !== '')
    return presentationFailure('PRESENTATION_INVALID', 'Not an SD-JWT presentation (jwt~disclosures~)');
  disclosures.pop();
  const jws = parseJws(jwt);
  if (!jws) return presentationFailure('PRESENTATION_INVALID', 'The presentation is not a compact JWS');
  const signed = checkSignature(jws, options.trust, PRESENTATION_TYP, 'PRESENTATION_INVALID');
  if ('code' in signed) return presentationFailure(signed.code, signed.message);
  if (!isPresentationClaims(jws.payload) || jws.payload.iss !== signed.issuerId)
    return presentationFailure('PRESENTATION_INVALID', 'The signed content is not a license presentation');
  const claims: PresentationClaims = jws.payload;
  if (now.getTime() / 1000 >= claims.exp + skew)
    return presentationFailure('PRESENTATION_EXPIRED', 'The QR code has expired; ask the holder for a new one');
  // Bound both ways: a token made for a nonce needs that nonce, and a verifier asking with a nonce
  // accepts only a token made for it.
  if ((options.nonce !== undefined || claims.nonce !== undefined) && claims.nonce !== options.nonce)
    return presentationFailure('PRESENTATION_NONCE_MISMATCH', 'The QR code was made for another verifier nonce');

  const digests = new Set(claims._sd);
  const fields: Record<string, FieldValue> = {};
  for (const disclosure of disclosures) {
    if (!digests.has(disclosureDigest(disclosure)))
      return presentationFailure('PRESENTATION_INVALID', 'A disclosed field was not in the signed presentation');
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8'));
    } catch {
      return presentationFailure('PRESENTATION_INVALID', 'A disclosure is not readable');
    }
    if (
      !Array.isArray(decoded) ||
      decoded.length !== 3 ||
      typeof decoded[0] !== 'string' ||
      typeof decoded[1] !== 'string'
    )
      return presentationFailure('PRESENTATION_INVALID', 'A disclosure is not [salt, name, value]');
    const name = decoded[1];
    if (Object.hasOwn(fields, name)) return presentationFailure('PRESENTATION_INVALID', 'A field is disclosed twice');
    fields[name] = decoded[2] as FieldValue;
  }
  const { status, failure } = statusFrom(claims.credentialStatus, signed.issuerId, claims.license, {
    statusLists: options.statusLists,
    now,
  });
  return { authentic: true, valid: status === 'active', status, claims, fields, failure };
}
