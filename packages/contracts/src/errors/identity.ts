import type { ErrorCategory } from './categories.ts';

/** Codes specific to the identity service. Prefix: IDENTITY_ is not required, but names must be unique platform-wide. */
export const IDENTITY_ERRORS = {} as const satisfies Record<string, ErrorCategory>;
