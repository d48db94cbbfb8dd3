// The platform's one error model. Every service throws AppError with a code from this catalogue;
// clients (TypeScript or any REST integrator) branch on `code`, never on `message`.

import { CATEGORIES, type ErrorCategory } from './categories.ts';
import { GENERIC_ERRORS } from './generic.ts';
import { IDENTITY_ERRORS } from './identity.ts';
import { LICENSE_ERRORS } from './license.ts';
import { PAYMENT_ERRORS } from './payment.ts';
import { SEAL_ERRORS } from './seal.ts';
import { BANKSIM_ERRORS } from './banksim.ts';

export type { ErrorCategory };

/**
 * Stable error codes of the whole platform, each with its transport category. Adding a code is
 * backwards compatible; renaming or removing one breaks integrators. Each service keeps its own
 * codes in its own file here.
 */
export const ERROR_CATALOG = {
  ...GENERIC_ERRORS,
  ...IDENTITY_ERRORS,
  ...LICENSE_ERRORS,
  ...SEAL_ERRORS,
  ...PAYMENT_ERRORS,
  ...BANKSIM_ERRORS,
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
