import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childProcessEnv } from '../src/env.ts';
import {
  emptyDatabase,
  fixtureDir,
  processesMentioning,
  query,
  runCli,
  scratchService,
  type ScratchService,
} from './helpers.ts';

// These run the real bin (node bin/platform-db.js → tsx → src/cli.ts) in a service directory.
const withoutDatabaseUrl = childProcessEnv({ DATABASE_URL: undefined });
const withDatabaseUrl = (url: string) => childProcessEnv({ DATABASE_URL: url });

function expectOneLineError(stderr: string) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^platform-db: /);
}

describe('platform-db CLI', () => {
  let service: ScratchService;

  beforeEach(async () => {
    service = await scratchService();
  });
  afterEach(async () => {
    await service.remove();
  });

  it('migrate:create and drift work offline with a throwaway embedded PostgreSQL', async () => {
    const created = await runCli(['migrate:create', 'init'], { cwd: service.dir, env: withoutDatabaseUrl });
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/^Created prisma\/migrations\/\d{14}_init\/migration\.sql$/m);

    const clean = await runCli(['drift'], { cwd: service.dir, env: withoutDatabaseUrl });
    expect(clean.code).toBe(0);

    const schema = await readFile(service.schemaPath, 'utf8');
    await writeFile(service.schemaPath, schema.replace('  title    String\n', '  title    String\n  pages    Int?\n'));
    const drifted = await runCli(['drift'], { cwd: service.dir, env: withoutDatabaseUrl });
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/ALTER TABLE "Book" ADD COLUMN\s+"pages" INTEGER/);

    // The throwaway servers (data dirs named platform-db-cli-*) are gone.
    expect(await processesMentioning('platform-db-cli-')).toEqual([]);
  });

  it('migrate applies to DATABASE_URL once, and reports nothing pending afterwards', async () => {
    const databaseUrl = await emptyDatabase();
    await runCli(['migrate:create', 'init'], { cwd: service.dir, env: withDatabaseUrl(databaseUrl) });

    const first = await runCli(['migrate'], { cwd: service.dir, env: withDatabaseUrl(databaseUrl) });
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/Applied 1 migration\(s\):\n {2}\d{14}_init/);
    const again = await runCli(['migrate'], { cwd: service.dir, env: withDatabaseUrl(databaseUrl) });
    expect(again).toMatchObject({ code: 0, stdout: 'No pending migrations.\n' });
  });

  it('two migrate processes at once apply the migration exactly once', async () => {
    const databaseUrl = await emptyDatabase();
    await runCli(['migrate:create', 'init'], { cwd: service.dir, env: withDatabaseUrl(databaseUrl) });
    const results = await Promise.all([
      runCli(['migrate'], { cwd: service.dir, env: withDatabaseUrl(databaseUrl) }),
      runCli(['migrate'], { cwd: service.dir, env: withDatabaseUrl(databaseUrl) }),
    ]);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    expect(results.filter((result) => result.stdout.startsWith('Applied 1'))).toHaveLength(1);
    expect(results.filter((result) => result.stdout === 'No pending migrations.\n')).toHaveLength(1);
    expect(await query(databaseUrl, 'SELECT 1 FROM _prisma_migrations')).toHaveLength(1);
  });

  it('fails with one line and exit code 1 on usage and configuration errors', async () => {
    const noUrl = await runCli(['migrate'], { cwd: service.dir, env: withoutDatabaseUrl });
    expect(noUrl.code).toBe(1);
    expectOneLineError(noUrl.stderr);
    expect(noUrl.stderr).toContain('DATABASE_URL is not set');

    const badUrl = await runCli(['migrate'], { cwd: service.dir, env: withDatabaseUrl('mysql://nope') });
    expect(badUrl.code).toBe(1);
    expectOneLineError(badUrl.stderr);
    expect(badUrl.stderr).toContain('DATABASE_URL');

    const badName = await runCli(['migrate:create', 'Not-Snake'], { cwd: service.dir, env: withoutDatabaseUrl });
    expect(badName.code).toBe(1);
    expectOneLineError(badName.stderr);

    const unknown = await runCli(['frobnicate'], { cwd: service.dir, env: withoutDatabaseUrl });
    expect(unknown.code).toBe(1);
    expectOneLineError(unknown.stderr);
  });

  it('reports an unreachable database in one line', async () => {
    const result = await runCli(['migrate'], {
      cwd: service.dir,
      env: withDatabaseUrl('postgresql://postgres:postgres@127.0.0.1:9/nowhere'),
    });
    expect(result.code).toBe(1);
    expectOneLineError(result.stderr);
  });
});

describe('platform-db generate', () => {
  const generatedDir = join(fixtureDir, 'generated');
  afterAll(async () => {
    await rm(generatedDir, { recursive: true, force: true });
  });

  it('runs prisma generate with the fixture prisma.config.ts and no native engine', async () => {
    const result = await runCli(['generate'], { cwd: fixtureDir, env: withoutDatabaseUrl });
    expect(result.code, result.stderr).toBe(0);
    await expect(access(join(generatedDir, 'client.ts'))).resolves.toBeUndefined();
  });
});
