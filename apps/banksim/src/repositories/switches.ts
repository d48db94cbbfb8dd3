import type { BanksimSwitches } from '@platform/contracts';
import type { DbClient } from '../db.ts';

const ROW = { id: 1 };

export class SwitchRepository {
  constructor(private readonly db: DbClient) {}

  async get(): Promise<BanksimSwitches> {
    const row = await this.db.channelSwitches.upsert({ where: ROW, create: ROW, update: {} });
    return {
      delayMs: row.delayMs,
      duplicates: row.duplicates,
      reorder: row.reorder,
      lossPercent: row.lossPercent,
      failPercent: row.failPercent,
      refundFailPercent: row.refundFailPercent,
      refundOutagePercent: row.refundOutagePercent,
      refundDelayMs: row.refundDelayMs,
    };
  }

  async set(changes: Partial<BanksimSwitches>): Promise<BanksimSwitches> {
    await this.db.channelSwitches.upsert({ where: ROW, create: { ...ROW, ...changes }, update: changes });
    return this.get();
  }
}
