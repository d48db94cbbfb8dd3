import type { ErrorCategory } from './categories.ts';

/** Codes every service may use. */
export const GENERIC_ERRORS = {
  VALIDATION_FAILED: 'BAD_REQUEST',
  MALFORMED_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  /** The session's trust level (acr) is below what the procedure needs: step up and retry (RFC 9470). */
  INSUFFICIENT_TRUST_LEVEL: 'UNAUTHORIZED',
  INSUFFICIENT_SCOPE: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ROUTE_NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'UNPROCESSABLE_CONTENT',
  IDEMPOTENCY_REQUEST_IN_FLIGHT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The identity service's keys could not be fetched, so no token can be checked right now. */
  AUTH_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A gateway (the console) could not reach the service behind it. */
  SERVICE_UNREACHABLE: 'BAD_GATEWAY',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, ErrorCategory>;
