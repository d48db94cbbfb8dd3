// The holders' usage log, hash-chained per holder. Appends take transaction-scoped advisory locks on
// the holders, so replicas appending for the same holder at once still form one chain.
import type { Database } from '../db.ts';
import type { UsageEntry } from '../generated/prisma/client.ts';

export type UsageRow = UsageEntry;
export interface ChainTail {
  seq: number;
  hash: string;
}

export class UsageRepository {
  constructor(private readonly db: Database) {}

  /**
   * Appends entries for several holders in one transaction (a group commit): `build` gets each
   * holder's current tail, read under that holder's lock, and returns the rows to insert.
   */
  appendAll(
    holderCodes: string[],
    build: (tails: Map<string, ChainTail>) => Array<Omit<UsageRow, 'id'>>,
  ): Promise<number> {
    const holders = [...new Set(holderCodes)].sort();
    return this.db.$transaction(async (tx) => {
      // Locks taken in sorted order, so two replicas locking overlapping holders cannot deadlock.
      await tx.$executeRaw`
        SELECT pg_advisory_xact_lock(hashtextextended('usage:' || h, 0))
        FROM (SELECT h FROM unnest(${holders}::text[]) AS h ORDER BY h) AS sorted`;
      const tails = await tx.$queryRaw<Array<{ holder_code: string; seq: number; hash: string }>>`
        SELECT DISTINCT ON (holder_code) holder_code, seq, hash FROM usage_entry
        WHERE holder_code = ANY(${holders}::text[]) ORDER BY holder_code, seq DESC`;
      const rows = build(new Map(tails.map((tail) => [tail.holder_code, { seq: tail.seq, hash: tail.hash }])));
      const created = await tx.usageEntry.createMany({
        data: rows.map((row) => ({ ...row, detail: (row.detail ?? {}) as object })),
      });
      return created.count;
    });
  }

  forHolder(holderCode: string): Promise<UsageRow[]> {
    return this.db.usageEntry.findMany({ where: { holderCode }, orderBy: { seq: 'asc' } });
  }
}
