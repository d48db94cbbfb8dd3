// The holders' usage log, hash-chained per holder. Appends take a transaction-scoped advisory lock
// on the holder, so replicas appending for the same holder at once still form one chain.
import type { Database } from '../db.ts';
import type { UsageEntry } from '../generated/prisma/client.ts';

export type UsageRow = UsageEntry;
export interface ChainTail {
  seq: number;
  hash: string;
}

export class UsageRepository {
  constructor(private readonly db: Database) {}

  append(holderCode: string, build: (tail: ChainTail | null) => Omit<UsageRow, 'id'>): Promise<UsageRow> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`usage:${holderCode}`}, 0))`;
      const tail = await tx.usageEntry.findFirst({
        where: { holderCode },
        orderBy: { seq: 'desc' },
        select: { seq: true, hash: true },
      });
      const data = build(tail);
      return tx.usageEntry.create({ data: { ...data, detail: (data.detail ?? {}) as object } });
    });
  }

  forHolder(holderCode: string): Promise<UsageRow[]> {
    return this.db.usageEntry.findMany({ where: { holderCode }, orderBy: { seq: 'asc' } });
  }
}
