// The holders' usage log, hash-chained per holder. Every verification appends here, so the common
// case is one statement: rows are chained onto the tails this replica wrote last, and the unique
// key (holder_code, seq) refuses them if another replica appended for one of those holders
// meanwhile (`appendToChain` says what happens then; the locks here are per holder).
import { appendToChain } from '@platform/db';
import type { Database } from '../db.ts';
import { Prisma, type UsageEntry } from '../generated/prisma/client.ts';

export type UsageRow = UsageEntry;
export interface ChainTail {
  seq: number;
  hash: string;
}

type NewUsageRow = Omit<UsageRow, 'id'>;
type Queryable = Pick<Database, '$queryRaw' | '$executeRaw'>;

/** Tails remembered at most; past that the memory starts over (a miss only costs one read). */
const MAX_REMEMBERED_HOLDERS = 50_000;

export class UsageRepository {
  /** Each holder's last entry as this replica wrote it. */
  private readonly knownTails = new Map<string, ChainTail>();

  constructor(private readonly db: Database) {}

  /**
   * Appends entries for several holders at once (a group commit): `build` gets each holder's
   * current tail and returns the rows to insert; it may be called again if a tail was stale.
   */
  async appendAll(holderCodes: string[], build: (tails: Map<string, ChainTail>) => NewUsageRow[]): Promise<number> {
    const holders = [...new Set(holderCodes)].sort();
    const rows = await appendToChain({
      optimistic: async () => {
        const built = build(await this.tailsOf(holders));
        await this.insert(this.db, built);
        return built;
      },
      locked: () =>
        this.db.$transaction(async (tx) => {
          // Locks taken in sorted order, so two replicas locking overlapping holders cannot deadlock.
          await tx.$executeRaw`
            SELECT pg_advisory_xact_lock(hashtextextended('usage:' || h, 0))
            FROM (SELECT h FROM unnest(${holders}::text[]) AS h ORDER BY h) AS sorted`;
          const built = build(await this.readTails(tx, holders));
          await this.insert(tx, built);
          return built;
        }),
      forgetTail: () => {
        for (const holder of holders) this.knownTails.delete(holder);
      },
    });
    // Only once committed: a remembered tail that never reached the database would leave a gap.
    this.remember(rows);
    return rows.length;
  }

  private remember(rows: NewUsageRow[]): void {
    if (this.knownTails.size > MAX_REMEMBERED_HOLDERS) this.knownTails.clear();
    for (const row of rows) this.knownTails.set(row.holderCode, { seq: row.seq, hash: row.hash });
  }

  /** The holders' tails: remembered ones as they are, the others read in one query. */
  private async tailsOf(holders: string[]): Promise<Map<string, ChainTail>> {
    const unknown = holders.filter((holder) => !this.knownTails.has(holder));
    const read = unknown.length > 0 ? await this.readTails(this.db, unknown) : new Map<string, ChainTail>();
    const tails = new Map<string, ChainTail>();
    for (const holder of holders) {
      const tail = this.knownTails.get(holder) ?? read.get(holder);
      if (tail) tails.set(holder, tail);
    }
    return tails;
  }

  private async readTails(db: Queryable, holders: string[]): Promise<Map<string, ChainTail>> {
    const rows = await db.$queryRaw<Array<{ holder_code: string; seq: number; hash: string }>>`
      SELECT DISTINCT ON (holder_code) holder_code, seq, hash FROM usage_entry
      WHERE holder_code = ANY(${holders}::text[]) ORDER BY holder_code, seq DESC`;
    return new Map(rows.map((row) => [row.holder_code, { seq: row.seq, hash: row.hash }]));
  }

  /** One INSERT for all rows (plain SQL: Prisma would compile a new plan for every batch size). */
  private async insert(db: Queryable, rows: NewUsageRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const values = rows.map(
      (row) =>
        Prisma.sql`(${row.holderCode}, ${row.seq}, ${row.licenseId}::uuid, ${row.action}, ${row.actor}, ${row.purpose}, ${JSON.stringify(row.detail ?? {})}::jsonb, ${row.at}, ${row.prevHash}, ${row.hash})`,
    );
    return db.$executeRaw`
      INSERT INTO usage_entry (holder_code, seq, license_id, action, actor, purpose, detail, at, prev_hash, hash)
      VALUES ${Prisma.join(values)}`;
  }

  forHolder(holderCode: string): Promise<UsageRow[]> {
    return this.db.usageEntry.findMany({ where: { holderCode }, orderBy: { seq: 'asc' } });
  }
}
