// Notices as finance staff and collecting units browse them: filtered, newest first, a page at a time
// by keyset (created_at, id) — the order is total, so paging never skips or repeats a notice.
import type { DbClient } from '../db.ts';
import type { NoticeState, Prisma } from '../generated/prisma/client.ts';
import type { PagePosition } from '../domain/listing/page-cursor.ts';
import { toRecord, type NoticeRecord } from './notices.ts';

export interface NoticeFilter {
  /** null: every unit (finance). */
  unitCode: string | null;
  state?: NoticeState;
  itemCode?: string;
  /** UTC days, both inclusive. */
  createdFrom?: string;
  createdTo?: string;
  paymentCodePrefix?: string;
}

const DAY_MS = 86_400_000;

export class NoticeListing {
  constructor(private readonly db: DbClient) {}

  /** Up to `take` notices matching the filter, strictly after `after` in the listing's order. */
  async list(filter: NoticeFilter, after: PagePosition | null, take: number): Promise<NoticeRecord[]> {
    const createdAt: Prisma.DateTimeFilter = {};
    if (filter.createdFrom) createdAt.gte = new Date(`${filter.createdFrom}T00:00:00.000Z`);
    if (filter.createdTo) createdAt.lt = new Date(Date.parse(`${filter.createdTo}T00:00:00.000Z`) + DAY_MS);
    const where: Prisma.PaymentNoticeWhereInput = {
      ...(filter.unitCode ? { unitCode: filter.unitCode } : {}),
      ...(filter.state ? { state: filter.state } : {}),
      ...(filter.itemCode ? { lines: { some: { itemCode: filter.itemCode } } } : {}),
      ...(filter.paymentCodePrefix ? { paymentCode: { startsWith: filter.paymentCodePrefix } } : {}),
      ...(createdAt.gte || createdAt.lt ? { createdAt } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    };
    const rows = await this.db.paymentNotice.findMany({
      where,
      include: { lines: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
    return rows.map((row) => toRecord(row, row.lines));
  }
}
