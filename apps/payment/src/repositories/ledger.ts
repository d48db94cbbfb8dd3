// The append-only ledger. A transfer's id is its idempotency key (as in TigerBeetle): writing the
// same transfer twice records it once. The database checks at commit that each transfer balances.
import type { DbClient } from '../db.ts';
import type { Posting } from '../domain/ledger/accounts.ts';

export interface NewTransfer {
  id: string;
  kind: string;
  noticeId: string | null;
  postings: Posting[];
}

export class LedgerRepository {
  constructor(private readonly db: DbClient) {}

  /** Records the transfer; false when a transfer with this id exists already. */
  async record(transfer: NewTransfer): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO ledger_transfer (id, kind, notice_id) VALUES (${transfer.id}, ${transfer.kind}, ${transfer.noticeId}::uuid)
      ON CONFLICT (id) DO NOTHING`;
    if (inserted !== 1) return false;
    await this.db.ledgerPosting.createMany({
      data: transfer.postings.map((p) => ({
        transferId: transfer.id,
        account: p.account,
        debitFen: BigInt(p.debitFen),
        creditFen: BigInt(p.creditFen),
      })),
    });
    return true;
  }

  async balances(): Promise<Map<string, number>> {
    const rows = await this.db.$queryRaw<Array<{ account: string; balance: bigint }>>`
      SELECT account, SUM(debit_fen) - SUM(credit_fen) AS balance FROM ledger_posting GROUP BY account`;
    return new Map(rows.map((row) => [row.account, Number(row.balance)]));
  }
}
