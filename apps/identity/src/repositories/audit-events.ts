// The audit table. The chain has a single order even with several replicas writing: `seq` is the
// primary key, so of two replicas appending after the same tail only one insert succeeds.
import { appendToChain } from '@platform/db';
import type { Database } from '../db.ts';
import { Prisma, type AuditEvent } from '../generated/prisma/client.ts';

export type { AuditEvent };

export interface NewAuditRow {
  seq: bigint;
  at: Date;
  type: string;
  accountId: string | null;
  clientId: string | null;
  ip: string | null;
  detail: unknown;
  prevHash: string;
  hash: string;
}

export interface ChainLink {
  seq: bigint;
  hash: string;
}

// Any constant works; it only has to be the same on every replica.
const AUDIT_LOCK_ID = 73_420_001;

type Queryable = Pick<Database, '$queryRaw' | '$executeRaw'>;

export class AuditEventRepository {
  constructor(private readonly db: Database) {}

  /** The chain's tail as this replica last wrote or read it; undefined when it must be read. */
  private knownTail: ChainLink | null | undefined;

  /**
   * Appends the rows `build` makes from the chain's current tail (`build` may be called again when
   * the tail was stale). Every login and token writes here, so the common case is one statement on
   * the tail this replica wrote last; `appendToChain` says what happens on a conflict.
   */
  async appendChained(build: (tail: ChainLink | null) => NewAuditRow[]): Promise<void> {
    this.knownTail = await appendToChain({
      optimistic: async () => {
        const tail = this.knownTail !== undefined ? this.knownTail : await this.readTail(this.db);
        return this.insert(this.db, build(tail), tail);
      },
      locked: () =>
        this.db.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_ID})`;
          const tail = await this.readTail(tx);
          return this.insert(tx, build(tail), tail);
        }),
      forgetTail: () => {
        this.knownTail = undefined;
      },
    });
  }

  private async readTail(db: Queryable): Promise<ChainLink | null> {
    const [tail] = await db.$queryRaw<ChainLink[]>`SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1`;
    return tail ?? null;
  }

  /** Inserts the rows in one statement (plain SQL: its shape never changes); returns the new tail. */
  private async insert(db: Queryable, rows: NewAuditRow[], tail: ChainLink | null): Promise<ChainLink | null> {
    const last = rows.at(-1);
    if (!last) return tail;
    const values = rows.map(
      (row) =>
        Prisma.sql`(${row.seq}, ${row.at}, ${row.type}, ${row.accountId}::uuid, ${row.clientId}, ${row.ip}, ${JSON.stringify(row.detail)}::jsonb, ${row.prevHash}, ${row.hash})`,
    );
    await db.$executeRaw`INSERT INTO audit_event (seq, at, type, account_id, client_id, ip, detail, prev_hash, hash) VALUES ${Prisma.join(values)}`;
    return { seq: last.seq, hash: last.hash };
  }

  page(afterSeq: bigint, size: number): Promise<AuditEvent[]> {
    return this.db.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: size });
  }

  list(filter: { accountId?: string | undefined; type?: string | undefined; limit: number }): Promise<AuditEvent[]> {
    return this.db.auditEvent.findMany({
      where: {
        ...(filter.accountId ? { accountId: filter.accountId } : {}),
        ...(filter.type ? { type: filter.type } : {}),
      },
      orderBy: { seq: 'desc' },
      take: filter.limit,
    });
  }
}
