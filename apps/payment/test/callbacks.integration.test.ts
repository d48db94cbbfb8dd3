// Channel callbacks are recorded exactly once and only when authentic: signature, timestamp
// window, code and amount. Refused callbacks record nothing and move no money.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../src/domain/ledger/invariants.ts';
import { CITIZEN, seedCatalogue, startPlatform, tomorrow, type Platform } from './support/platform.ts';

let platform: Platform;

beforeAll(async () => {
  // Callbacks are driven by hand here: banksim's poller stays idle.
  platform = await startPlatform({ banksimDispatch: false });
  await seedCatalogue(platform);
});
afterAll(() => platform?.close());

const issue = () =>
  platform
    .unitClient()
    .notice.create.mutate({ payer: CITIZEN, lines: [{ itemCode: 'FINE-200' }], dueDate: tomorrow() });

/** Takes a payment at the bank and returns its signed confirmation, as the bank would send it. */
async function bankConfirmation(paymentCode: string, amountFen?: number) {
  await platform.bank.payment.pay.mutate({
    paymentCode,
    payerName: 'Zhang San',
    payerAccount: '6222020000000001',
    ...(amountFen ? { amountFen } : {}),
  });
  const [message] = (await platform.bank.payment.status.query({ paymentCode })).confirmations;
  if (!message) throw new Error('the bank has no confirmation');
  return message;
}

const post = (message: { timestamp: number; body: string; signature: string }) =>
  fetch(`${platform.paymentUrl}/channels/banksim/callback`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-channel-timestamp': String(message.timestamp),
      'x-channel-signature': message.signature,
    },
    body: message.body,
  });

async function errorCode(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { error?: { code?: string } }).error?.code;
}

async function recorded(noticeId: string) {
  const [payments, transfers, receipts, events, notice] = await Promise.all([
    platform.db.channelPayment.count({ where: { noticeId } }),
    platform.db.ledgerTransfer.count({ where: { noticeId } }),
    platform.db.receipt.count({ where: { noticeId } }),
    platform.db.webhookEvent.count({ where: { noticeId } }),
    platform.db.paymentNotice.findUniqueOrThrow({ where: { id: noticeId } }),
  ]);
  return { payments, transfers, receipts, events, state: notice.state, paidFen: Number(notice.paidFen) };
}

const NOTHING = { payments: 0, transfers: 0, receipts: 0, events: 0, state: 'issued', paidFen: 0 };
const ONCE = { payments: 1, transfers: 1, receipts: 1, events: 1, state: 'paid', paidFen: 20_000 };

describe('callback authenticity', () => {
  it('refuses a body changed after signing (401 CALLBACK_SIGNATURE_INVALID) and records nothing', async () => {
    const notice = await issue();
    const message = await bankConfirmation(notice.paymentCode);
    const tampered = { ...message, body: message.body.replace('"payerName":"Zhang San"', '"payerName":"Li Si"') };
    expect(tampered.body).not.toBe(message.body);
    const response = await post(tampered);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('CALLBACK_SIGNATURE_INVALID');
    expect(await recorded(notice.id)).toEqual(NOTHING);
  });

  it('refuses a callback signed by another key, or with no signature', async () => {
    const notice = await issue();
    const message = await bankConfirmation(notice.paymentCode);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = createSign('sha256').update(`${message.timestamp}.${message.body}`).sign(privateKey, 'base64');
    const response = await post({ ...message, signature: forged });
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('CALLBACK_SIGNATURE_INVALID');
    const unsigned = await fetch(`${platform.paymentUrl}/channels/banksim/callback`, {
      method: 'POST',
      body: message.body,
    });
    expect(unsigned.status).toBe(401);
    expect(await recorded(notice.id)).toEqual(NOTHING);
  });

  it('refuses a correctly signed callback whose timestamp is outside ±300 s', async () => {
    const notice = await issue();
    const message = await bankConfirmation(notice.paymentCode);
    // Re-sign with the bank's own key is impossible here, so move the timestamp: the signature
    // covers it, hence the window check must come first and give the precise reason.
    for (const skew of [-301, 301]) {
      const response = await post({ ...message, timestamp: message.timestamp + skew });
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe('CALLBACK_TIMESTAMP_OUT_OF_WINDOW');
    }
    expect(await recorded(notice.id)).toEqual(NOTHING);
  });

  it('refuses an amount that does not match the notice (422) and records nothing', async () => {
    const notice = await issue();
    const message = await bankConfirmation(notice.paymentCode, 19_999);
    const response = await post(message);
    expect(response.status).toBe(422);
    expect(await errorCode(response)).toBe('PAYMENT_AMOUNT_MISMATCH');
    expect(await recorded(notice.id)).toEqual(NOTHING);
    expect(await checkLedgerInvariants(platform.db)).toMatchObject({ ok: true });
  });

  it('answers malformed callbacks with 4xx, never 500', async () => {
    const notice = await issue();
    const message = await bankConfirmation(notice.paymentCode);
    const empty = await post({ ...message, body: '' });
    expect(empty.status).toBe(400);
    const unknownChannel = await fetch(`${platform.paymentUrl}/channels/nobank/callback`, {
      method: 'POST',
      body: message.body,
    });
    expect(unknownChannel.status).toBe(404);
  });
});

