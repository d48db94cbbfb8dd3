// @platform/db — migrations without Prisma's native engine, embedded PostgreSQL, database helpers.
export {
  applyMigrations,
  checkDrift,
  createMigration,
  type ApplyMigrationsOptions,
  type CheckDriftOptions,
  type CreateMigrationOptions,
  type DriftReport,
} from './schema-engine.ts';
export {
  DEFAULT_EMBEDDED_PORT,
  startEmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
} from './embedded.ts';
export {
  cloneDatabase,
  databaseUrlWithName,
  dropDatabase,
  ensureDatabase,
  redactUrl,
  waitForDatabase,
} from './databases.ts';
export { PlatformDbError } from './errors.ts';
export { findFreePort } from './ports.ts';
export { isCheckViolation, isUniqueViolation } from './constraint-errors.ts';
export {
  appendToChain,
  DEFAULT_CHAINED_APPEND_LIMITS,
  type ChainedAppendLimits,
  type ChainedAppendSteps,
} from './chained-append.ts';
