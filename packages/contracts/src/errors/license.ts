import type { ErrorCategory } from './categories.ts';

/** Codes specific to the license service. Prefix: LICENSE_ is not required, but names must be unique platform-wide. */
export const LICENSE_ERRORS = {
  /** No license type with this code (and version). */
  LICENSE_TYPE_NOT_FOUND: 'NOT_FOUND',
  /** A type with this code already exists: add a version instead. */
  LICENSE_TYPE_EXISTS: 'CONFLICT',
  /** The type is retired: no new licenses, no new versions. */
  LICENSE_TYPE_RETIRED: 'CONFLICT',
  /** The type's field schema, validity rules or layout are not usable (see `issues`). */
  LICENSE_TYPE_DEFINITION_INVALID: 'UNPROCESSABLE_CONTENT',
  /** The license's fields do not satisfy the type's field schema (see `issues`). */
  LICENSE_FIELDS_INVALID: 'UNPROCESSABLE_CONTENT',
  /** The holder is of the wrong kind for this type (a person for a firm's licence, or the reverse). */
  LICENSE_HOLDER_KIND_MISMATCH: 'UNPROCESSABLE_CONTENT',
  /** validFrom/validUntil break the type's validity rules. */
  LICENSE_VALIDITY_INVALID: 'UNPROCESSABLE_CONTENT',
  LICENSE_NOT_FOUND: 'NOT_FOUND',
  /** The status change is not allowed from the license's current status. */
  LICENSE_STATUS_TRANSITION_NOT_ALLOWED: 'CONFLICT',
  /** The license is not currently valid (revoked, suspended, replaced or expired) for this use. */
  LICENSE_NOT_VALID: 'CONFLICT',
  /** The caller is not the holder of the license (nor an agent acting for it). */
  NOT_LICENSE_HOLDER: 'FORBIDDEN',
  /** The access token does not say whose ID number / credit code the caller has (claim subject_code). */
  HOLDER_CODE_MISSING: 'FORBIDDEN',
  /** Asked to disclose or grant a field the license type does not have. */
  LICENSE_FIELD_UNKNOWN: 'UNPROCESSABLE_CONTENT',
  /** Not a compact JWS credential of this platform's shape. */
  CREDENTIAL_MALFORMED: 'UNPROCESSABLE_CONTENT',
  /** The credential's signature does not verify with its issuer's published key (tampered or forged). */
  CREDENTIAL_SIGNATURE_INVALID: 'UNPROCESSABLE_CONTENT',
  /** The credential names an issuer or key that is not trusted here. */
  CREDENTIAL_ISSUER_UNKNOWN: 'UNPROCESSABLE_CONTENT',
  /** The status list could not be read, or its signature does not verify (tampered). */
  STATUS_LIST_INVALID: 'UNPROCESSABLE_CONTENT',
  /** The status list needed to tell the status is not cached or out of date. */
  STATUS_LIST_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** No status list for this issuer, purpose and number. */
  STATUS_LIST_NOT_FOUND: 'NOT_FOUND',
  /** The QR token is not a presentation signed by this platform (forged or altered). */
  PRESENTATION_INVALID: 'UNPROCESSABLE_CONTENT',
  /** The QR token's lifetime is over. */
  PRESENTATION_EXPIRED: 'GONE',
  /** The QR token was already shown: single use. */
  PRESENTATION_ALREADY_USED: 'CONFLICT',
  /** The QR token is bound to another verifier nonce. */
  PRESENTATION_NONCE_MISMATCH: 'UNPROCESSABLE_CONTENT',
  GRANT_NOT_FOUND: 'NOT_FOUND',
  /** The node is already on the trust list. */
  TRUSTED_NODE_EXISTS: 'CONFLICT',
  /** No batch with this id (or not uploaded by the caller's office). */
  LICENSE_BATCH_NOT_FOUND: 'NOT_FOUND',
  /** The batch upload cannot be read (CSV syntax, unknown column, no rows). */
  LICENSE_BATCH_INVALID: 'UNPROCESSABLE_CONTENT',
  /** A batch row is not a well-formed issue request (see the row's message). */
  LICENSE_BATCH_ROW_INVALID: 'UNPROCESSABLE_CONTENT',
  /** The grant's expiry has passed. */
  GRANT_EXPIRED: 'GONE',
  /** The holder revoked the grant. */
  GRANT_REVOKED: 'GONE',
  /** The grant names another third party than the caller. */
  GRANT_WRONG_PARTY: 'FORBIDDEN',
  /** The stated purpose is not the purpose the holder granted. */
  GRANT_PURPOSE_MISMATCH: 'FORBIDDEN',
  /** The license file shows every field; the grant covers only some of them. */
  GRANT_FIELDS_INSUFFICIENT: 'FORBIDDEN',
  /** The caller may not read this license's file (not a clerk, not the holder, no grant). */
  LICENSE_FILE_FORBIDDEN: 'FORBIDDEN',
  /** The upload is not base64 of a readable PDF. */
  LICENSE_FILE_UNREADABLE: 'UNPROCESSABLE_CONTENT',
  /** The PDF carries no license identifier: it is not a license file of this platform. */
  LICENSE_FILE_NOT_RECOGNISED: 'UNPROCESSABLE_CONTENT',
  /** The license file could not be sealed now (seal service unreachable, no active seal, not authorised); retried automatically. */
  LICENSE_SEAL_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const satisfies Record<string, ErrorCategory>;
