// The ledger's invariants, checked by tests after every operation and by `npm run ledger:check`:
// every transfer balances and so does the whole ledger (debits = credits); for every notice
// paid ≤ due and refunded ≤ paid; what the ledger collected for a notice equals what the notice says
// was paid (and refunded), refund requests never exceed what was paid, and a paid notice has
// exactly one payment, one receipt and one "notice.paid" event.
import type { DbClient } from '../../db.ts';
import { ACCOUNTS } from './accounts.ts';

export interface Violation {
  rule: string;
  subject: string;
  detail: string;
}

export interface InvariantReport {
  ok: boolean;
  transfers: number;
  totalDebitFen: number;
  totalCreditFen: number;
  violations: Violation[];
}

const PAID_STATES = `('paid', 'settled', 'partially_refunded', 'refunded')`;

export async function checkLedgerInvariants(db: DbClient): Promise<InvariantReport> {
  const violations: Violation[] = [];
  const add = (rule: string, rows: Array<{ subject: string; detail: string }>) =>
    rows.forEach((row) => violations.push({ rule, ...row }));

  const totals = await db.$queryRaw<Array<{ transfers: bigint; debit: bigint | null; credit: bigint | null }>>`
    SELECT (SELECT COUNT(*) FROM ledger_transfer) AS transfers,
           SUM(debit_fen) AS debit, SUM(credit_fen) AS credit FROM ledger_posting`;
  const total = totals[0];
  const totalDebitFen = Number(total?.debit ?? 0n);
  const totalCreditFen = Number(total?.credit ?? 0n);
  if (totalDebitFen !== totalCreditFen)
    violations.push({
      rule: 'ledger_balanced',
      subject: 'ledger',
      detail: `debits ${totalDebitFen} ≠ credits ${totalCreditFen}`,
    });

  add(
    'transfer_balanced',
    await db.$queryRaw`
      SELECT t.id AS subject, 'debits - credits = ' || COALESCE(SUM(p.debit_fen) - SUM(p.credit_fen), 0) AS detail
        FROM ledger_transfer t LEFT JOIN ledger_posting p ON p.transfer_id = t.id
       GROUP BY t.id HAVING COUNT(p.id) < 2 OR SUM(p.debit_fen) <> SUM(p.credit_fen)`,
  );
  add(
    'paid_le_due',
    await db.$queryRaw`
      SELECT payment_code AS subject, 'paid ' || paid_fen || ' > due ' || total_fen AS detail
        FROM payment_notice WHERE paid_fen > total_fen`,
  );
  add(
    'refunded_le_paid',
    await db.$queryRaw`
      SELECT payment_code AS subject, 'refunded ' || refunded_fen || ' > paid ' || paid_fen AS detail
        FROM payment_notice WHERE refunded_fen > paid_fen`,
  );
  add(
    'ledger_matches_notice',
    await db.$queryRaw`
      SELECT n.payment_code AS subject, 'notice paid ' || n.paid_fen || ', ledger collected ' || COALESCE(c.collected, 0) AS detail
        FROM payment_notice n
        LEFT JOIN (SELECT t.notice_id, SUM(p.credit_fen) AS collected
                     FROM ledger_transfer t JOIN ledger_posting p ON p.transfer_id = t.id
                    WHERE t.kind = 'payment' AND p.account = ${ACCOUNTS.payers}
                    GROUP BY t.notice_id) c ON c.notice_id = n.id
       WHERE n.paid_fen <> COALESCE(c.collected, 0)`,
  );
  add(
    'payment_matches_notice',
    await db.$queryRaw`
      SELECT n.payment_code AS subject, 'notice paid ' || n.paid_fen || ', channel payments ' || COALESCE(SUM(cp.amount_fen), 0) AS detail
        FROM payment_notice n LEFT JOIN channel_payment cp ON cp.notice_id = n.id
       GROUP BY n.id HAVING n.paid_fen <> COALESCE(SUM(cp.amount_fen), 0)`,
  );
  add(
    'refunds_match_notice',
    await db.$queryRaw`
      SELECT n.payment_code AS subject,
             'notice refunded ' || n.refunded_fen || ', executed refunds ' || COALESCE(r.executed, 0)
               || ', ledger refunds ' || COALESCE(l.refunded, 0) AS detail
        FROM payment_notice n
        LEFT JOIN (SELECT notice_id, SUM(amount_fen) AS executed FROM refund WHERE state = 'executed' GROUP BY notice_id) r
               ON r.notice_id = n.id
        LEFT JOIN (SELECT t.notice_id, SUM(p.debit_fen) AS refunded
                     FROM ledger_transfer t JOIN ledger_posting p ON p.transfer_id = t.id
                    WHERE t.kind = 'refund' AND p.account = ${ACCOUNTS.payers}
                    GROUP BY t.notice_id) l ON l.notice_id = n.id
       WHERE n.refunded_fen <> COALESCE(r.executed, 0) OR n.refunded_fen <> COALESCE(l.refunded, 0)`,
  );
  add(
    'refund_requests_le_paid',
    await db.$queryRaw`
      SELECT n.payment_code AS subject, 'open or executed refunds ' || SUM(r.amount_fen) || ' > paid ' || n.paid_fen AS detail
        FROM payment_notice n JOIN refund r ON r.notice_id = n.id AND r.state NOT IN ('rejected', 'failed')
       GROUP BY n.id HAVING SUM(r.amount_fen) > n.paid_fen OR SUM(r.amount_fen) <> n.refund_reserved_fen`,
  );
  add(
    'one_receipt_per_paid_notice',
    await db.$queryRawUnsafe(`
      SELECT n.payment_code AS subject, COUNT(r.id) || ' receipts' AS detail
        FROM payment_notice n LEFT JOIN receipt r ON r.notice_id = n.id
       WHERE n.state IN ${PAID_STATES} GROUP BY n.id HAVING COUNT(r.id) <> 1`),
  );
  add(
    'one_paid_event_per_paid_notice',
    await db.$queryRawUnsafe(`
      SELECT n.payment_code AS subject, COUNT(e.id) || ' notice.paid events' AS detail
        FROM payment_notice n LEFT JOIN webhook_event e ON e.notice_id = n.id AND e.type = 'notice.paid'
       WHERE n.state IN ${PAID_STATES} GROUP BY n.id HAVING COUNT(e.id) <> 1`),
  );
  return {
    ok: violations.length === 0,
    transfers: Number(total?.transfers ?? 0n),
    totalDebitFen,
    totalCreditFen,
    violations,
  };
}
