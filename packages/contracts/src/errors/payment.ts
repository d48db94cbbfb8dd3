import type { ErrorCategory } from './categories.ts';

/** Codes specific to the payment service. Prefix: PAYMENT_ is not required, but names must be unique platform-wide. */
export const PAYMENT_ERRORS = {} as const satisfies Record<string, ErrorCategory>;
