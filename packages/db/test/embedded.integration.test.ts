import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_EMBEDDED_PORT,
  PlatformDbError,
  checkDrift,
  createMigration,
  findFreePort,
  startEmbeddedPostgres,
  type EmbeddedPostgresServer,
} from '../src/index.ts';
import { childrenOf, isAlive, processesMentioning, query, scratchService } from './helpers.ts';

describe('startEmbeddedPostgres', () => {
  let dataDir: string;
  let server: EmbeddedPostgresServer | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'platform-db-embedded-test-'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function postmasterPid(): Promise<number> {
    const [line] = await processesMentioning(dataDir);
    const pid = Number(line?.trim().split(/\s+/)[0]);
    expect(pid).toBeGreaterThan(0);
    return pid;
  }

  it('uses 54329 by default, not 5432', () => {
    expect(DEFAULT_EMBEDDED_PORT).toBe(54329);
  });

  it('initialises an empty data dir, serves databases, and stops without leaving processes', async () => {
    server = await startEmbeddedPostgres({ dataDir, port: await findFreePort() });
    const url = await server.ensureDatabase('keeps_data');
    expect(url).toBe(server.urlFor('keeps_data'));
    expect(await server.ensureDatabase('keeps_data')).toBe(url);
    await query(url, 'CREATE TABLE marker (id int)');
    await query(url, 'INSERT INTO marker VALUES (42)');

    const pid = await postmasterPid();
    expect((await childrenOf(pid)).length).toBeGreaterThan(0);
    await server.stop();
    await server.stop();
    expect(isAlive(pid)).toBe(false);
    expect(await childrenOf(pid)).toEqual([]);
    expect(await processesMentioning(dataDir)).toEqual([]);
  });

  it('reuses an initialised data dir instead of initialising it again', async () => {
    server = await startEmbeddedPostgres({ dataDir, port: await findFreePort() });
    const rows = await query<{ id: number }>(server.urlFor('keeps_data'), 'SELECT id FROM marker');
    expect(rows).toEqual([{ id: 42 }]);
  });

  it('hosts the shadow databases of the schema engine and drops them afterwards', async () => {
    const service = await scratchService();
    try {
      const databaseUrl = server!.adminUrl;
      await createMigration({ ...service, name: 'init', databaseUrl });
      await checkDrift({ ...service, databaseUrl });
      const shadows = await query(databaseUrl, "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'");
      expect(shadows).toEqual([]);
    } finally {
      await service.remove();
    }
  });

  it('fails with one clear line when the port is in use', async () => {
    const blocker: Server = createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const otherDir = await mkdtemp(join(tmpdir(), 'platform-db-embedded-test-'));
    try {
      const attempt = startEmbeddedPostgres({ dataDir: otherDir, port });
      await expect(attempt).rejects.toThrow(PlatformDbError);
      await expect(attempt).rejects.toThrow(`port ${port} is already in use`);
    } finally {
      blocker.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses a non-empty directory that is not a data directory', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'platform-db-embedded-test-'));
    try {
      await writeFile(join(otherDir, 'notes.txt'), 'not a database');
      await expect(startEmbeddedPostgres({ dataDir: otherDir, port: await findFreePort() })).rejects.toThrow(
        /neither empty nor a PostgreSQL data directory/,
      );
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it.runIf(process.getuid?.() === 0)(
    'as root, names a folder the postgres user cannot enter, and the fix',
    async () => {
      const privateDir = await mkdtemp(join(tmpdir(), 'platform-db-private-'));
      try {
        await chmod(privateDir, 0o700);
        const attempt = startEmbeddedPostgres({ dataDir: join(privateDir, 'data'), port: await findFreePort() });
        await expect(attempt).rejects.toThrow(PlatformDbError);
        await expect(attempt).rejects.toThrow(`cannot enter ${privateDir} (mode 700): run \`chmod o+x ${privateDir}\``);
      } finally {
        await rm(privateDir, { recursive: true, force: true });
      }
    },
  );
});
