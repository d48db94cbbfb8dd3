// Daily reconciliation against the sandbox bank's real statement, and the refund workflow with
// its deadlines; the ledger invariants hold after every step, and the CLI reports violations.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createPaymentClient, errorBodyOf } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../src/domain/ledger/invariants.ts';
import { RESOURCE } from '../src/meta.ts';
import {
  CITIZEN,
  UNIT,
  UNIT_CLIENT,
  seedCatalogue,
  startPlatform,
  tomorrow,
  type Platform,
} from './support/platform.ts';

let platform: Platform;
let finance: ReturnType<typeof createPaymentClient>;
let unit: ReturnType<typeof createPaymentClient>;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  platform = await startPlatform({ banksimDispatch: false });
  await seedCatalogue(platform);
  await platform.admin.item.create.mutate({
    code: 'EXAM',
    name: 'Exam fee',
    unitCode: UNIT.creditCode,
    legalBasis: 'basis',
    amountRule: { kind: 'range', minFen: 1_000, maxFen: 50_000 },
    destination: 'fiscal_special_account',
  });
  for (const status of ['sandbox_tested', 'live'] as const)
    await platform.admin.item.transition.mutate({ code: 'EXAM', status });
  const financeToken = await platform.issuer.mint({
    sub: 'finance-officer',
    client_id: 'console',
    aud: RESOURCE,
    scope: 'payment:finance',
  });
  finance = createPaymentClient({ url: platform.paymentUrl, getToken: () => financeToken });
  const scopes =
    'payment:notice:create payment:notice:read payment:webhooks payment:refund:request payment:refund:review';
  let n = 0;
  unit = createPaymentClient({
    url: platform.paymentUrl,
    getToken: () => platform.token(scopes, UNIT_CLIENT),
    headers: () => ({ 'idempotency-key': `rr-${n++}-${Date.now()}` }),
  });
});
afterAll(() => platform?.close());

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'succeeded',
    (e: unknown) => errorBodyOf(e)?.code,
  );

async function paidNotice(lines: Array<{ itemCode: string; amountFen?: number }> = [{ itemCode: 'FINE-200' }]) {
  const notice = await unit.notice.create.mutate({ payer: CITIZEN, lines, dueDate: tomorrow() });
  await platform.bank.payment.pay.mutate({
    paymentCode: notice.paymentCode,
    payerName: 'Zhang San',
    payerAccount: '1',
  });
  await platform.banksim.dispatcher.runOnce();
  expect((await unit.notice.get.query({ paymentCode: notice.paymentCode })).state).toBe('paid');
  return notice;
}

async function balances(): Promise<Record<string, number>> {
  const rows = await platform.db.$queryRaw<Array<{ account: string; balance: bigint }>>`
    SELECT account, SUM(debit_fen) - SUM(credit_fen) AS balance FROM ledger_posting GROUP BY account`;
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.balance)]));
}

async function invariantsHold() {
  const report = await checkLedgerInvariants(platform.db);
  expect(report.violations).toEqual([]);
  expect(report.totalDebitFen).toBe(report.totalCreditFen);
}

let settledNotice: { id: string; paymentCode: string };

describe('daily reconciliation', () => {
  it('matches statement, payments and ledger; settles matched notices; parks unknown money in suspense', async () => {
    settledNotice = await paidNotice([{ itemCode: 'FINE-200' }, { itemCode: 'EXAM', amountFen: 12_000 }]);
    // Paid at the bank with the wrong amount: the callback is refused, the statement has it.
    const wrong = await unit.notice.create.mutate({
      payer: CITIZEN,
      lines: [{ itemCode: 'FINE-200' }],
      dueDate: tomorrow(),
    });
    await platform.bank.payment.pay.mutate({
      paymentCode: wrong.paymentCode,
      payerName: 'Li Si',
      payerAccount: '2',
      amountFen: 19_999,
    });
    await platform.banksim.dispatcher.runOnce();
    expect((await unit.notice.get.query({ paymentCode: wrong.paymentCode })).state).toBe('issued');
    // Recorded by the platform but missing from the bank's books (removed there by hand).
    const vanished = await paidNotice();
    const [bankRow] = (await platform.bank.payment.list.query({ paymentCode: vanished.paymentCode })).payments;
    await platform.bankDb.$executeRaw`DELETE FROM callback_delivery WHERE serial = ${bankRow?.bankSerial}`;
    await platform.bankDb.$executeRaw`DELETE FROM bank_payment WHERE serial = ${bankRow?.bankSerial}`;

    const report = await finance.reconciliation.run.mutate({ date: today });
    expect(report.matched).toEqual({ count: 1, amountFen: 32_000 });
    expect(report.settled).toBe(1);
    expect(report.missingOnPlatform.map((l) => [l.paymentCode, l.statementFen, l.platformFen])).toEqual([
      [wrong.paymentCode, 19_999, null],
    ]);
    expect(report.missingOnChannel.map((l) => [l.paymentCode, l.platformFen])).toEqual([
      [vanished.paymentCode, 20_000],
    ]);
    expect(report.amountMismatches).toEqual([]);
    expect(report.missingInLedger).toEqual([]);
    expect(report.suspense).toEqual({ count: 1, amountFen: 19_999 });
    expect(report.byUnit).toEqual([{ unitCode: UNIT.creditCode, count: 1, amountFen: 32_000 }]);
    expect((await unit.notice.get.query({ paymentCode: settledNotice.paymentCode })).state).toBe('settled');
    expect(await balances()).toEqual({
      payers: -(32_000 + 20_000 + 19_999),
      'clearing:banksim': 20_000, // the unreconciled payment stays in clearing
      treasury: 20_000,
      fiscal_special_account: 12_000,
      suspense: 19_999,
    });
    await invariantsHold();

    // Running the day again changes nothing.
    const transfers = await platform.db.ledgerTransfer.count();
    const again = await finance.reconciliation.run.mutate({ date: today });
    expect({ ...again, ranAt: '' }).toEqual({ ...report, settled: 0, ranAt: '' });
    expect(await platform.db.ledgerTransfer.count()).toBe(transfers);
    expect((await finance.reconciliation.get.query({ date: today })).suspense).toEqual({ count: 1, amountFen: 19_999 });
    expect(await codeOf(finance.reconciliation.get.query({ date: '2001-01-01' }))).toBe('RECONCILIATION_NOT_FOUND');
    expect(await codeOf(unit.reconciliation.run.mutate({ date: today }))).toBe('INSUFFICIENT_SCOPE');
  });
});

