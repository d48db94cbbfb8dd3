// The trust list of other regions' nodes, type-code mappings, and the audit of their changes. Each
// change and its audit entry are written in one transaction.
import type { Database } from '../db.ts';
import type { TrustedNode, TypeCodeMapping } from '../generated/prisma/client.ts';
import { isUniqueViolation } from '@platform/db';

export type TrustedNodeRow = TrustedNode;
export type TypeMappingRow = TypeCodeMapping;

export interface TrustAudit {
  action: 'trust.add' | 'trust.remove' | 'type.map';
  target: string;
  actor: string;
  reason: string;
  detail: object;
  at: Date;
}

export class TrustRepository {
  constructor(private readonly db: Database) {}

  /** Adds (or re-adds a removed) node; false when it is already trusted. */
  async add(node: Omit<TrustedNodeRow, 'removedAt'>, audit: TrustAudit): Promise<boolean> {
    try {
      return await this.db.$transaction(async (tx) => {
        const existing = await tx.trustedNode.findUnique({ where: { issuerId: node.issuerId } });
        if (existing && !existing.removedAt) return false;
        await tx.trustedNode.upsert({
          where: { issuerId: node.issuerId },
          create: node,
          update: { ...node, removedAt: null },
        });
        await tx.trustEvent.create({ data: audit });
        return true;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  remove(issuerId: string, audit: TrustAudit): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.trustedNode.updateMany({
        where: { issuerId, removedAt: null },
        data: { removedAt: audit.at },
      });
      if (count > 0) await tx.trustEvent.create({ data: audit });
      return count > 0;
    });
  }

  async map(mapping: TypeMappingRow, audit: TrustAudit): Promise<void> {
    await this.db.$transaction([
      this.db.typeCodeMapping.upsert({
        where: { foreignTypeCode: mapping.foreignTypeCode },
        create: mapping,
        update: mapping,
      }),
      this.db.trustEvent.create({ data: audit }),
    ]);
  }

  active(): Promise<TrustedNodeRow[]> {
    return this.db.trustedNode.findMany({ where: { removedAt: null }, orderBy: { addedAt: 'asc' } });
  }

  activeNode(issuerId: string): Promise<TrustedNodeRow | null> {
    return this.db.trustedNode.findFirst({ where: { issuerId, removedAt: null } });
  }

  mappings(): Promise<TypeMappingRow[]> {
    return this.db.typeCodeMapping.findMany({ orderBy: { foreignTypeCode: 'asc' } });
  }

  mapping(foreignTypeCode: string): Promise<TypeMappingRow | null> {
    return this.db.typeCodeMapping.findUnique({ where: { foreignTypeCode } });
  }
}
