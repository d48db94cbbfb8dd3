// Read-only views for people: notices for finance staff and units, a payer's own receipts, and
// collection statistics. Who may see what is decided by the caller (the routers) and passed in as
// the unit or payer to restrict to; nothing here widens it.
import type { Database } from '../../db.ts';
import { CollectionStatsRepository, type StatsRange } from '../../repositories/collection-stats.ts';
import { NoticeListing, type NoticeFilter } from '../../repositories/notice-listing.ts';
import { PayerReceipts } from '../../repositories/payer-receipts.ts';
import { decodeCursor, toPage } from '../listing/page-cursor.ts';
import type { PayerIdentity } from '../payers/payer-of.ts';

export class PaymentQueries {
  private readonly notices: NoticeListing;
  private readonly receipts: PayerReceipts;
  private readonly stats: CollectionStatsRepository;
  constructor(db: Database) {
    this.notices = new NoticeListing(db);
    this.receipts = new PayerReceipts(db);
    this.stats = new CollectionStatsRepository(db);
  }

  async listNotices(filter: NoticeFilter, cursor: string | undefined, limit: number) {
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await this.notices.list(filter, after, limit + 1);
    return toPage(rows, limit, (notice) => ({ at: notice.createdAt, id: notice.id }));
  }

  async receiptsOf(payer: PayerIdentity, cursor: string | undefined, limit: number) {
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await this.receipts.list(payer, after, limit + 1);
    const { page, nextCursor } = toPage(rows, limit, (row) => ({ at: row.issued_at, id: row.id }));
    return {
      receipts: page.map((row) => ({
        receiptCode: row.receipt_code,
        receiptNumber: row.receipt_number,
        checkCode: row.check_code,
        paymentCode: row.payment_code,
        unitName: row.unit_name,
        items: (row.items ?? []).map((item) => ({ name: item.name, amountFen: Number(item.amountFen) })),
        totalFen: Number(row.total_fen),
        refundedFen: Number(row.refunded_fen),
        issuedAt: row.issued_at.toISOString(),
        sealed: row.sealed,
      })),
      nextCursor,
    };
  }

  collection(range: StatsRange) {
    return this.stats.collect(range);
  }
}
