import type { ErrorCategory } from './categories.ts';

/** Codes specific to the seal service. Prefix: SEAL_ is not required, but names must be unique platform-wide. */
export const SEAL_ERRORS = {
  /** Not a readable PDF (no header, broken cross-reference, unparsable objects). */
  PDF_MALFORMED: 'UNPROCESSABLE_CONTENT',
  /** Encrypted PDFs cannot be sealed: the signature would not cover readable content. */
  PDF_ENCRYPTED: 'UNPROCESSABLE_CONTENT',
  /** The page number is not a page of the document. */
  PDF_PAGE_OUT_OF_RANGE: 'UNPROCESSABLE_CONTENT',
  /** The appearance rectangle lies outside the page. */
  PDF_POSITION_OUTSIDE_PAGE: 'UNPROCESSABLE_CONTENT',
  /** An earlier certification signature forbids any change (DocMDP P=1). */
  PDF_CHANGES_NOT_PERMITTED: 'UNPROCESSABLE_CONTENT',
  /** The document is larger than MAX_DOCUMENT_BYTES. */
  DOCUMENT_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A base64 field is not valid base64. */
  INVALID_BASE64: 'BAD_REQUEST',
  SEAL_NOT_FOUND: 'NOT_FOUND',
  /** The lifecycle does not allow this transition from the seal's current status. */
  SEAL_TRANSITION_INVALID: 'CONFLICT',
  /** The seal cannot sign now: not active (applied … filed, suspended, lost, cancelled, expired). */
  SEAL_NOT_ACTIVE: 'CONFLICT',
  /** The seal's certificate has been revoked. */
  SEAL_CERTIFICATE_REVOKED: 'CONFLICT',
  /** Four-eyes rule: the same person cannot both apply and approve (or request and approve a use). */
  SEAL_SAME_PERSON_APPROVAL: 'FORBIDDEN',
  /** The seal registry (备案) could not be reached or refused the filing. */
  SEAL_REGISTRY_UNAVAILABLE: 'BAD_GATEWAY',
  /** The caller holds no authorisation for this seal. */
  NOT_AUTHORIZED_FOR_SEAL: 'FORBIDDEN',
  /** The caller's authorisations for this seal do not cover this document type. */
  DOCUMENT_TYPE_NOT_AUTHORIZED: 'FORBIDDEN',
  /** The authorisation's window has not started yet. */
  AUTHORIZATION_NOT_YET_VALID: 'FORBIDDEN',
  /** The authorisation's window has ended. */
  AUTHORIZATION_EXPIRED: 'FORBIDDEN',
  /** The authorisation was revoked. */
  AUTHORIZATION_REVOKED: 'FORBIDDEN',
  /** The authorisation's maximum number of uses is spent. */
  AUTHORIZATION_EXHAUSTED: 'FORBIDDEN',
  AUTHORIZATION_NOT_FOUND: 'NOT_FOUND',
  /** The authorisation requires an approved usage request (用印审批) for this use. */
  USAGE_APPROVAL_REQUIRED: 'FORBIDDEN',
  USAGE_REQUEST_NOT_FOUND: 'NOT_FOUND',
  /** The usage request was already decided. */
  USAGE_REQUEST_NOT_PENDING: 'CONFLICT',
  /** The usage request is pending or was rejected: it cannot be used for signing. */
  USAGE_REQUEST_NOT_APPROVED: 'FORBIDDEN',
  /** The usage request was already used for a signature (each approval is good for one use). */
  USAGE_REQUEST_ALREADY_USED: 'CONFLICT',
  /** The usage request is for another seal, document type or requester. */
  USAGE_REQUEST_MISMATCH: 'FORBIDDEN',
  /** The caller is not among the approvers the authorisation names. */
  NOT_AN_APPROVER: 'FORBIDDEN',
  /** The anchor text does not occur (that often) in the PDF. */
  PDF_ANCHOR_NOT_FOUND: 'UNPROCESSABLE_CONTENT',
  /** The requested PAdES level cannot be produced by this deployment. */
  SIGNATURE_LEVEL_UNAVAILABLE: 'UNPROCESSABLE_CONTENT',
  /** The CMS or signature given for verification cannot be parsed. */
  SIGNATURE_MALFORMED: 'UNPROCESSABLE_CONTENT',
  /** The seal's key does not fit the procedure: SM2 seals sign through gbt38540.sign only, RSA/ECDSA seals never there. */
  SEAL_ALGORITHM_MISMATCH: 'UNPROCESSABLE_CONTENT',
  /** The SM2 seal cannot sign now: outside its validity, signer not listed, or its maker signature broken. */
  GBT38540_SEAL_NOT_USABLE: 'CONFLICT',
  /** The PDF given for verification holds no signature dictionary. */
  PDF_NOT_SIGNED: 'UNPROCESSABLE_CONTENT',
} as const satisfies Record<string, ErrorCategory>;