describe('refunds', () => {
  it('goes request → unit review → finance approval → execution, updating notice, receipt, ledger and webhooks', async () => {
    const requested = await unit.refund.request.mutate({
      paymentCode: settledNotice.paymentCode,
      amountFen: 25_000,
      reason: 'fine reduced on appeal',
      kind: 'approved_case',
    });
    expect(requested).toMatchObject({ state: 'requested', amountFen: 25_000, overdue: false, approvalDueAt: null });
    const days = (Date.parse(requested.reviewDueAt) - Date.parse(requested.requestedAt)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(12); // 10 working days always span two weekends
    expect(await codeOf(finance.refund.execute.mutate({ refundId: requested.id }))).toBe(
      'REFUND_TRANSITION_NOT_ALLOWED',
    );
    expect(await codeOf(finance.refund.review.mutate({ refundId: requested.id, approve: true }))).toBe(
      'INSUFFICIENT_SCOPE',
    );

    const reviewed = await unit.refund.review.mutate({ refundId: requested.id, approve: true });
    expect(reviewed.state).toBe('unit_approved');
    const approved = await finance.refund.approve.mutate({ refundId: requested.id, approve: true });
    expect(approved.state).toBe('finance_approved');
    const executed = await finance.refund.execute.mutate({ refundId: requested.id });
    expect(executed.state).toBe('executed');
    expect(await codeOf(finance.refund.execute.mutate({ refundId: requested.id }))).toBe(
      'REFUND_TRANSITION_NOT_ALLOWED',
    );

    const notice = await unit.notice.get.query({ paymentCode: settledNotice.paymentCode });
    expect(notice).toMatchObject({ state: 'partially_refunded', paidFen: 32_000, refundedFen: 25_000 });
    expect((await unit.receipt.get.query({ paymentCode: settledNotice.paymentCode })).refundedFen).toBe(25_000);
    // After settlement the money comes back from the destinations, lines in order.
    const legs = await platform.db.ledgerPosting.findMany({
      where: { transferId: `refund:${requested.id}` },
      orderBy: { account: 'asc' },
    });
    expect(legs.map((l) => [l.account, Number(l.debitFen), Number(l.creditFen)])).toEqual([
      ['fiscal_special_account', 0, 5_000],
      ['payers', 25_000, 0],
      ['treasury', 0, 20_000],
    ]);
    const events = (await unit.webhook.list.query({ paymentCode: settledNotice.paymentCode })).events;
    expect(events.map((e) => [e.type, e.sequence]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['notice.paid', 1],
      ['notice.settled', 2],
      ['notice.refunded', 3],
    ]);
    await invariantsHold();
  });

  it('never lets refunds exceed what was paid; a rejection frees the amount again', async () => {
    const code = settledNotice.paymentCode; // 32 000 paid, 25 000 refunded
    const base = { paymentCode: code, reason: 'r', kind: 'error' as const };
    const refundsBefore = await platform.db.refund.count();
    expect(await codeOf(unit.refund.request.mutate({ ...base, amountFen: 7_001 }))).toBe('REFUND_EXCEEDS_REFUNDABLE');
    expect(await platform.db.refund.count()).toBe(refundsBefore);
    const all = await unit.refund.request.mutate({ ...base, amountFen: 7_000 });
    expect(await codeOf(unit.refund.request.mutate({ ...base, amountFen: 1 }))).toBe('REFUND_EXCEEDS_REFUNDABLE');
    expect(await codeOf(unit.refund.review.mutate({ refundId: all.id, approve: false }))).toBe('VALIDATION_FAILED');
    const rejected = await unit.refund.review.mutate({ refundId: all.id, approve: false, reason: 'not an error' });
    expect(rejected).toMatchObject({ state: 'rejected', rejectedReason: 'not an error' });
    const last = await unit.refund.request.mutate({ ...base, amountFen: 7_000 });
    await unit.refund.review.mutate({ refundId: last.id, approve: true });
    await finance.refund.approve.mutate({ refundId: last.id, approve: true });
    await finance.refund.execute.mutate({ refundId: last.id });
    expect((await unit.notice.get.query({ paymentCode: code })).state).toBe('refunded');
    // Fully refunded: nothing left to refund.
    expect(await codeOf(unit.refund.request.mutate({ ...base, amountFen: 1 }))).toBe('REFUND_NOT_ALLOWED');
    await expect(
      platform.db
        .$executeRaw`UPDATE payment_notice SET refund_reserved_fen = paid_fen + 1 WHERE payment_code = ${code}`,
    ).rejects.toThrow();
    await invariantsHold();
  });

  it('refunds an unsettled notice from the channel clearing account, and refuses unpaid notices', async () => {
    const notice = await paidNotice();
    const refund = await unit.refund.request.mutate({
      paymentCode: notice.paymentCode,
      amountFen: 20_000,
      reason: 'paid twice',
      kind: 'error',
      unitInitiated: true,
    });
    // The unit found the error itself: 5 working days to verify.
    expect((Date.parse(refund.reviewDueAt) - Date.parse(refund.requestedAt)) / 86_400_000).toBeLessThan(8);
    await unit.refund.review.mutate({ refundId: refund.id, approve: true });
    await finance.refund.approve.mutate({ refundId: refund.id, approve: true });
    await finance.refund.execute.mutate({ refundId: refund.id });
    const legs = await platform.db.ledgerPosting.findMany({
      where: { transferId: `refund:${refund.id}` },
      orderBy: { account: 'asc' },
    });
    expect(legs.map((l) => [l.account, Number(l.debitFen), Number(l.creditFen)])).toEqual([
      ['clearing:banksim', 0, 20_000],
      ['payers', 20_000, 0],
    ]);
    const unpaid = await unit.notice.create.mutate({
      payer: CITIZEN,
      lines: [{ itemCode: 'FINE-200' }],
      dueDate: tomorrow(),
    });
    expect(
      await codeOf(
        unit.refund.request.mutate({ paymentCode: unpaid.paymentCode, amountFen: 1, reason: 'r', kind: 'error' }),
      ),
    ).toBe('REFUND_NOT_ALLOWED');
    await invariantsHold();
  });

  it('takes batches all or nothing, and flags refunds past their deadline', async () => {
    const a = await paidNotice();
    const b = await paidNotice();
    const item = (paymentCode: string, amountFen: number) => ({
      paymentCode,
      amountFen,
      reason: 'batch',
      kind: 'over_collection' as const,
    });
    const before = await platform.db.refund.count();
    expect(
      await codeOf(
        unit.refund.requestBatch.mutate({ refunds: [item(a.paymentCode, 100), item(b.paymentCode, 20_001)] }),
      ),
    ).toBe('REFUND_EXCEEDS_REFUNDABLE');
    expect(await platform.db.refund.count()).toBe(before);
    const batch = await unit.refund.requestBatch.mutate({
      refunds: [item(a.paymentCode, 100), item(b.paymentCode, 200)],
    });
    expect(batch.refunds.map((r) => [r.paymentCode, r.amountFen, r.batchId])).toEqual([
      [a.paymentCode, 100, batch.batchId],
      [b.paymentCode, 200, batch.batchId],
    ]);
    const late = batch.refunds[0]?.id ?? '';
    await platform.db.$executeRaw`UPDATE refund SET review_due_at = now() - interval '1 hour' WHERE id = ${late}::uuid`;
    const overdue = await finance.refund.list.query({ overdueOnly: true });
    expect(overdue.refunds.map((r) => r.id)).toEqual([late]);
    expect((await unit.refund.list.query({ overdueOnly: false, paymentCode: b.paymentCode })).refunds).toHaveLength(1);
    await invariantsHold();
  });
});

describe('the ledger check command', () => {
  const cli = fileURLToPath(new URL('../src/cli/ledger-check.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
  const run = () =>
    promisify(execFile)(tsx, [cli], { env: { ...process.env, DATABASE_URL: platform.paymentDatabase.url } }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('exits 0 on a consistent ledger and 1, naming the rule, when an invariant is broken', async () => {
    const ok = await run();
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, violations: [] });
    // Break one: a paid notice loses its receipt.
    await platform.db.receipt.deleteMany({ where: { noticeId: settledNotice.id } });
    const broken = await run();
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).violations).toEqual([
      { rule: 'one_receipt_per_paid_notice', subject: settledNotice.paymentCode, detail: '0 receipts' },
    ]);
  }, 60_000);
});
