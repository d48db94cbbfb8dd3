import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { databaseUrlWithName, ensureDatabase, withClient } from '../databases.ts';
import { quoteIdentifier, randomSuffix } from '../names.ts';
import { applyMigrations } from '../schema-engine.ts';
import './context.ts';
import { provisionTestServer, type ProvisionOptions } from './provision.ts';

export interface TestDatabaseGlobalSetupOptions extends ProvisionOptions {
  /**
   * The service's Prisma migrations folder: a file URL (e.g. `new URL('../prisma/migrations',
   * import.meta.url)`, independent of the working directory) or a path.
   */
  migrationsDir: string | URL;
}

/**
 * Builds a vitest globalSetup function. Once per vitest run it provisions a PostgreSQL server,
 * migrates a template database with the service's migrations, and provides both to test files,
 * where createTestDatabase() clones the template. At the end it drops every database of the run
 * and stops the server it started.
 *
 * Names carry a per-run id, so several services (or several runs) can share one server
 * (TEST_DATABASE_URL) without colliding.
 */
export function testDatabaseGlobalSetup(options: TestDatabaseGlobalSetupOptions) {
  const migrationsDir =
    options.migrationsDir instanceof URL ? fileURLToPath(options.migrationsDir) : resolve(options.migrationsDir);

  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const server = await provisionTestServer(options);
    // Starts with a letter and stays short: PostgreSQL identifiers are at most 63 characters.
    const runId = `pdb_${Date.now().toString(36)}_${randomSuffix(6)}`;
    const template = `${runId}_template`;

    const teardown = async () => {
      try {
        await dropRunDatabases(server.adminUrl, runId);
      } finally {
        await server.stop();
      }
    };

    try {
      await ensureDatabase(server.adminUrl, template);
      await applyMigrations({ migrationsDir, databaseUrl: databaseUrlWithName(server.adminUrl, template) });
      // Marked as a template so that roles with CREATEDB (not only superusers) may clone it.
      await withClient(server.adminUrl, (client) =>
        client.query(`ALTER DATABASE ${quoteIdentifier(template)} IS_TEMPLATE true`),
      );
    } catch (error) {
      await teardown().catch(() => undefined);
      throw error;
    }

    project.provide('platformDbAdminUrl', server.adminUrl);
    project.provide('platformDbTemplate', template);
    project.provide('platformDbRunId', runId);
    return teardown;
  };
}

async function dropRunDatabases(adminUrl: string, runId: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const result = await client.query<{ datname: string; datistemplate: boolean }>(
      "SELECT datname, datistemplate FROM pg_database WHERE starts_with(datname, $1 || '_')",
      [runId],
    );
    for (const { datname, datistemplate } of result.rows) {
      // A template database cannot be dropped until it is an ordinary database again.
      if (datistemplate) await client.query(`ALTER DATABASE ${quoteIdentifier(datname)} IS_TEMPLATE false`);
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`);
    }
  });
}