describe('exactly-once recording', () => {
  it('records the same callback sent twice once, and answers the repeat as a duplicate', async () => {
    const notice = await issue();
    const message = await bankConfirmation(notice.paymentCode);
    const first = await post(message);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, outcome: 'recorded' });
    const second = await post(message);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ received: true, outcome: 'duplicate' });
    expect(await recorded(notice.id)).toEqual(ONCE);
  });

  it('turns 1,000 concurrent duplicate callbacks into one payment, one posting set, one receipt, one event', async () => {
    const notice = await issue();
    const message = await bankConfirmation(notice.paymentCode);
    const responses = await Promise.all(Array.from({ length: 1000 }, () => post(message)));
    const outcomes = await Promise.all(
      responses.map(async (r) => [r.status, ((await r.json()) as { outcome?: string }).outcome]),
    );
    expect(outcomes.filter(([status]) => status !== 200)).toEqual([]);
    expect(outcomes.filter(([, outcome]) => outcome === 'recorded')).toHaveLength(1);
    expect(outcomes.filter(([, outcome]) => outcome === 'duplicate')).toHaveLength(999);
    expect(await recorded(notice.id)).toEqual(ONCE);
    const postings = await platform.db.ledgerPosting.count({ where: { transfer: { noticeId: notice.id } } });
    expect(postings).toBe(2);
    expect(await checkLedgerInvariants(platform.db)).toMatchObject({ ok: true, violations: [] });
  }, 120_000);

  it('refuses a second bank payment for a paid notice (409): the money is left for suspense', async () => {
    const notice = await issue();
    // The payer pays twice before any callback arrives: the bank takes both.
    for (let i = 0; i < 2; i++)
      await platform.bank.payment.pay.mutate({
        paymentCode: notice.paymentCode,
        payerName: 'Zhang San',
        payerAccount: '1',
      });
    const [first, second] = (await platform.bank.payment.status.query({ paymentCode: notice.paymentCode }))
      .confirmations;
    if (!first || !second) throw new Error('expected two bank payments');
    expect((await post(first)).status).toBe(200);
    const refused = await post(second);
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('NOTICE_NOT_PAYABLE');
    expect(await recorded(notice.id)).toEqual(ONCE);
  });
});

