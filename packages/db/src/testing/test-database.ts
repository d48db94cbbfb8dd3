import { inject } from 'vitest';
import { cloneDatabase, databaseUrlWithName, dropDatabase } from '../databases.ts';
import { PlatformDbError } from '../errors.ts';
import { randomSuffix } from '../names.ts';
import './context.ts';

export interface TestDatabase {
  /** The new database's name. */
  name: string;
  /** Connection URL of the new database (migrated like the template). */
  url: string;
  /** Drops the database (the global teardown also drops any left behind). */
  drop(): Promise<void>;
}

/**
 * Inside a test file (e.g. in beforeAll): a fresh, migrated database of its own, cloned from the
 * run's template, so test files can run in parallel without sharing state.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('platformDbAdminUrl');
  const template = inject('platformDbTemplate');
  const runId = inject('platformDbRunId');
  if (!adminUrl || !template || !runId) {
    throw new PlatformDbError(
      'createTestDatabase() needs the test database globalSetup: add a file exporting testDatabaseGlobalSetup({ migrationsDir }) to globalSetup in vitest.config.ts.',
    );
  }
  const name = `${runId}_${randomSuffix(8)}`;
  await cloneDatabase(adminUrl, template, name);
  return { name, url: databaseUrlWithName(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}
