// Flow 3: a collecting unit issues a notice, the payer pays at banksim, banksim sends every
// callback several times and late; the platform records exactly one payment with one receipt and
// one webhook, and the day's reconciliation is clean. Everything goes through public HTTP APIs.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  banksimClient,
  collectingUnit,
  paymentOperator,
  call,
  idempotencyKey,
  info,
  serviceUrl,
  waitFor,
} from './support/platform.ts';
import { CITIZEN, CLEAN_RECONCILIATION, UNIT, today, tomorrow } from './support/payment-fixtures.ts';

const ITEM = 'E2E-FINE-200';

interface Delivery {
  path: string;
  signature: string | null;
  body: string;
}

/** The unit's own check of a webhook signature (t=<unix s>,v1=<hex HMAC-SHA256(secret, t.body)>). */
function signedBy(secret: string, delivery: Delivery): boolean {
  const parts = Object.fromEntries((delivery.signature ?? '').split(',').map((p) => p.split('=') as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${delivery.body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function deliveries(): Promise<Delivery[]> {
  const response = await call(`${serviceUrl('receiver')}/`);
  return (await response.json()) as Delivery[];
}

const operator = paymentOperator;
const unit = collectingUnit;

let webhookSecret: string;

beforeAll(async () => {
  const admin = operator();
  const registered = await admin.unit.register.mutate({
    ...UNIT,
    clientIds: [info().clients.unit.id],
    webhookUrl: `${serviceUrl('receiver')}/hooks`,
  });
  webhookSecret = registered.webhookSecret;
  await admin.item.create.mutate({
    code: ITEM,
    name: 'Traffic fine',
    unitCode: UNIT.creditCode,
    legalBasis: 'Road Traffic Safety Law art. 90',
    amountRule: { kind: 'fixed', amountFen: 20_000 },
    destination: 'treasury',
    category: '02',
  });
  for (const status of ['sandbox_tested', 'live'] as const) await admin.item.transition.mutate({ code: ITEM, status });
});

describe('flow 3: notice → pay at banksim → duplicate and delayed callbacks', () => {
  it('records exactly one payment, one receipt and one webhook, and reconciles clean', async () => {
    // The unit retries its request with the same idempotency key: still one notice.
    const key = idempotencyKey();
    const request = { payer: CITIZEN, lines: [{ itemCode: ITEM }], dueDate: tomorrow() };
    const notice = await unit(() => key).notice.create.mutate(request);
    const again = await unit(() => key).notice.create.mutate(request);
    expect(again.id).toBe(notice.id);
    expect(notice).toMatchObject({ state: 'issued', totalFen: 20_000, paidFen: 0 });

    // Every callback goes out four times, newest first, after a delay.
    const bank = banksimClient();
    await bank.switches.set.mutate({ duplicates: 3, delayMs: 1_500, reorder: true });
    try {
      const paid = await bank.payment.pay.mutate({
        paymentCode: notice.paymentCode,
        payerName: 'Zhang San',
        payerAccount: '6222020000000001',
      });
      expect(paid).toMatchObject({ status: 'succeeded', amountFen: 20_000 });
      // Still issued while the callbacks wait out the delay.
      expect((await unit().notice.get.query({ paymentCode: notice.paymentCode })).state).toBe('issued');

      // All four copies reach the payment service (each answered, none left pending).
      const [payment] = await waitFor(
        'all callback copies delivered',
        async () => (await bank.payment.list.query({ paymentCode: notice.paymentCode })).payments,
        (payments) => payments.length === 1 && payments[0]?.callbacks.pending === 0,
      );
      expect(payment?.callbacks).toEqual({ pending: 0, delivered: 4, lost: 0, failed: 0 });
    } finally {
      await bank.switches.set.mutate({ duplicates: 0, delayMs: 0, reorder: false });
    }

    const after = await unit().notice.get.query({ paymentCode: notice.paymentCode });
    expect(after).toMatchObject({ state: 'paid', paidFen: 20_000, refundedFen: 0 });

    // One receipt, for the whole amount.
    const receipt = await unit().receipt.get.query({ paymentCode: notice.paymentCode });
    expect(receipt).toMatchObject({ paymentCode: notice.paymentCode, totalFen: 20_000, refundedFen: 0 });

    // One webhook event, delivered once to the unit's endpoint, signed with the unit's secret.
    const events = await waitFor(
      'the notice.paid webhook delivered',
      async () => (await unit().webhook.list.query({ paymentCode: notice.paymentCode })).events,
      (list) => list.some((e) => e.type === 'notice.paid' && e.status === 'delivered'),
    );
    expect(events.filter((e) => e.type === 'notice.paid')).toHaveLength(1);
    const received = (await deliveries()).filter((d) => d.body.includes(notice.paymentCode));
    expect(received).toHaveLength(1);
    expect(signedBy(webhookSecret, received[0] as Delivery)).toBe(true);
    expect(signedBy('whsec_wrong', received[0] as Delivery)).toBe(false);
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({
      type: 'notice.paid',
      sequence: 1,
      data: { amountFen: 20_000 },
    });

    // The day's statement has the one bank payment; the platform agrees line by line.
    const statement = await (await call(`${serviceUrl('banksim')}/statements/${today()}.csv`)).text();
    expect(statement.split('\n').filter((line) => line.includes(notice.paymentCode))).toHaveLength(1);
    const report = await operator().reconciliation.run.mutate({ channel: 'banksim', date: today() });
    expect(report).toMatchObject(CLEAN_RECONCILIATION);
    expect(report.matched.count).toBe(statement.trim().split('\n').length - 1);
    const ledger = await operator().ledger.check.query();
    expect(ledger).toMatchObject({ ok: true, violations: [] });
    expect(ledger.totalDebitFen).toBe(ledger.totalCreditFen);
  });
});
