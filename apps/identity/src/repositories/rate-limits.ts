// Fixed-window counters in PostgreSQL, so that every replica sees the same counts. One atomic
// upsert per hit: a new window starts when the stored one is older than the window length.
import type { Database } from '../db.ts';
import { Prisma } from '../generated/prisma/client.ts';

export interface WindowCount {
  windowStart: Date;
  count: number;
}

/** The atomic upsert that counts one event, starting a new window when the stored one is over. */
function countOne(key: string, now: Date, windowSeconds: number): Prisma.Sql {
  const staleBefore = new Date(now.getTime() - windowSeconds * 1000);
  return Prisma.sql`
    INSERT INTO rate_limit_counter (key, window_start, count) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN rate_limit_counter.window_start <= ${staleBefore}
                          THEN EXCLUDED.window_start ELSE rate_limit_counter.window_start END,
      count = CASE WHEN rate_limit_counter.window_start <= ${staleBefore}
                   THEN 1 ELSE rate_limit_counter.count + 1 END
    RETURNING window_start, count`;
}

export class RateLimitRepository {
  constructor(private readonly db: Database) {}

  async hit(key: string, now: Date, windowSeconds: number): Promise<WindowCount> {
    const rows = await this.db.$queryRaw<Array<{ window_start: Date; count: number }>>`
      WITH hit AS (${countOne(key, now, windowSeconds)}) SELECT window_start, count FROM hit`;
    const row = rows[0];
    if (!row) throw new Error('rate limit upsert returned no row');
    return { windowStart: row.window_start, count: row.count };
  }

  /**
   * `hit(hitKey)` and `peek(peekKey)` in one round trip, for the login gate that does both on every
   * attempt. The keys always differ, so the peek's snapshot (taken before the upsert) is exact.
   */
  async hitAndPeek(
    hitKey: string,
    now: Date,
    windowSeconds: number,
    peekKey: string,
  ): Promise<{ hit: WindowCount; peeked: WindowCount | null }> {
    const rows = await this.db.$queryRaw<
      Array<{ window_start: Date; count: number; peek_start: Date | null; peek_count: number | null }>
    >`
      WITH hit AS (${countOne(hitKey, now, windowSeconds)})
      SELECT hit.window_start, hit.count, peeked.window_start AS peek_start, peeked.count AS peek_count
      FROM hit LEFT JOIN rate_limit_counter peeked ON peeked.key = ${peekKey}`;
    const row = rows[0];
    if (!row) throw new Error('rate limit upsert returned no row');
    return {
      hit: { windowStart: row.window_start, count: row.count },
      peeked: row.peek_start && row.peek_count !== null ? { windowStart: row.peek_start, count: row.peek_count } : null,
    };
  }

  async peek(key: string): Promise<WindowCount | null> {
    const row = await this.db.rateLimitCounter.findUnique({ where: { key } });
    return row ? { windowStart: row.windowStart, count: row.count } : null;
  }

  async reset(key: string): Promise<void> {
    await this.db.rateLimitCounter.deleteMany({ where: { key } });
  }
}
