// Every verification, QR scan and grant fetch of a holder's licenses, for the holder to see.
// Each entry's hash covers its content and the previous entry's hash (per holder), so a changed or
// deleted entry breaks the chain from there on — the same idea as identity's audit log.
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { UsageRepository, UsageRow } from '../../repositories/usage.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface UsageRecord {
  holderCode: string;
  licenseId: string | null;
  identifier: string | null;
  action: 'verify' | 'present' | 'fetch';
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

export class UsageLog {
  constructor(
    private readonly repository: UsageRepository,
    private readonly clock: Clock,
  ) {}

  async record(entry: UsageRecord): Promise<void> {
    const at = this.clock.now();
    await this.repository.append(entry.holderCode, (tail) => {
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
      return { ...row, hash: usageHash(row) };
    });
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