describe('lost callbacks', () => {
  it('are recovered by the recovery job querying the channel, once', async () => {
    await platform.bank.switches.set.mutate({ lossPercent: 100 });
    try {
      const notice = await issue();
      await platform.bank.payment.pay.mutate({
        paymentCode: notice.paymentCode,
        payerName: 'Zhang San',
        payerAccount: '1',
      });
      await platform.banksim.dispatcher.runOnce();
      const [bankSide] = (await platform.bank.payment.list.query({ paymentCode: notice.paymentCode })).payments;
      expect(bankSide?.callbacks).toEqual({ pending: 0, delivered: 0, lost: 1, failed: 0 });
      expect(await recorded(notice.id)).toEqual(NOTHING);

      // The job looks at notices unpaid for longer than its threshold (0 s here).
      const first = await platform.payment.core.recovery.run(0, 1000);
      // Other tests' notices are checked too (one has a mismatched payment that must stay refused).
      expect(first.recovered).toBe(1);
      expect(await recorded(notice.id)).toEqual(ONCE);
      const again = await platform.payment.core.recovery.run(0, 1000);
      expect(again.recovered).toBe(0);
      expect(await recorded(notice.id)).toEqual(ONCE);
    } finally {
      await platform.bank.switches.set.mutate({ lossPercent: 0 });
    }
  });
});

describe('banksim switches', () => {
  it('sends duplicates, which the payment service records once', async () => {
    await platform.bank.switches.set.mutate({ duplicates: 4 });
    try {
      const notice = await issue();
      await platform.bank.payment.pay.mutate({
        paymentCode: notice.paymentCode,
        payerName: 'Zhang San',
        payerAccount: '1',
      });
      expect(await platform.banksim.dispatcher.runOnce()).toBe(5);
      const [bankSide] = (await platform.bank.payment.list.query({ paymentCode: notice.paymentCode })).payments;
      expect(bankSide?.callbacks).toEqual({ pending: 0, delivered: 5, lost: 0, failed: 0 });
      expect(await recorded(notice.id)).toEqual(ONCE);
    } finally {
      await platform.bank.switches.set.mutate({ duplicates: 0 });
    }
  });

  it('delays callbacks until they are due, and reorders them newest first', async () => {
    await platform.bank.switches.set.mutate({ delayMs: 60_000 });
    const older = await issue();
    const newer = await issue();
    try {
      for (const n of [older, newer])
        await platform.bank.payment.pay.mutate({
          paymentCode: n.paymentCode,
          payerName: 'Zhang San',
          payerAccount: '1',
        });
      expect(await platform.banksim.dispatcher.runOnce()).toBe(0);
      expect((await recorded(older.id)).state).toBe('issued');
      // A minute later (moved in the bank's database rather than waited for), both are due.
      await platform.bankDb
        .$executeRaw`UPDATE callback_delivery SET due_at = now() - interval '1 second' WHERE status = 'pending'`;
      await platform.bank.switches.set.mutate({ reorder: true });
      expect(await platform.banksim.dispatcher.runOnce()).toBe(2);
    } finally {
      await platform.bank.switches.set.mutate({ delayMs: 0, reorder: false });
    }
    const payments = await platform.db.channelPayment.findMany({
      where: { noticeId: { in: [older.id, newer.id] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(payments.map((p) => p.noticeId)).toEqual([newer.id, older.id]);
    expect(await recorded(older.id)).toEqual(ONCE);
    expect(await recorded(newer.id)).toEqual(ONCE);
  });

  it('declines payments when the failure switch is on: no callback, nothing recorded', async () => {
    await platform.bank.switches.set.mutate({ failPercent: 100 });
    try {
      const notice = await issue();
      const payment = await platform.bank.payment.pay.mutate({
        paymentCode: notice.paymentCode,
        payerName: 'Zhang San',
        payerAccount: '1',
      });
      expect(payment.status).toBe('declined');
      expect(payment.callbacks).toEqual({ pending: 0, delivered: 0, lost: 0, failed: 0 });
      expect((await platform.bank.payment.status.query({ paymentCode: notice.paymentCode })).confirmations).toEqual([]);
      expect(await recorded(notice.id)).toEqual(NOTHING);
    } finally {
      await platform.bank.switches.set.mutate({ failPercent: 0 });
    }
  });
});
