import type { ErrorCategory } from './categories.ts';

/** Codes specific to the seal service. Prefix: SEAL_ is not required, but names must be unique platform-wide. */
export const SEAL_ERRORS = {} as const satisfies Record<string, ErrorCategory>;
