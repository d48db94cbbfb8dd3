// Hash-chained audit log of security events. Each row's hash covers its content and the previous
// row's hash, so changing or deleting a row breaks verification from that row on. Appends are
// group-committed: concurrent events share one transaction, and each caller waits for its commit.
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { AuditEvent, AuditEventRepository, ChainLink } from '../../repositories/audit-events.ts';

export type AuditDetail = Record<string, string | number | boolean | null | string[]>;

export interface AuditEntry {
  type: string;
  accountId?: string | null | undefined;
  clientId?: string | null | undefined;
  ip?: string | null | undefined;
  detail?: AuditDetail;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys: PostgreSQL jsonb reorders keys, the hash must not depend on that. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

export function auditHash(row: {
  seq: bigint;
  at: Date;
  type: string;
  accountId: string | null;
  clientId: string | null;
  ip: string | null;
  detail: unknown;
  prevHash: string;
}): string {
  const content = canonical([
    row.seq.toString(),
    row.at.toISOString(),
    row.type,
    row.accountId,
    row.clientId,
    row.ip,
    row.detail,
    row.prevHash,
  ]);
  return createHash('sha256').update(content).digest('hex');
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first row that does not fit the chain, with why. */
  brokenAt?: { seq: string; reason: 'hash_mismatch' | 'gap' | 'link_mismatch' };
}

interface Pending {
  entry: AuditEntry;
  at: Date;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class AuditLog {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly repository: AuditEventRepository,
    private readonly clock: Clock,
  ) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, at: this.clock.now(), resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      try {
        await this.repository.appendChained((tail) => this.chain(tail, batch));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = undefined;
  }

  private chain(tail: ChainLink | null, batch: Pending[]) {
    let seq = tail?.seq ?? 0n;
    let prevHash = tail?.hash ?? GENESIS_HASH;
    return batch.map(({ entry, at }) => {
      seq += 1n;
      const row = {
        seq,
        at,
        type: entry.type,
        accountId: entry.accountId ?? null,
        clientId: entry.clientId ?? null,
        ip: entry.ip ?? null,
        detail: entry.detail ?? {},
        prevHash,
      };
      const hash = auditHash(row);
      prevHash = hash;
      return { ...row, hash };
    });
  }

  /** Walks the whole chain in order; the first row that does not fit is reported. */
  async verify(): Promise<AuditVerification> {
    let checked = 0;
    let expectedSeq = 1n;
    let prevHash = GENESIS_HASH;
    let cursor = 0n;
    for (;;) {
      const rows: AuditEvent[] = await this.repository.page(cursor, 1000);
      if (rows.length === 0) return { ok: true, checked };
      for (const row of rows) {
        if (row.seq !== expectedSeq)
          return { ok: false, checked, brokenAt: { seq: row.seq.toString(), reason: 'gap' } };
        if (row.prevHash !== prevHash)
          return { ok: false, checked, brokenAt: { seq: row.seq.toString(), reason: 'link_mismatch' } };
        if (auditHash(row) !== row.hash)
          return { ok: false, checked, brokenAt: { seq: row.seq.toString(), reason: 'hash_mismatch' } };
        prevHash = row.hash;
        expectedSeq += 1n;
        checked += 1;
      }
      cursor = rows[rows.length - 1]?.seq ?? cursor;
    }
  }
}
