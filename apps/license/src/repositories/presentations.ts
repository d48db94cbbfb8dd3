// QR presentations: created by the holder, consumed once by a verifier.
import type { Database } from '../db.ts';
import type { Presentation } from '../generated/prisma/client.ts';

export type PresentationRow = Presentation;

export class PresentationRepository {
  constructor(private readonly db: Database) {}

  async create(data: PresentationRow): Promise<void> {
    await this.db.presentation.create({ data });
  }

  /** Marks the presentation used if it is unused and unexpired; false when it was not (single use). */
  async consume(id: string, now: Date, usedBy: string): Promise<boolean> {
    const { count } = await this.db.presentation.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now, usedBy },
    });
    return count === 1;
  }

  byId(id: string): Promise<PresentationRow | null> {
    return this.db.presentation.findUnique({ where: { id } });
  }
}
