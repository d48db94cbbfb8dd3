// Refunds go back through the channel: an approved refund is instructed to banksim (signed by the
// merchant key, the refund id as idempotency key) and executed only when banksim's signed answer
// confirms it. Timeouts and outages are retried without ever paying twice, duplicate confirmations
// change nothing, a decline frees the amount, and the daily reconciliation matches refunds both ways.
import { RefundConfirmation, createPaymentClient, errorBodyOf } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../src/domain/ledger/invariants.ts';
import { RESOURCE } from '../src/meta.ts';
import { CITIZEN, UNIT_CLIENT, seedCatalogue, startPlatform, tomorrow, type Platform } from './support/platform.ts';

let platform: Platform;
let finance: ReturnType<typeof createPaymentClient>;
let unit: ReturnType<typeof createPaymentClient>;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  // A short refund timeout, so that banksim's "late answer" switch makes the platform time out.
  platform = await startPlatform({ banksimDispatch: false, paymentEnv: { REFUND_TIMEOUT_MS: '400' } });
  await seedCatalogue(platform);
  const financeToken = await platform.issuer.mint({
    sub: 'finance-officer',
    client_id: 'console',
    aud: RESOURCE,
    scope: 'payment:finance',
  });
  finance = createPaymentClient({ url: platform.paymentUrl, getToken: () => financeToken });
  let n = 0;
  unit = createPaymentClient({
    url: platform.paymentUrl,
    getToken: () =>
      platform.token(
        'payment:notice:create payment:notice:read payment:webhooks payment:refund:request payment:refund:review',
        UNIT_CLIENT,
      ),
    headers: () => ({ 'idempotency-key': `rc-${n++}-${Date.now()}` }),
  });
});
afterAll(() => platform?.close());

async function paidNotice() {
  const notice = await unit.notice.create.mutate({
    payer: CITIZEN,
    lines: [{ itemCode: 'FINE-200' }],
    dueDate: tomorrow(),
  });
  await platform.bank.payment.pay.mutate({
    paymentCode: notice.paymentCode,
    payerName: 'Zhang San',
    payerAccount: '1',
  });
  await platform.banksim.dispatcher.runOnce();
  return notice;
}

/** A refund of `amountFen` taken through request, review and approval (not yet executed). */
async function approvedRefund(paymentCode: string, amountFen: number) {
  const refund = await unit.refund.request.mutate({ paymentCode, amountFen, reason: 'r', kind: 'error' });
  await unit.refund.review.mutate({ refundId: refund.id, approve: true });
  await finance.refund.approve.mutate({ refundId: refund.id, approve: true });
  return refund;
}

const bankRefunds = (paymentCode: string) =>
  platform.bank.payment.status
    .query({ paymentCode })
    .then((answer) => answer.refunds.map((r) => RefundConfirmation.parse(JSON.parse(r.body))));

const refundTransfers = (refundId: string) => platform.db.ledgerTransfer.count({ where: { id: `refund:${refundId}` } });

/** Makes a processing refund due for its next attempt now (instead of waiting out the backoff). */
const dueNow = (refundId: string) =>
  platform.db.$executeRaw`UPDATE refund SET next_attempt_at = now() - interval '1 second' WHERE id = ${refundId}::uuid`;

async function invariantsHold() {
  const report = await checkLedgerInvariants(platform.db);
  expect(report.violations).toEqual([]);
}

