// Recognises the PostgreSQL errors a service expects from its own constraints (a unique key that
// makes an operation idempotent, a CHECK or guard trigger that makes a state change illegal),
// whatever layer wraps them: node-postgres (`code`), Prisma's pg driver adapter
// (`cause.originalCode`), or the Prisma client (`code` P2002 with the adapter error in `meta`).
// One definition for every service, so "is this a duplicate?" is never answered by matching
// message text.

const MAX_DEPTH = 8;

function sqlStatesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth++) {
    for (const key of ['code', 'originalCode']) {
      const value = (current as Record<string, unknown>)[key];
      if (typeof value === 'string') codes.push(value);
    }
    const meta = (current as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
    const original = meta?.driverAdapterError?.cause?.originalCode;
    if (typeof original === 'string') codes.push(original);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** A unique constraint was violated (PostgreSQL 23505, Prisma P2002). */
export const isUniqueViolation = (error: unknown): boolean =>
  sqlStatesOf(error).some((code) => code === '23505' || code === 'P2002');

/** A CHECK constraint or a guard trigger refused the change (PostgreSQL 23514). */
export const isCheckViolation = (error: unknown): boolean => sqlStatesOf(error).includes('23514');
