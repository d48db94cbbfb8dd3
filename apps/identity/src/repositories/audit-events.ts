// The audit table. Appends happen in one transaction holding an advisory lock, so the chain has a
// single order even with several replicas writing.
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

export class AuditEventRepository {
  constructor(private readonly db: Database) {}

  /**
   * Runs `build` with the chain's current tail under the lock and inserts what it returns. Plain
   * SQL on purpose: this runs for every token issued, and the statements never change shape.
   */
  async appendChained(build: (tail: ChainLink | null) => NewAuditRow[]): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_ID})`;
      const [tail] = await tx.$queryRaw<ChainLink[]>`SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1`;
      const rows = build(tail ?? null);
      if (rows.length === 0) return;
      const values = rows.map(
        (row) =>
          Prisma.sql`(${row.seq}, ${row.at}, ${row.type}, ${row.accountId}::uuid, ${row.clientId}, ${row.ip}, ${JSON.stringify(row.detail)}::jsonb, ${row.prevHash}, ${row.hash})`,
      );
      await tx.$executeRaw`INSERT INTO audit_event (seq, at, type, account_id, client_id, ip, detail, prev_hash, hash) VALUES ${Prisma.join(values)}`;
    });
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
