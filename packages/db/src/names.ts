import { PlatformDbError } from './errors.ts';

/** PostgreSQL truncates identifiers longer than this, which would silently merge names. */
const MAX_IDENTIFIER_LENGTH = 63;

const DATABASE_NAME = /^[a-z_][a-z0-9_]*$/;
const MIGRATION_NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * Database names are interpolated into DDL (CREATE DATABASE cannot take parameters), so we only
 * accept plain lower-case identifiers and quote them as well.
 */
export function assertDatabaseName(name: string): string {
  if (!DATABASE_NAME.test(name) || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new PlatformDbError(
      `Invalid database name "${name}": use lower-case letters, digits and underscores (at most ${MAX_IDENTIFIER_LENGTH} characters).`,
    );
  }
  return name;
}

export function quoteIdentifier(name: string): string {
  return `"${assertDatabaseName(name)}"`;
}

/** Migration names end up in folder names and in _prisma_migrations, so keep them snake_case. */
export function assertMigrationName(name: string): string {
  if (!MIGRATION_NAME.test(name) || name.length > 200) {
    throw new PlatformDbError(
      `Invalid migration name "${name}": use snake_case letters and digits, e.g. add_user_email.`,
    );
  }
  return name;
}

/** A short random suffix for throwaway database names (lower-case, identifier-safe). */
export function randomSuffix(length = 10): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}