describe('refunds through the channel', () => {
  it('executes when the channel confirms, recording its refund reference', async () => {
    const notice = await paidNotice();
    const refund = await approvedRefund(notice.paymentCode, 5_000);
    const executed = await finance.refund.execute.mutate({ refundId: refund.id });
    const [atBank] = await bankRefunds(notice.paymentCode);
    expect(atBank).toMatchObject({ merchantRef: refund.id, status: 'succeeded', amountFen: 5_000 });
    expect(executed).toMatchObject({
      state: 'executed',
      channelRefundRef: atBank?.refundSerial,
      channelAttempts: 1,
      lastError: null,
    });
    expect(await unit.notice.get.query({ paymentCode: notice.paymentCode })).toMatchObject({
      state: 'partially_refunded',
      refundedFen: 5_000,
    });
    const events = (await unit.webhook.list.query({ paymentCode: notice.paymentCode })).events;
    expect(events.find((e) => e.type === 'notice.refunded')?.payload).toMatchObject({
      refundId: refund.id,
      channelRefundRef: atBank?.refundSerial,
    });
    await invariantsHold();
  });

  it('a timed-out instruction stays processing (nothing refunded here) and its retry pays back once', async () => {
    const notice = await paidNotice();
    const refund = await approvedRefund(notice.paymentCode, 20_000);
    // banksim records the refund at once but answers after the platform gave up waiting.
    await platform.bank.switches.set.mutate({ refundDelayMs: 1_500 });
    const pending = await finance.refund.execute.mutate({ refundId: refund.id });
    expect(pending).toMatchObject({ state: 'processing', channelRefundRef: null, channelAttempts: 1 });
    expect(pending.lastError).toMatch(/TimeoutError/);
    expect(await unit.notice.get.query({ paymentCode: notice.paymentCode })).toMatchObject({
      state: 'paid',
      refundedFen: 0,
    });
    expect(await refundTransfers(refund.id)).toBe(0);
    // The channel did pay back: the day's reconciliation sees a refund the platform has not executed.
    const midway = await finance.reconciliation.run.mutate({ date: today });
    const [atBank] = await bankRefunds(notice.paymentCode);
    expect(midway.refunds.missingOnPlatform).toEqual([
      { bankSerial: atBank?.refundSerial, paymentCode: notice.paymentCode, statementFen: 20_000, platformFen: null },
    ]);
    // Not due yet: the job leaves it alone; once due, the retry (same key) gets the recorded outcome.
    await platform.bank.switches.set.mutate({ refundDelayMs: 0 });
    expect(await platform.payment.core.refundExecutor.runOnce()).toBe(0);
    await dueNow(refund.id);
    expect(await platform.payment.core.refundExecutor.runOnce()).toBe(1);
    const [done] = (await finance.refund.list.query({ overdueOnly: false, paymentCode: notice.paymentCode })).refunds;
    expect(done).toMatchObject({ state: 'executed', channelAttempts: 2, channelRefundRef: atBank?.refundSerial });
    expect(await bankRefunds(notice.paymentCode)).toHaveLength(1); // paid back exactly once
    expect(await unit.notice.get.query({ paymentCode: notice.paymentCode })).toMatchObject({
      state: 'refunded',
      refundedFen: 20_000,
    });
    expect(await refundTransfers(refund.id)).toBe(1);
    await invariantsHold();
  });

  it('retries through an outage; concurrent retries and duplicate confirmations change nothing twice', async () => {
    const notice = await paidNotice();
    const refund = await approvedRefund(notice.paymentCode, 7_000);
    await platform.bank.switches.set.mutate({ refundOutagePercent: 100 });
    const pending = await finance.refund.execute.mutate({ refundId: refund.id });
    expect(pending.state).toBe('processing');
    expect(pending.lastError).toMatch(/503 BANKSIM_UNAVAILABLE/);
    expect(await bankRefunds(notice.paymentCode)).toEqual([]);
    await platform.bank.switches.set.mutate({ refundOutagePercent: 0 });
    await dueNow(refund.id);
    // Several replicas' job loops at once: one claims the attempt, the others find nothing due.
    const executor = platform.payment.core.refundExecutor;
    const answered = await Promise.all(Array.from({ length: 5 }, () => executor.runOnce()));
    expect(answered.reduce((a, b) => a + b, 0)).toBe(1);
    // The channel's confirmation arriving again (status query, late answer …): nothing changes.
    const [atBank] = await bankRefunds(notice.paymentCode);
    if (!atBank) throw new Error('banksim has no refund');
    const outcome = {
      status: atBank.status,
      refundSerial: atBank.refundSerial,
      reason: atBank.reason,
      confirmedAt: new Date(atBank.confirmedAt),
    };
    const again = await Promise.all(Array.from({ length: 10 }, () => executor.apply(refund.id, outcome)));
    expect(new Set(again)).toEqual(new Set(['duplicate']));
    expect(await unit.notice.get.query({ paymentCode: notice.paymentCode })).toMatchObject({ refundedFen: 7_000 });
    expect(await refundTransfers(refund.id)).toBe(1);
    expect(await platform.db.webhookEvent.count({ where: { noticeId: notice.id, type: 'notice.refunded' } })).toBe(1);
    await invariantsHold();
  });

  it('a declined refund fails, moves nothing and frees the amount for a new request', async () => {
    const notice = await paidNotice();
    const refund = await approvedRefund(notice.paymentCode, 20_000);
    await platform.bank.switches.set.mutate({ refundFailPercent: 100 });
    const failed = await finance.refund.execute.mutate({ refundId: refund.id });
    await platform.bank.switches.set.mutate({ refundFailPercent: 0 });
    expect(failed).toMatchObject({ state: 'failed', failedReason: 'declined_by_bank' });
    expect(failed.channelRefundRef).toMatch(/^RF/);
    expect(await unit.notice.get.query({ paymentCode: notice.paymentCode })).toMatchObject({
      state: 'paid',
      refundedFen: 0,
    });
    expect(await refundTransfers(refund.id)).toBe(0);
    const code = await finance.refund.execute.mutate({ refundId: refund.id }).then(
      () => 'ok',
      (e: unknown) => errorBodyOf(e)?.code,
    );
    expect(code).toBe('REFUND_TRANSITION_NOT_ALLOWED');
    // The database refuses to resurrect it, whatever the code does.
    await expect(
      platform.db.$executeRaw`UPDATE refund SET state = 'processing' WHERE id = ${refund.id}::uuid`,
    ).rejects.toThrow(/illegal refund transition/);
    const second = await approvedRefund(notice.paymentCode, 20_000);
    expect((await finance.refund.execute.mutate({ refundId: second.id })).state).toBe('executed');
    await invariantsHold();
  });

  it('reconciles refunds both ways: matched, and executed here but missing on the statement', async () => {
    const report = await finance.reconciliation.run.mutate({ date: today });
    const executed = await platform.db.refund.findMany({ where: { state: 'executed' } });
    expect(report.refunds.matched).toEqual({
      count: executed.length,
      amountFen: executed.reduce((sum, r) => sum + Number(r.amountFen), 0),
    });
    expect(report.refunds.missingOnPlatform).toEqual([]);
    expect(report.refunds.missingOnChannel).toEqual([]);
    expect(report.refunds.amountMismatches).toEqual([]);
    expect(report.refunds.missingInLedger).toEqual([]);
    // Removed from the bank's books: the platform's executed refund is reported missing there.
    const gone = executed[0];
    await platform.bankDb.$executeRaw`DELETE FROM bank_refund WHERE serial = ${gone?.channelRefundRef}`;
    const after = await finance.reconciliation.run.mutate({ date: today });
    expect(after.refunds.matched.count).toBe(executed.length - 1);
    expect(after.refunds.missingOnChannel.map((l) => [l.bankSerial, l.platformFen])).toEqual([
      [gone?.channelRefundRef, Number(gone?.amountFen)],
    ]);
    await invariantsHold();
  });
});
