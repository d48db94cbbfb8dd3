// The platform's one error model. Every service throws AppError with a code from this catalogue;
// clients (TypeScript or any REST integrator) branch on `code`, never on `message`.

/** HTTP status and tRPC error key for each transport category. */
const CATEGORIES = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCategory = keyof typeof CATEGORIES;

/**
 * Stable error codes of the whole platform. Adding a code is backwards compatible; renaming or
 * removing one is a breaking change for integrators.
 */
export const ERROR_CATALOG = {
  // generic, used by every service
  VALIDATION_FAILED: 'BAD_REQUEST',
  MALFORMED_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ROUTE_NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'UNPROCESSABLE_CONTENT',
  IDEMPOTENCY_REQUEST_IN_FLIGHT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}

export function categoryOf(code: ErrorCode): ErrorCategory {
  return ERROR_CATALOG[code];
}

export function httpStatusOf(code: ErrorCode): number {
  return CATEGORIES[ERROR_CATALOG[code]];
}

/** A field-level validation problem; `path` is the JSON path of the offending field. */
export interface ErrorIssue {
  path: string;
  message: string;
}

/** What every error response carries, over tRPC (in `error.data`) and REST (as `error`). */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  httpStatus: number;
  requestId?: string;
  issues?: ErrorIssue[];
}

/**
 * The error services throw. The message must be safe to show to the caller: it never contains
 * stack traces, SQL, secrets or key material.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;

  constructor(code: ErrorCode, message: string, options?: { issues?: ErrorIssue[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options?.issues;
  }

  get httpStatus(): number {
    return httpStatusOf(this.code);
  }
}
