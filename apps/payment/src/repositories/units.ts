// Collecting units and the OAuth clients that act for them.
import type { DbClient } from '../db.ts';

export interface UnitRecord {
  creditCode: string;
  name: string;
  webhookUrl: string | null;
  webhookSecret: string;
}

export class UnitRepository {
  constructor(private readonly db: DbClient) {}

  async create(unit: UnitRecord, clientIds: string[]): Promise<void> {
    await this.db.collectingUnit.create({
      data: { ...unit, clients: { create: clientIds.map((clientId) => ({ clientId })) } },
    });
  }

  find(creditCode: string): Promise<UnitRecord | null> {
    return this.db.collectingUnit.findUnique({ where: { creditCode } });
  }

  async unitOfClient(clientId: string): Promise<UnitRecord | null> {
    const row = await this.db.unitClient.findUnique({ where: { clientId }, include: { unit: true } });
    return row?.unit ?? null;
  }

  async takenClientIds(clientIds: string[]): Promise<string[]> {
    const rows = await this.db.unitClient.findMany({ where: { clientId: { in: clientIds } } });
    return rows.map((row) => row.clientId);
  }
}
