// Collected money per UTC day (of the channel's confirmation), by item, by unit and by channel and
// pay mode. Summed by PostgreSQL in BIGINT fen: no amounts travel to be added up in JavaScript.
import type { DbClient } from '../db.ts';
import { Prisma } from '../generated/prisma/client.ts';

export interface StatsRange {
  /** UTC days, both inclusive. */
  from: string;
  to: string;
  /** null: every unit. */
  unitCode: string | null;
}

const DAY_MS = 86_400_000;
const DAY = Prisma.sql`to_char((p.confirmed_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')`;

export class CollectionStatsRepository {
  constructor(private readonly db: DbClient) {}

  private where(range: StatsRange) {
    const start = new Date(`${range.from}T00:00:00.000Z`);
    const end = new Date(Date.parse(`${range.to}T00:00:00.000Z`) + DAY_MS);
    return Prisma.sql`p.confirmed_at >= ${start} AND p.confirmed_at < ${end}
      ${range.unitCode ? Prisma.sql`AND n.unit_code = ${range.unitCode}` : Prisma.empty}`;
  }

  async collect(range: StatsRange) {
    const where = this.where(range);
    const [byDay, byItem, byUnit, channels, total] = await Promise.all([
      this.db.$queryRaw<Array<{ date: string; count: bigint; amount_fen: bigint }>>`
        SELECT ${DAY} AS date, count(*)::bigint AS count, sum(p.amount_fen)::bigint AS amount_fen
          FROM channel_payment p
          JOIN payment_notice n ON n.id = p.notice_id
         WHERE ${where}
         GROUP BY 1 ORDER BY 1`,
      this.db.$queryRaw<Array<{ date: string; item_code: string; item_name: string; amount_fen: bigint }>>`
        SELECT ${DAY} AS date, l.item_code, max(l.item_name) AS item_name, sum(l.amount_fen)::bigint AS amount_fen
          FROM channel_payment p
          JOIN payment_notice n ON n.id = p.notice_id
          JOIN notice_line l ON l.notice_id = p.notice_id
         WHERE ${where}
         GROUP BY 1, 2 ORDER BY 1, 2`,
      this.db.$queryRaw<
        Array<{ date: string; unit_code: string; unit_name: string; count: bigint; amount_fen: bigint }>
      >`
        SELECT ${DAY} AS date, n.unit_code, max(u.name) AS unit_name, count(*)::bigint AS count,
               sum(p.amount_fen)::bigint AS amount_fen
          FROM channel_payment p
          JOIN payment_notice n ON n.id = p.notice_id
          JOIN collecting_unit u ON u.credit_code = n.unit_code
         WHERE ${where}
         GROUP BY 1, 2 ORDER BY 1, 2`,
      this.db.$queryRaw<Array<{ channel: string; pay_mode: string; count: bigint; amount_fen: bigint }>>`
        SELECT p.channel, p.pay_mode, count(*)::bigint AS count, sum(p.amount_fen)::bigint AS amount_fen
          FROM channel_payment p
          JOIN payment_notice n ON n.id = p.notice_id
         WHERE ${where}
         GROUP BY 1, 2 ORDER BY 4 DESC, 1, 2`,
      this.db.$queryRaw<Array<{ count: bigint; amount_fen: bigint }>>`
        SELECT count(*)::bigint AS count, coalesce(sum(p.amount_fen), 0)::bigint AS amount_fen
          FROM channel_payment p
          JOIN payment_notice n ON n.id = p.notice_id
         WHERE ${where}`,
    ]);
    return {
      from: range.from,
      to: range.to,
      total: { count: Number(total[0]?.count ?? 0n), amountFen: Number(total[0]?.amount_fen ?? 0n) },
      byDay: byDay.map((r) => ({ date: r.date, count: Number(r.count), amountFen: Number(r.amount_fen) })),
      byItem: byItem.map((r) => ({
        date: r.date,
        itemCode: r.item_code,
        itemName: r.item_name,
        amountFen: Number(r.amount_fen),
      })),
      byUnit: byUnit.map((r) => ({
        date: r.date,
        unitCode: r.unit_code,
        unitName: r.unit_name,
        count: Number(r.count),
        amountFen: Number(r.amount_fen),
      })),
      channels: channels.map((r) => ({
        channel: r.channel,
        payMode: r.pay_mode,
        count: Number(r.count),
        amountFen: Number(r.amount_fen),
      })),
    };
  }
}
