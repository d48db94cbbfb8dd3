import type { ErrorCategory } from './categories.ts';

/** Codes specific to the identity service. Prefix: IDENTITY_ is not required, but names must be unique platform-wide. */
export const IDENTITY_ERRORS = {
  /** Wrong login name, password or code — deliberately the same for unknown accounts. */
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  /** The account is locked or disabled. */
  ACCOUNT_NOT_ACTIVE: 'FORBIDDEN',
  /** The ID number / credit code or the phone already has an account. */
  ACCOUNT_ALREADY_REGISTERED: 'CONFLICT',
  /** The SMS code is wrong, used or expired. */
  INVALID_SMS_CODE: 'BAD_REQUEST',
  /** The new password breaks the password rules (see `issues`). */
  WEAK_PASSWORD: 'BAD_REQUEST',
  TOTP_INVALID_CODE: 'BAD_REQUEST',
  TOTP_NOT_ENROLLED: 'CONFLICT',
  TOTP_ALREADY_ENABLED: 'CONFLICT',
  /** A registry or face check did not confirm the person or firm. */
  VERIFICATION_FAILED: 'UNPROCESSABLE_CONTENT',
  /** The account's (or session's) trust level is below what the operation needs. */
  TRUST_LEVEL_TOO_LOW: 'FORBIDDEN',
  CLIENT_ALREADY_EXISTS: 'CONFLICT',
  /** A development-only procedure was called on a production deployment. */
  DEVELOPMENT_ONLY: 'FORBIDDEN',
  /** The agent authorisation cannot be created or changed by this caller or in its state. */
  AGENT_AUTHORIZATION_INVALID: 'UNPROCESSABLE_CONTENT',
} as const satisfies Record<string, ErrorCategory>;
