import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from './embedded.ts';
import { childProcessEnv, readEnv } from './env.ts';
import { PlatformDbError, conciseMessage } from './errors.ts';
import { findFreePort } from './ports.ts';
import { applyMigrations, checkDrift, createMigration } from './schema-engine.ts';

// `platform-db`, run from a service directory that holds prisma/schema.prisma and
// prisma/migrations/ (and, for generate, prisma.config.ts).

const USAGE = `Usage: platform-db <command>

Commands (run in a service directory with prisma/schema.prisma and prisma/migrations/):
  generate              prisma generate, without downloading Prisma's native engine
  migrate               apply pending migrations to DATABASE_URL
  migrate:create NAME   write the next migration (snake_case NAME) from schema.prisma
  drift                 exit 1 and print the SQL when schema.prisma and the migrations disagree

migrate:create and drift use DATABASE_URL's server for a throwaway shadow database, or a
temporary embedded PostgreSQL when DATABASE_URL is not set.`;

interface ServicePaths {
  cwd: string;
  schemaPath: string;
  migrationsDir: string;
}

function servicePaths(cwd: string): ServicePaths {
  return { cwd, schemaPath: join(cwd, 'prisma', 'schema.prisma'), migrationsDir: join(cwd, 'prisma', 'migrations') };
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const paths = servicePaths(process.cwd());
  switch (command) {
    case 'generate':
      return generate(paths, rest);
    case 'migrate':
      return migrate(paths);
    case 'migrate:create':
      return migrateCreate(paths, rest[0]);
    case 'drift':
      return drift(paths);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      throw new PlatformDbError(`Unknown command "${command}". Run platform-db --help.`);
  }
}

async function migrate(paths: ServicePaths): Promise<number> {
  const { DATABASE_URL } = readEnv();
  if (!DATABASE_URL) throw new PlatformDbError('DATABASE_URL is not set: it names the database to migrate.');
  const applied = await applyMigrations({ migrationsDir: paths.migrationsDir, databaseUrl: DATABASE_URL });
  console.log(
    applied.length === 0
      ? 'No pending migrations.'
      : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`,
  );
  return 0;
}

async function migrateCreate(paths: ServicePaths, name: string | undefined): Promise<number> {
  if (!name) throw new PlatformDbError('Missing migration name: platform-db migrate:create NAME');
  const folder = await withShadowServer((databaseUrl) =>
    createMigration({ schemaPath: paths.schemaPath, migrationsDir: paths.migrationsDir, name, databaseUrl }),
  );
  console.log(
    folder
      ? `Created ${relative(paths.cwd, join(folder, 'migration.sql'))}`
      : 'schema.prisma matches the migrations: nothing to create.',
  );
  return 0;
}

async function drift(paths: ServicePaths): Promise<number> {
  const report = await withShadowServer((databaseUrl) =>
    checkDrift({ schemaPath: paths.schemaPath, migrationsDir: paths.migrationsDir, databaseUrl }),
  );
  if (!report.drift) {
    console.log('No drift: the migrations produce what schema.prisma describes.');
    return 0;
  }
  console.error('Drift: schema.prisma and the migrations disagree. A new migration would need:');
  console.log(report.sql.trimEnd());
  return 1;
}

/**
 * Runs `work` with a server that may host a throwaway shadow database: DATABASE_URL's when set,
 * otherwise a temporary embedded PostgreSQL that is stopped and deleted afterwards, so these
 * commands work offline with no setup.
 */
async function withShadowServer<T>(work: (databaseUrl: string) => Promise<T>): Promise<T> {
  const { DATABASE_URL } = readEnv();
  if (DATABASE_URL) return work(DATABASE_URL);
  const dataDir = await mkdtemp(join(tmpdir(), 'platform-db-cli-'));
  try {
    const server = await startEmbeddedPostgres({ dataDir, port: await findFreePort() });
    try {
      return await work(server.adminUrl);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function generate(paths: ServicePaths, extraArgs: readonly string[]): Promise<number> {
  const prismaCli = await resolvePrismaCli(paths.cwd);
  const placeholderEngine = fileURLToPath(new URL('../bin/no-native-schema-engine.js', import.meta.url));
  const { PRISMA_SCHEMA_ENGINE_BINARY } = readEnv();
  const env = childProcessEnv({
    // generate never runs the schema engine but downloads it unless this names an existing file.
    PRISMA_SCHEMA_ENGINE_BINARY: PRISMA_SCHEMA_ENGINE_BINARY ?? placeholderEngine,
    // No update check or telemetry ping: both would wait on a network we may not have.
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  });
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, [prismaCli, 'generate', ...extraArgs], {
      cwd: paths.cwd,
      env,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}

/** The service's own `prisma` package (its devDependency), so its version is the one used. */
async function resolvePrismaCli(cwd: string): Promise<string> {
  let packageJsonPath: string;
  try {
    packageJsonPath = createRequire(join(cwd, 'package.json')).resolve('prisma/package.json');
  } catch {
    throw new PlatformDbError('The `prisma` package is not installed for this service: add it to its devDependencies.');
  }
  const manifest = JSON.parse(await readFile(packageJsonPath, 'utf8')) as { bin?: Record<string, string> };
  const bin = manifest.bin?.prisma;
  if (!bin) throw new PlatformDbError(`Cannot find the prisma command in ${packageJsonPath}`);
  return resolve(dirname(packageJsonPath), bin);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // One line, no stack: these errors are meant to be read at a terminal or in CI logs.
  const oneLine = conciseMessage(error)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
  console.error(`platform-db: ${oneLine}`);
  process.exitCode = 1;
}
