import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, checkDrift, createMigration } from '../src/index.ts';
import { POSTGRESQL_LOCKFILE } from '../src/migrations-folder.ts';
import { adminUrl, emptyDatabase, query, scratchService, unusedDatabaseUrl, type ScratchService } from './helpers.ts';

const nicknameField = '  name      String\n  nickname  String?\n';

describe('schema engine (wasm) on a real PostgreSQL', () => {
  let service: ScratchService;

  beforeEach(async () => {
    service = await scratchService();
  });
  afterEach(async () => {
    await service.remove();
  });

  const paths = () => ({
    schemaPath: service.schemaPath,
    migrationsDir: service.migrationsDir,
    databaseUrl: adminUrl(),
  });

  async function addNicknameToSchema() {
    const schema = await readFile(service.schemaPath, 'utf8');
    await writeFile(service.schemaPath, schema.replace('  name      String\n', nicknameField));
  }

  it('creates a migration in Prisma layout, applies it, and then reports no drift', async () => {
    const folder = await createMigration({ ...paths(), name: 'init' });
    expect(folder).not.toBeNull();
    expect(basename(folder!)).toMatch(/^\d{14}_init$/);
    const sql = await readFile(join(folder!, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "Author"');
    expect(sql).toContain('CREATE UNIQUE INDEX "Author_email_key"');
    expect(await readFile(join(service.migrationsDir, 'migration_lock.toml'), 'utf8')).toBe(POSTGRESQL_LOCKFILE);

    const databaseUrl = await emptyDatabase();
    expect(await applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl })).toEqual([basename(folder!)]);

    // Same bookkeeping as `prisma migrate deploy`: a finished row whose checksum is the file's SHA-256.
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      databaseUrl,
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    expect(rows[0]?.finished_at).not.toBeNull();
    await query(databaseUrl, `INSERT INTO "Author" (email, name) VALUES ('a@example.test', 'A')`);

    expect(await checkDrift(paths())).toEqual({ drift: false, sql: '' });
    expect(await createMigration({ ...paths(), name: 'nothing_changed' })).toBeNull();
  });

  it('detects drift after the schema is edited, and the next migration resolves it', async () => {
    const first = await createMigration({ ...paths(), name: 'init' });
    await addNicknameToSchema();

    const report = await checkDrift(paths());
    expect(report.drift).toBe(true);
    expect(report.sql).toMatch(/ALTER TABLE "Author" ADD COLUMN\s+"nickname" TEXT/);

    const second = await createMigration({ ...paths(), name: 'add_nickname' });
    expect(basename(second!) > basename(first!)).toBe(true);
    expect(await checkDrift(paths())).toEqual({ drift: false, sql: '' });

    const databaseUrl = await emptyDatabase();
    const applied = await applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl });
    expect(applied).toEqual([basename(first!), basename(second!)]);
  });

  it('applies nothing the second time', async () => {
    await createMigration({ ...paths(), name: 'init' });
    const databaseUrl = await emptyDatabase();
    expect(await applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl })).toHaveLength(1);
    expect(await applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl })).toEqual([]);
    const rows = await query(databaseUrl, 'SELECT 1 FROM _prisma_migrations');
    expect(rows).toHaveLength(1);
  });

  it('creates the target database when it does not exist, like prisma migrate deploy', async () => {
    await createMigration({ ...paths(), name: 'init' });
    const databaseUrl = unusedDatabaseUrl();
    expect(await applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl })).toHaveLength(1);
  });

  it('refuses to run when an applied migration was modified, and applies nothing else', async () => {
    const first = await createMigration({ ...paths(), name: 'init' });
    const databaseUrl = await emptyDatabase();
    await applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl });

    await addNicknameToSchema();
    await createMigration({ ...paths(), name: 'add_nickname' });
    const firstSql = join(first!, 'migration.sql');
    await writeFile(firstSql, `${await readFile(firstSql, 'utf8')}\n-- edited afterwards\n`);

    await expect(applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl })).rejects.toThrow(
      new RegExp(`modified after they were applied: ${basename(first!)}`),
    );
    const rows = await query(databaseUrl, 'SELECT 1 FROM _prisma_migrations');
    expect(rows).toHaveLength(1);
  });

  it('applies each migration once when two callers run at the same time', async () => {
    await createMigration({ ...paths(), name: 'init' });
    await addNicknameToSchema();
    await createMigration({ ...paths(), name: 'add_nickname' });
    const names = (await readdir(service.migrationsDir)).filter((entry) => /^\d{14}_/.test(entry)).sort();

    const databaseUrl = await emptyDatabase();
    const results = await Promise.all([
      applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl }),
      applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl }),
    ]);
    expect(results.flat().sort()).toEqual(names);
    const rows = await query<{ migration_name: string }>(
      databaseUrl,
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(names);
  });

  it('rejects migration names that are not snake_case', async () => {
    await expect(createMigration({ ...paths(), name: 'Add-Users' })).rejects.toThrow(/snake_case/);
    await expect(createMigration({ ...paths(), name: '' })).rejects.toThrow(/snake_case/);
  });

  it('reports a migration that does not replay as a one-line error', async () => {
    await createMigration({ ...paths(), name: 'init' });
    const [folder] = (await readdir(service.migrationsDir)).filter((entry) => /^\d{14}_/.test(entry));
    await writeFile(join(service.migrationsDir, folder!, 'migration.sql'), 'CREATE TABLE broken (;\n');
    await expect(checkDrift(paths())).rejects.toThrow(/failed to apply cleanly to the shadow database/);
  });

  it('applies a hand-written trigger whose body holds semicolons, and replays it in the shadow database', async () => {
    const folder = await createMigration({ ...paths(), name: 'init' });
    const trigger = `
CREATE FUNCTION author_name_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name <> OLD.name THEN
    RAISE EXCEPTION 'name is immutable; keep it';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER author_name_immutable BEFORE UPDATE ON "Author" FOR EACH ROW EXECUTE FUNCTION author_name_immutable();
`;
    await writeFile(join(folder!, 'migration.sql'), (await readFile(join(folder!, 'migration.sql'), 'utf8')) + trigger);
    const databaseUrl = await emptyDatabase();
    await applyMigrations({ migrationsDir: service.migrationsDir, databaseUrl });
    await query(databaseUrl, `INSERT INTO "Author" (email, name) VALUES ('a@example.test', 'A')`);
    await expect(query(databaseUrl, `UPDATE "Author" SET name = 'B'`)).rejects.toThrow('name is immutable; keep it');
    expect(await checkDrift(paths())).toEqual({ drift: false, sql: '' });
  });
});
