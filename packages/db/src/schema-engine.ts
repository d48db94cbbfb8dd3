import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import { withAdvisoryLock } from './advisory-lock.ts';
import { databaseNameOf, databaseUrlWithName, ensureDatabase, withClient } from './databases.ts';
import { createEngineAdapterFactory } from './engine-adapter.ts';
import { PlatformDbError, conciseMessage } from './errors.ts';
import { readMigrationsList, nextMigrationFolderName, writeMigration } from './migrations-folder.ts';
import { assertMigrationName } from './names.ts';
import { loadSchemaEngine, recordCrash } from './schema-engine-loader.ts';

export interface CreateMigrationOptions {
  /** Path to schema.prisma. */
  schemaPath: string;
  /** The Prisma migrations folder (created if missing). */
  migrationsDir: string;
  /** snake_case name; the folder becomes `<YYYYMMDDHHMMSS>_<name>`. */
  name: string;
  /** A server we may create (and drop) a throwaway shadow database on. */
  databaseUrl: string;
  log?: (line: string) => void;
}

export interface ApplyMigrationsOptions {
  migrationsDir: string;
  /** The database to migrate; created if it does not exist yet (like `prisma migrate deploy`). */
  databaseUrl: string;
  log?: (line: string) => void;
}

export interface CheckDriftOptions {
  schemaPath: string;
  migrationsDir: string;
  databaseUrl: string;
  log?: (line: string) => void;
}

export interface DriftReport {
  /** True when replaying the migrations does not produce what schema.prisma describes. */
  drift: boolean;
  /** The SQL a new migration would need to contain (empty when there is no drift). */
  sql: string;
}

/** We do not use Prisma's external tables/enums feature. */
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Our own lock name: the engine takes Prisma's lock (72707369) itself, inside ours. */
const MIGRATE_LOCK = 'platform-db:migrate';

/**
 * Generates the next migration: the SQL that takes a database migrated with the existing folder
 * to what schema.prisma describes. Returns the new folder, or null when nothing changed.
 *
 * The wasm engine's createMigration cannot reach a shadow database for PostgreSQL (it is only
 * handed the main connection), so we ask its `diff` (migrations → schema), which replays the
 * folder on a shadow database from our adapter factory and renders the same script, and write
 * the folder ourselves in Prisma's layout.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<string | null> {
  const name = assertMigrationName(options.name);
  const { drift, sql } = await diffMigrationsToSchema(options);
  if (!drift) return null;
  const list = await readMigrationsList(options.migrationsDir);
  const folderName = nextMigrationFolderName(
    list.migrationDirectories.map((directory) => directory.path),
    name,
    new Date(),
  );
  return writeMigration(options.migrationsDir, folderName, sql);
}

/** Compares schema.prisma with the migrations folder (replayed on a shadow database). */
export async function checkDrift(options: CheckDriftOptions): Promise<DriftReport> {
  return diffMigrationsToSchema(options);
}

/**
 * Applies pending migrations and records them in `_prisma_migrations`, like `prisma migrate
 * deploy`. Returns the names applied (empty when up to date). Refuses to run when an applied
 * migration's file was edited afterwards, or when a previous attempt failed half-way.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<string[]> {
  const { migrationsDir, databaseUrl, log } = options;
  await ensureDatabaseExists(databaseUrl);
  return withAdvisoryLock(databaseUrl, MIGRATE_LOCK, () =>
    withEngine({ databaseUrl, log }, async (engine) => {
      // Read the folder only once we hold the lock, so a waiting caller sees what the first applied.
      const migrationsList = await readMigrationsList(migrationsDir);
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: NO_FILTER,
      });
      if (diagnosis.editedMigrationNames.length > 0) {
        throw new PlatformDbError(
          `Applied migration(s) were modified after they were applied: ${diagnosis.editedMigrationNames.join(', ')}. ` +
            'Restore the original migration.sql and put the change in a new migration.',
        );
      }
      if (diagnosis.failedMigrationNames.length > 0) {
        throw new PlatformDbError(
          `Migration(s) failed earlier and need manual resolution: ${diagnosis.failedMigrationNames.join(', ')}.`,
        );
      }
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      return appliedMigrationNames;
    }),
  );
}

async function diffMigrationsToSchema(options: CheckDriftOptions): Promise<DriftReport> {
  const { schemaPath, migrationsDir, databaseUrl, log } = options;
  const schemaFile = { path: basename(schemaPath), content: await readSchema(schemaPath) };
  const migrationsList = await readMigrationsList(migrationsDir);
  return withEngine({ databaseUrl, log, schema: schemaFile }, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [schemaFile] },
      script: true,
      // With exitCode the engine reports a non-empty diff as 2, which is how we tell "no change".
      exitCode: true,
      filters: NO_FILTER,
    });
    const drift = result.exitCode === 2;
    return { drift, sql: drift ? (result.stdout ?? '') : '' };
  });
}

async function readSchema(schemaPath: string): Promise<string> {
  try {
    return await readFile(schemaPath, 'utf8');
  } catch {
    throw new PlatformDbError(`Cannot read the Prisma schema at ${schemaPath}`);
  }
}

interface EngineOptions {
  databaseUrl: string;
  log?: ((line: string) => void) | undefined;
  schema?: { path: string; content: string };
}

/** Starts an engine over our adapter factory, runs `work`, and always releases every connection. */
async function withEngine<T>(options: EngineOptions, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const wasm = await loadSchemaEngine();
  const adapters = createEngineAdapterFactory(options.databaseUrl);
  const log = options.log ?? (() => undefined);
  let engine: SchemaEngine | undefined;
  let crashed = false;
  try {
    engine = await wasm.SchemaEngine.new(
      { datamodels: options.schema ? [[options.schema.path, options.schema.content]] : undefined },
      (line: string) => log(line),
      bindMigrationAwareSqlAdapterFactory(adapters.factory),
    );
    return await work(engine);
  } catch (error) {
    if (error instanceof PlatformDbError) throw error;
    const panic = recordCrash(error);
    if (panic !== undefined) {
      crashed = true;
      throw new PlatformDbError(`The schema engine crashed: ${panic}`, { cause: error });
    }
    throw new PlatformDbError(conciseMessage(error), { cause: error });
  } finally {
    // After a trap the instance is broken; free() would only trap again.
    if (!crashed) engine?.free();
    await adapters.close();
  }
}

/** `prisma migrate deploy` creates a missing database; so do we, via the server's `postgres` db. */
async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  try {
    await withClient(databaseUrl, async () => undefined);
  } catch (error) {
    const missing = (error as { code?: string }).code === '3D000';
    if (!missing) {
      throw new PlatformDbError(`Cannot connect to the database: ${conciseMessage(error)}`, { cause: error });
    }
    await ensureDatabase(databaseUrlWithName(databaseUrl, 'postgres'), databaseNameOf(databaseUrl));
  }
}
