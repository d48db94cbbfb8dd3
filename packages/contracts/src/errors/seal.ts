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
  SEAL_TRANSITION_NOT_ALLOWED: 'CONFLICT',
  /** The seal cannot sign now: not active (suspended, lost, cancelled, expired, not yet made). */
  SEAL_NOT_USABLE: 'CONFLICT',
  /** The seal's certificate has been revoked. */
  SEAL_CERTIFICATE_REVOKED: 'CONFLICT',
  /** The caller holds no authorisation covering this seal, document type and time. */
  SEAL_USE_NOT_AUTHORIZED: 'FORBIDDEN',
  /** The authorisation's maximum number of uses is spent. */
  SEAL_USE_LIMIT_REACHED: 'FORBIDDEN',
  /** The authorisation requires an approved usage request (用印审批) for this use. */
  SEAL_USE_APPROVAL_REQUIRED: 'FORBIDDEN',
  /** Four-eyes rule: the same person cannot both request and approve (or apply and approve). */
  SEAL_SAME_PERSON_APPROVAL: 'FORBIDDEN',
  AUTHORIZATION_NOT_FOUND: 'NOT_FOUND',
  USAGE_REQUEST_NOT_FOUND: 'NOT_FOUND',
  /** The usage request was already decided or used. */
  USAGE_REQUEST_NOT_PENDING: 'CONFLICT',
  /** The CMS or signature given for verification cannot be parsed. */
  SIGNATURE_MALFORMED: 'UNPROCESSABLE_CONTENT',
} as const satisfies Record<string, ErrorCategory>;
