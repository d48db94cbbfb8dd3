import { describe, expect, it } from 'vitest';
import { appendToChain } from '../src/chained-append.ts';
import { databaseNameOf, databaseUrlWithName, redactUrl } from '../src/databases.ts';
import { migrationTimestamp, nextMigrationFolderName } from '../src/migrations-folder.ts';
import { assertDatabaseName, assertMigrationName } from '../src/names.ts';

describe('migration folder names', () => {
  const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

  it('uses a UTC YYYYMMDDHHMMSS prefix like Prisma', () => {
    expect(migrationTimestamp(now)).toBe('20260102030405');
    expect(nextMigrationFolderName([], 'init', now)).toBe('20260102030405_init');
  });

  it('always sorts after the newest existing migration, even within the same second', () => {
    expect(nextMigrationFolderName(['20260102030405_init'], 'add_x', now)).toBe('20260102030406_add_x');
    expect(nextMigrationFolderName(['20260102035959_later'], 'add_x', now)).toBe('20260102040000_add_x');
    expect(nextMigrationFolderName(['20250101000000_old', 'notes'], 'add_x', now)).toBe('20260102030405_add_x');
  });
});

describe('names', () => {
  it('accepts snake_case migration names only', () => {
    expect(assertMigrationName('add_user_email2')).toBe('add_user_email2');
    for (const bad of ['AddUser', 'add-user', '_add', 'add__user', 'add_', '1st', '']) {
      expect(() => assertMigrationName(bad)).toThrow(/snake_case/);
    }
  });

  it('accepts plain lower-case database names only', () => {
    expect(assertDatabaseName('pdb_abc_template')).toBe('pdb_abc_template');
    for (const bad of ['Upper', 'semi;colon', 'quote"', 'a'.repeat(64), '']) {
      expect(() => assertDatabaseName(bad)).toThrow(/Invalid database name/);
    }
  });
});

describe('database URLs', () => {
  it('swaps the database and keeps credentials and parameters', () => {
    expect(databaseUrlWithName('postgres://u:p%40ss@db.local:5433/app?sslmode=disable', 'other')).toBe(
      'postgres://u:p%40ss@db.local:5433/other?sslmode=disable',
    );
    expect(databaseUrlWithName('postgresql://u@h', 'x')).toBe('postgresql://u@h/x');
  });

  it('reads the database name, defaulting to the user name as PostgreSQL does', () => {
    expect(databaseNameOf('postgresql://u:p@h:1/app')).toBe('app');
    expect(databaseNameOf('postgresql://someone@h')).toBe('someone');
  });

  it('hides the password in messages', () => {
    expect(redactUrl('postgresql://u:secret@h:1/app')).toBe('postgresql://u:***@h:1/app');
  });
});

describe('appendToChain', () => {
  const conflict = () => Object.assign(new Error('duplicate key'), { code: '23505' });
  /** Steps whose tries fail with `conflict()` until try number `succeedOn` (0-based). */
  const stepsFailingUntil = (succeedOn: number) => {
    const tries: string[] = [];
    let forgotten = 0;
    const attempt = (kind: string) => async () => {
      tries.push(kind);
      if (tries.length - 1 < succeedOn) throw conflict();
      return kind;
    };
    return {
      tries,
      forgotten: () => forgotten,
      steps: { optimistic: attempt('optimistic'), locked: attempt('locked'), forgetTail: () => void forgotten++ },
    };
  };
  const limits = { optimisticAttempts: 3, lockedAttempts: 4 };

  it('goes on to the locked append after the optimistic tries, and retries a locked append that lost a race', async () => {
    // The 5th try is the second locked one: an optimistic writer elsewhere beat the first.
    const run = stepsFailingUntil(4);
    await expect(appendToChain(run.steps, limits)).resolves.toBe('locked');
    expect(run.tries).toEqual(['optimistic', 'optimistic', 'optimistic', 'locked', 'locked']);
    expect(run.forgotten()).toBe(4);
  });

  it('gives up with the conflict once the locked tries are spent', async () => {
    const run = stepsFailingUntil(99);
    await expect(appendToChain(run.steps, limits)).rejects.toMatchObject({ code: '23505' });
    expect(run.tries).toHaveLength(7);
  });

  it('does not retry errors other than a unique conflict', async () => {
    const failure = new Error('connection lost');
    const steps = {
      optimistic: () => Promise.reject(failure),
      locked: () => Promise.resolve('x'),
      forgetTail: () => {},
    };
    await expect(appendToChain(steps, limits)).rejects.toBe(failure);
  });
});
