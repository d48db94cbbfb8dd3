// The platform's databases for npm start: the operator's (one URL per service) or, when none is
// configured, an embedded PostgreSQL in the git-ignored data folder. Either way, migrated.
import path from 'node:path';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres, waitForDatabase } from '@platform/db';
import type { LauncherEnv } from './env.ts';
import type { Output } from './console-output.ts';
import { repoRoot, type ServiceSpec } from './services.ts';

export interface PlatformDatabases {
  urls: Map<ServiceSpec['name'], string>;
  kind: 'configured' | 'embedded';
  stop(): Promise<void>;
}

export async function prepareDatabases(
  env: LauncherEnv,
  allSpecs: ServiceSpec[],
  out: Output,
): Promise<PlatformDatabases> {
  const specs = allSpecs.filter((s) => s.database);
  const configured = specs.filter((s) => s.databaseUrl);
  if (configured.length > 0 && configured.length < specs.length) {
    const missing = specs.filter((s) => !s.databaseUrl).map((s) => `${s.name.toUpperCase()}_DATABASE_URL`);
    throw new Error(`set a database URL for every service or for none (missing ${missing.join(', ')})`);
  }

  let urls: Map<ServiceSpec['name'], string>;
  let stop = async () => {};
  let kind: PlatformDatabases['kind'];
  if (configured.length) {
    kind = 'configured';
    urls = new Map(specs.map((s) => [s.name, s.databaseUrl ?? '']));
    out.step('using the configured databases');
    for (const url of urls.values()) await waitForDatabase(url, 30_000);
  } else {
    kind = 'embedded';
    const dataDir = path.resolve(repoRoot, env.PLATFORM_DATA_DIR, 'postgres');
    out.step(
      `starting embedded PostgreSQL on port ${env.PLATFORM_PG_PORT} (data in ${path.relative(repoRoot, dataDir)})`,
    );
    const server = await startEmbeddedPostgres({ dataDir, port: env.PLATFORM_PG_PORT });
    stop = () => server.stop();
    urls = new Map();
    for (const spec of specs) {
      await ensureDatabase(server.adminUrl, spec.name);
      urls.set(spec.name, server.urlFor(spec.name));
    }
    out.done(`embedded PostgreSQL up with databases ${specs.map((s) => s.name).join(', ')}`);
  }

  for (const spec of specs) {
    const applied = await applyMigrations({
      migrationsDir: path.join(spec.dir, 'prisma', 'migrations'),
      databaseUrl: urls.get(spec.name) ?? '',
    });
    out.done(
      `${spec.name}: database migrated${applied.length ? ` (${applied.length} new: ${applied.join(', ')})` : ' (up to date)'}`,
    );
  }
  return { urls, kind, stop };
}
