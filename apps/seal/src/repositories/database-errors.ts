// Recognises the PostgreSQL errors the service expects from its own constraints, whatever layer
// (Prisma, the pg adapter) wraps them.

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
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
  codesOf(error).some((code) => code === '23505' || code === 'P2002');

/** A CHECK constraint or guard trigger refused the change (PostgreSQL 23514). */
export const isCheckViolation = (error: unknown): boolean => codesOf(error).includes('23514');
