// Every verification, QR scan and grant fetch of a holder's licenses, for the holder to see.
// Each entry's hash covers its content and the previous entry's hash (per holder), so a changed or
// deleted entry breaks the chain from there on — the same idea as identity's audit log.
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { ChainTail, UsageRepository, UsageRow } from '../../repositories/usage.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface UsageRecord {
  holderCode: string;
  licenseId: string | null;
  identifier: string | null;
  action: 'verify' | 'present' | 'fetch' | 'fetch-file';
  actor: string;
  purpose: string | null;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

export function usageHash(row: Omit<UsageRow, 'id' | 'hash'>): string {
  const content = canonical([
    row.holderCode,
    row.seq,
    row.licenseId,
    row.action,
    row.actor,
    row.purpose,
    row.detail,
    row.at.toISOString(),
    row.prevHash,
  ]);
  return createHash('sha256').update(content).digest('hex');
}

/** The rows of a batch, in arrival order, each chained to the holder's previous entry. */
function chain(batch: Pending[], tails: Map<string, ChainTail>): Array<Omit<UsageRow, 'id'>> {
  const heads = new Map(tails);
  return batch.map(({ entry, at }) => {
    const tail = heads.get(entry.holderCode);
    const row = {
      holderCode: entry.holderCode,
      seq: (tail?.seq ?? 0) + 1,
      licenseId: entry.licenseId,
      action: entry.action,
      actor: entry.actor,
      purpose: entry.purpose,
      detail: { identifier: entry.identifier },
      at,
      prevHash: tail?.hash ?? GENESIS_HASH,
    };
    const hash = usageHash(row);
    heads.set(entry.holderCode, { seq: row.seq, hash });
    return { ...row, hash };
  });
}

interface Pending {
  entry: UsageRecord;
  at: Date;
  done: { resolve: () => void; reject: (error: unknown) => void };
}

/** Most entries written in one transaction. */
const MAX_BATCH = 500;

export class UsageLog {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly repository: UsageRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Resolves once the entry is committed, so no answer goes out unrecorded. Entries recorded while
   * a write is under way are written together by the next one (group commit): one transaction per
   * batch instead of one per verification, which under load was most of a verification's cost.
   */
  record(entry: UsageRecord): Promise<void> {
    const at = this.clock.now();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, at, done: { resolve, reject } });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.write(batch);
          for (const pending of batch) pending.done.resolve();
        } catch (error) {
          if (batch.length === 1) batch[0]?.done.reject(error);
          // One bad entry must not fail the others' verifications: each is retried on its own.
          else for (const pending of batch) await this.write([pending]).then(pending.done.resolve, pending.done.reject);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private write(batch: Pending[]): Promise<number> {
    return this.repository.appendAll(
      batch.map((pending) => pending.entry.holderCode),
      (tails) => chain(batch, tails),
    );
  }

  /** The holder's entries and whether the chain is intact from the first entry on. */
  async forHolder(holderCode: string): Promise<{ entries: UsageRow[]; chainIntact: boolean }> {
    const entries = await this.repository.forHolder(holderCode);
    let prevHash = GENESIS_HASH;
    let chainIntact = true;
    entries.forEach((row, index) => {
      if (row.seq !== index + 1 || row.prevHash !== prevHash || usageHash(row) !== row.hash) chainIntact = false;
      prevHash = row.hash;
    });
    return { entries, chainIntact };
  }
}
