import { withClient } from './databases.ts';

/**
 * Runs `work` while holding a session-level PostgreSQL advisory lock on the database at `url`, so
 * that concurrent callers (several service replicas starting at once, parallel test runs) take
 * turns. Advisory locks are per database, so different databases never wait on each other. The
 * lock lives on its own connection and is released when that connection ends, even on a crash.
 */
export async function withAdvisoryLock<T>(url: string, lockName: string, work: () => Promise<T>): Promise<T> {
  return withClient(url, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]).catch(() => undefined);
    }
  });
}
