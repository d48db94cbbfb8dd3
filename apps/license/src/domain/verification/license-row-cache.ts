// Online verification reads one license row per call; most calls ask again about the same
// licenses. Rows are kept here and dropped the moment any replica changes them (the change feed),
// so a revocation is seen at once — never a time-to-live during which a revoked license passes.
import type { License } from '../../generated/prisma/client.ts';
import type { LicenseChangeFeed } from '../../repositories/license-change-feed.ts';

/** Rows kept (a row with its signed credential is a few KB, so this bounds memory to tens of MB). */
const CAPACITY = 10_000;
/**
 * A safety net, not the mechanism: if the LISTEN connection died without a word (a network
 * partition that TCP keep-alive has not yet noticed), a row is still read again after this long.
 */
const MAX_AGE_MS = 5_000;

export class LicenseRowCache {
  private readonly rows = new Map<string, { row: License; at: number }>();
  /**
   * Counts changes and gaps. A row read while one happened may predate it (the read raced the
   * commit), so it is returned but not kept.
   */
  private generation = 0;

  constructor(private readonly feed: LicenseChangeFeed) {
    feed.onChange((identifier) => {
      this.generation += 1;
      this.rows.delete(identifier);
    });
    feed.onGap(() => {
      this.generation += 1;
      this.rows.clear();
    });
  }

  /** This replica changed the license: drop it now rather than wait for its notification. */
  forget(identifier: string): void {
    this.generation += 1;
    this.rows.delete(identifier);
  }

  async get(identifier: string, load: (identifier: string) => Promise<License | null>): Promise<License | null> {
    if (!this.feed.live) {
      void this.feed.start();
      return load(identifier);
    }
    const cached = this.rows.get(identifier);
    if (cached && Date.now() - cached.at < MAX_AGE_MS) return cached.row;
    const generation = this.generation;
    const row = await load(identifier);
    // Unknown identifiers are not kept: an issue does not notify, and a miss is cheap to repeat.
    if (row && this.feed.live && generation === this.generation) {
      this.rows.delete(identifier);
      if (this.rows.size >= CAPACITY) this.rows.delete(this.rows.keys().next().value as string);
      this.rows.set(identifier, { row, at: Date.now() });
    }
    return row;
  }
}
