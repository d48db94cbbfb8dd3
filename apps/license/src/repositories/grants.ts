// Use grants (用证授权).
import type { Database } from '../db.ts';
import type { UseGrant } from '../generated/prisma/client.ts';

export type GrantRow = UseGrant & { license: { identifier: string } };

export class GrantRepository {
  constructor(private readonly db: Database) {}

  create(data: Omit<UseGrant, 'id' | 'revokedAt'>): Promise<GrantRow> {
    return this.db.useGrant.create({ data, include: { license: { select: { identifier: true } } } });
  }

  byId(id: string): Promise<GrantRow | null> {
    return this.db.useGrant.findUnique({ where: { id }, include: { license: { select: { identifier: true } } } });
  }

  forHolder(holderCode: string): Promise<GrantRow[]> {
    return this.db.useGrant.findMany({
      where: { holderCode },
      include: { license: { select: { identifier: true } } },
      orderBy: { createdAt: 'desc' },
    });
  }

  async revoke(id: string, holderCode: string, at: Date): Promise<boolean> {
    const { count } = await this.db.useGrant.updateMany({
      where: { id, holderCode, revokedAt: null },
      data: { revokedAt: at },
    });
    return count === 1;
  }
}
