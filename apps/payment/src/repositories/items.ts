// The item catalogue. Status changes are conditional updates; the database trigger refuses any
// transition outside draft → sandbox_tested → live ⇄ suspended as well.
import type { DbClient } from '../db.ts';
import type { AmountRule } from '../domain/items/amount-rule.ts';
import type { Destination, ItemStatus, PaymentItem } from '../generated/prisma/client.ts';

export interface NewItem {
  code: string;
  name: string;
  unitCode: string;
  legalBasis: string;
  amountRule: AmountRule;
  destination: Destination;
  category: string;
}

export type ItemRecord = Omit<PaymentItem, 'amountRule'> & { amountRule: AmountRule };

// The JSON column was validated by the contract's AmountRule schema on the way in.
const toRecord = (row: PaymentItem): ItemRecord => ({ ...row, amountRule: row.amountRule as AmountRule });

export class ItemRepository {
  constructor(private readonly db: DbClient) {}

  async create(item: NewItem): Promise<ItemRecord> {
    return toRecord(await this.db.paymentItem.create({ data: { ...item, status: 'draft' } }));
  }

  async find(code: string): Promise<ItemRecord | null> {
    const row = await this.db.paymentItem.findUnique({ where: { code } });
    return row ? toRecord(row) : null;
  }

  async findMany(codes: string[]): Promise<ItemRecord[]> {
    return (await this.db.paymentItem.findMany({ where: { code: { in: codes } } })).map(toRecord);
  }

  async list(unitCode?: string): Promise<ItemRecord[]> {
    const rows = await this.db.paymentItem.findMany({
      where: unitCode ? { unitCode } : {},
      orderBy: { code: 'asc' },
    });
    return rows.map(toRecord);
  }

  /** Moves the item from `from` to `to`; null when it was no longer in `from`. */
  async transition(code: string, from: ItemStatus, to: ItemStatus): Promise<ItemRecord | null> {
    const { count } = await this.db.paymentItem.updateMany({ where: { code, status: from }, data: { status: to } });
    return count === 1 ? this.find(code) : null;
  }
}
