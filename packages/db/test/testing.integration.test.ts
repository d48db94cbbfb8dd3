import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/index.ts';
import {
  containerEngineAnswers,
  createTestDatabase,
  provisionTestServer,
  type TestDatabase,
} from '../src/testing/index.ts';
import { adminUrl, query } from './helpers.ts';

describe('createTestDatabase', () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([first.drop(), second.drop()]);
  });

  it('gives each caller its own migrated database', async () => {
    expect(first.name).not.toBe(second.name);
    for (const database of [first, second]) {
      const tables = await query<{ tablename: string }>(
        database.url,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.map((table) => table.tablename)).toEqual(['Author', 'Book', '_prisma_migrations']);
    }
  });

  it('keeps data of one database out of the other', async () => {
    await query(first.url, `INSERT INTO "Author" (email, name) VALUES ('only@first.test', 'First')`);
    expect(await query(first.url, 'SELECT 1 FROM "Author"')).toHaveLength(1);
    expect(await query(second.url, 'SELECT 1 FROM "Author"')).toHaveLength(0);
  });

  it('drops the database', async () => {
    const third = await createTestDatabase();
    await third.drop();
    const rows = await query(adminUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [third.name]);
    expect(rows).toHaveLength(0);
  });
});

describe('provisioning', () => {
  it('answers quickly that there is no container engine at a bogus address', async () => {
    const closedPort = await findFreePort();
    const started = Date.now();
    expect(await containerEngineAnswers('unix:///nonexistent/docker.sock')).toBe(false);
    expect(await containerEngineAnswers(`tcp://127.0.0.1:${closedPort}`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('does not hang on an endpoint that accepts but never answers', async () => {
    const silent = createServer(() => undefined);
    const port = await findFreePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      expect(await containerEngineAnswers(`tcp://127.0.0.1:${port}`, 500)).toBe(false);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });

  it('provides a working server and stops it', async () => {
    const server = await provisionTestServer({ log: () => undefined });
    try {
      expect(['url', 'container', 'embedded']).toContain(server.kind);
      expect(await query<{ one: number }>(server.adminUrl, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await server.stop();
    }
  });
});
