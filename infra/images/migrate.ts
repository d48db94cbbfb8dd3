// `migrate` inside a service image: applies the service's committed migrations (prisma/migrations
// next to dist/) to DATABASE_URL, exactly as `platform-db migrate` does in a checkout. Safe to run
// from several replicas at once: applyMigrations holds a PostgreSQL advisory lock.
import { resolve } from 'node:path';
import { applyMigrations, redactUrl } from '@platform/db';
import { loadMigrateEnv } from './env.ts';

try {
  const env = loadMigrateEnv();
  const applied = await applyMigrations({ migrationsDir: resolve(env.MIGRATIONS_DIR), databaseUrl: env.DATABASE_URL });
  console.log(
    `migrate: ${redactUrl(env.DATABASE_URL)} ${applied.length ? `applied ${applied.join(', ')}` : 'is up to date'}`,
  );
} catch (error) {
  console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
