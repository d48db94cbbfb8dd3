// End to end over real HTTP: a unit issues a notice, a payer pays it at the sandbox bank, the
// bank's signed callback reaches the payment service, which records it exactly once with its
// ledger transfer, receipt and webhook event.
import { createServer, type Server } from 'node:http';
import { errorBodyOf } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../src/domain/ledger/invariants.ts';
import { verifyWebhook } from '../src/domain/webhooks/webhook-signature.ts';
import { CITIZEN, seedCatalogue, startPlatform, tomorrow, type Platform } from './support/platform.ts';

let platform: Platform;
let receiver: Server;
const received: Array<{ signature: string; body: string }> = [];
let webhookSecret: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ signature: String(req.headers['platform-signature']), body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as { port: number }).port;
  platform = await startPlatform();
  webhookSecret = (await seedCatalogue(platform, `http://127.0.0.1:${port}/hooks`)).webhookSecret;
});
afterAll(async () => {
  await platform?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const issue = () =>
  platform
    .unitClient()
    .notice.create.mutate({ payer: CITIZEN, lines: [{ itemCode: 'FINE-200' }], dueDate: tomorrow() });

const pay = (paymentCode: string, amountFen?: number) =>
  platform.bank.payment.pay.mutate({
    paymentCode,
    payerName: 'Zhang San',
    payerAccount: '6222020000000001',
    ...(amountFen ? { amountFen } : {}),
  });

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function counts(noticeId: string) {
  const [payments, transfers, receipts, events] = await Promise.all([
    platform.db.channelPayment.count({ where: { noticeId } }),
    platform.db.ledgerTransfer.count({ where: { noticeId } }),
    platform.db.receipt.count({ where: { noticeId } }),
    platform.db.webhookEvent.count({ where: { noticeId, type: 'notice.paid' } }),
  ]);
  return { payments, transfers, receipts, events };
}

describe('paying a notice through the sandbox bank', () => {
  it('records the payment once, with its ledger transfer, receipt and webhook event', async () => {
    const notice = await issue();
    expect(notice.state).toBe('issued');
    const bankPayment = await pay(notice.paymentCode);
    expect(bankPayment).toMatchObject({ status: 'succeeded', amountFen: 20_000 });

    const unit = platform.unitClient();
    const paid = await waitFor(
      () => unit.notice.get.query({ paymentCode: notice.paymentCode }),
      (n) => n.state === 'paid',
    );
    expect(paid).toMatchObject({ state: 'paid', paidFen: 20_000, refundedFen: 0 });
    expect(await counts(notice.id)).toEqual({ payments: 1, transfers: 1, receipts: 1, events: 1 });

    const balances = await platform.db.$queryRaw<Array<{ account: string; balance: bigint }>>`
      SELECT p.account, SUM(p.debit_fen) - SUM(p.credit_fen) AS balance
        FROM ledger_posting p JOIN ledger_transfer t ON t.id = p.transfer_id
       WHERE t.notice_id = ${notice.id}::uuid GROUP BY p.account ORDER BY p.account`;
    expect(balances.map((b) => [b.account, Number(b.balance)])).toEqual([
      ['clearing:banksim', 20_000],
      ['payers', -20_000],
    ]);
    expect(await checkLedgerInvariants(platform.db)).toMatchObject({ ok: true, violations: [] });

    // The webhook reaches the unit, signed with its secret, carrying sequence 1.
    await platform.payment.core.webhooks.runOnce();
    const delivery = received.find((r) => r.body.includes(notice.paymentCode));
    expect(delivery).toBeDefined();
    expect(
      verifyWebhook(webhookSecret, delivery?.body ?? '', delivery?.signature ?? '', Math.floor(Date.now() / 1000)),
    ).toBe(true);
    expect(
      verifyWebhook('whsec_wrong', delivery?.body ?? '', delivery?.signature ?? '', Math.floor(Date.now() / 1000)),
    ).toBe(false);
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      type: 'notice.paid',
      sequence: 1,
      data: { amountFen: 20_000 },
    });

    // The bank's status query and the payer's lookup agree.
    const status = await platform.bank.payment.status.query({ paymentCode: notice.paymentCode });
    expect(status.confirmations).toHaveLength(1);
    const lookup = await platform.admin.notice.lookup.query({ paymentCode: notice.paymentCode });
    expect(lookup).toMatchObject({ state: 'paid', payable: false, payerName: 'Z********', totalFen: 20_000 });
  });

  it('refuses to take a second payment for a paid notice at the bank', async () => {
    const notice = await issue();
    await pay(notice.paymentCode);
    await waitFor(
      () => platform.unitClient().notice.get.query({ paymentCode: notice.paymentCode }),
      (n) => n.state === 'paid',
    );
    const error = await pay(notice.paymentCode).catch((e: unknown) => e);
    expect(errorBodyOf(error)?.code).toBe('BANKSIM_NOTICE_NOT_PAYABLE');
  });
});
