// Issuing authorities' signing keys (private halves sealed with the KEK).
import type { Database } from '../db.ts';
import type { IssuerKey, Prisma } from '../generated/prisma/client.ts';

export type IssuerKeyRow = IssuerKey;

export class IssuerKeyRepository {
  constructor(private readonly db: Database) {}

  newest(issuerCode: string): Promise<IssuerKeyRow | null> {
    return this.db.issuerKey.findFirst({ where: { issuerCode }, orderBy: { generation: 'desc' } });
  }

  all(issuerCode?: string): Promise<IssuerKeyRow[]> {
    return this.db.issuerKey.findMany({ where: issuerCode ? { issuerCode } : {}, orderBy: { generation: 'asc' } });
  }

  byKid(kid: string): Promise<IssuerKeyRow | null> {
    return this.db.issuerKey.findUnique({ where: { kid } });
  }

  /** Inserts unless that generation exists already (another replica won the race). */
  async createIfAbsent(data: Prisma.IssuerKeyCreateManyInput): Promise<void> {
    await this.db.issuerKey.createMany({ data: [data], skipDuplicates: true });
  }
}
