import type { ErrorCategory } from './categories.ts';

/** Codes specific to the license service. Prefix: LICENSE_ is not required, but names must be unique platform-wide. */
export const LICENSE_ERRORS = {} as const satisfies Record<string, ErrorCategory>;
