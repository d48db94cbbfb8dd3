// Flow 4: faults. A service container is killed while callbacks for its payments are in flight and
// started again; PostgreSQL is restarted while notices are created and paid and licenses issued.
// Integrators and the channel do what they do in life — retry the same request with the same
// idempotency key, redeliver callbacks — and afterwards every flow has completed: each notice paid
// exactly once, with one receipt and one webhook, the ledger balanced, reconciliation clean, one
// license per case. Runs last (it restarts containers); see support/sequencer.ts.
import { afterEach, describe, expect, it } from 'vitest';
import {
  banksimClient,
  collectingUnit,
  paymentOperator,
  bounce,
  call,
  info,
  licenseClient,
  serviceUrl,
  sql,
  tokenSource,
  untilItSucceeds,
  waitFor,
} from './support/platform.ts';
import { CITIZEN, CLEAN_RECONCILIATION, UNIT, today, tomorrow } from './support/payment-fixtures.ts';

const PAYER = CITIZEN;
const FEE_FEN = 5_000;

const operator = paymentOperator;
const unit = collectingUnit;
const clerk = () =>
  licenseClient(
    tokenSource(info().clients.caseSystem, 'license:issue license:manage license:read', 'urn:platform:license'),
  );

/** A live fixed-fee item of its own per test, so counts by item are counts of this test's notices. */
async function liveItem(code: string): Promise<void> {
  const admin = operator();
  await admin.unit.register
    .mutate({ ...UNIT, clientIds: [info().clients.unit.id], webhookUrl: `${serviceUrl('receiver')}/hooks` })
    .catch((error: unknown) => {
      // Flow 3 may have registered the unit already.
      if (!String(error).includes('already')) throw error;
    });
  await admin.item.create.mutate({
    code,
    name: 'Certificate fee',
    unitCode: UNIT.creditCode,
    legalBasis: 'Fee schedule 2026 No. 7',
    amountRule: { kind: 'fixed', amountFen: FEE_FEN },
    destination: 'treasury',
    category: '02',
  });
  for (const status of ['sandbox_tested', 'live'] as const) await admin.item.transition.mutate({ code, status });
}

/** The payer pays once at the bank: before paying again after an error, they look at the bank's record. */
async function payOnce(paymentCode: string, onRetry?: () => void): Promise<void> {
  const bank = banksimClient();
  await untilItSucceeds(
    async () => {
      const { payments } = await bank.payment.list.query({ paymentCode });
      if (payments.some((payment) => payment.status === 'succeeded')) return;
      await bank.payment.pay.mutate({ paymentCode, payerName: PAYER.name, payerAccount: '6222020000000002' });
    },
    120_000,
    onRetry,
  );
}

/** The ids of the notice.paid events the unit's endpoint received for a payment code. */
async function deliveredEventIds(paymentCode: string): Promise<string[]> {
  const response = await call(`${serviceUrl('receiver')}/`);
  const all = (await response.json()) as Array<{ body: string }>;
  return all
    .filter((delivery) => delivery.body.includes(paymentCode) && delivery.body.includes('notice.paid'))
    .map((delivery) => String((JSON.parse(delivery.body) as { id?: unknown }).id));
}

/** Every notice of `itemCode` paid exactly once, with one receipt and one delivered webhook. */
async function expectPaidExactlyOnce(itemCode: string, codes: string[]): Promise<void> {
  const quoted = `'${itemCode}'`;
  expect(await sql('payment', `SELECT count(DISTINCT notice_id) FROM notice_line WHERE item_code = ${quoted}`)).toBe(
    String(codes.length),
  );
  expect(
    await sql(
      'payment',
      `SELECT count(*) FROM channel_payment WHERE notice_id IN (SELECT notice_id FROM notice_line WHERE item_code = ${quoted})`,
    ),
  ).toBe(String(codes.length));
  for (const paymentCode of codes) {
    const notice = await untilItSucceeds(() => unit().notice.get.query({ paymentCode }));
    expect(notice).toMatchObject({ state: 'paid', paidFen: FEE_FEN, refundedFen: 0 });
    expect(await unit().receipt.get.query({ paymentCode })).toMatchObject({ paymentCode, totalFen: FEE_FEN });
    const events = await waitFor(
      `the notice.paid webhook of ${paymentCode}`,
      async () => (await unit().webhook.list.query({ paymentCode })).events,
      (list) => list.some((event) => event.type === 'notice.paid' && event.status === 'delivered'),
      90_000,
    );
    expect(events.filter((event) => event.type === 'notice.paid')).toHaveLength(1);
    // Webhooks are delivered at least once: a delivery whose success could not be recorded (the
    // database was down) is sent again under the same event id, which the unit de-duplicates by.
    const received = await deliveredEventIds(paymentCode);
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(new Set(received)).toEqual(new Set([events.find((event) => event.type === 'notice.paid')?.id]));
  }
  // Money: every fen once on each side of the ledger, and the bank's day agrees line by line.
  expect(await operator().ledger.check.query()).toMatchObject({ ok: true, violations: [] });
  const report = await operator().reconciliation.run.mutate({ channel: 'banksim', date: today() });
  expect(report).toMatchObject(CLEAN_RECONCILIATION);
}

describe('flow 4: faults', () => {
  afterEach(async () => {
    await untilItSucceeds(() =>
      banksimClient().switches.set.mutate({ duplicates: 0, delayMs: 0, reorder: false, lossPercent: 0 }),
    );
  });

  it('payment is killed while the callbacks of twelve payments are in flight: after its restart each is recorded once', async () => {
    const item = 'E2E-FEE-CRASH';
    await liveItem(item);
    const codes: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const notice = await unit().notice.create.mutate({
        payer: PAYER,
        lines: [{ itemCode: item }],
        dueDate: tomorrow(),
      });
      codes.push(notice.paymentCode);
    }
    // Each callback goes out twice, three seconds after the payment: the service is dead by then.
    await banksimClient().switches.set.mutate({ duplicates: 1, delayMs: 3_000, reorder: false });
    for (const code of codes) await payOnce(code);
    // Paid at the bank, not yet known to the platform: the callbacks are still on their way.
    const states = await Promise.all(
      codes.map(async (paymentCode) => (await unit().notice.get.query({ paymentCode })).state),
    );
    expect(states.filter((state) => state === 'issued').length).toBeGreaterThan(0);
    await bounce('payment', 'kill');

    await waitFor(
      'every notice paid after the restart (banksim redelivers with backoff)',
      async () => Promise.all(codes.map(async (paymentCode) => (await unit().notice.get.query({ paymentCode })).state)),
      (states) => states.every((state) => state === 'paid'),
      120_000,
    );
    await expectPaidExactlyOnce(item, codes);
  });

  it('callbacks lost while payment is down: the platform asks the bank and records each payment once', async () => {
    const item = 'E2E-FEE-LOST';
    await liveItem(item);
    const codes: string[] = [];
    for (let i = 0; i < 4; i += 1)
      codes.push(
        (await unit().notice.create.mutate({ payer: PAYER, lines: [{ itemCode: item }], dueDate: tomorrow() }))
          .paymentCode,
      );
    // The bank takes the money but its callbacks never arrive; the service crashes meanwhile.
    await banksimClient().switches.set.mutate({ lossPercent: 100 });
    for (const code of codes) await payOnce(code);
    await bounce('payment', 'kill');
    await banksimClient().switches.set.mutate({ lossPercent: 0 });

    await waitFor(
      'every notice paid through the recovery query',
      async () => Promise.all(codes.map(async (paymentCode) => (await unit().notice.get.query({ paymentCode })).state)),
      (states) => states.every((state) => state === 'paid'),
      120_000,
    );
    const list = codes.map((code) => `'${code}'`).join(',');
    expect(
      await sql(
        'payment',
        `SELECT count(*) FROM channel_payment WHERE payment_code IN (${list}) AND source = 'status_query'`,
      ),
    ).toBe('4');
    await expectPaidExactlyOnce(item, codes);
  });

  it('PostgreSQL restarts while notices are created and paid and licenses issued: all complete, none doubled', async () => {
    const item = 'E2E-FEE-PGRESTART';
    await liveItem(item);
    const types = await licenseClient().types.list.query({});
    const typeCode = types.find((type) => type.name === '机动车驾驶证')?.code;
    if (!typeCode) throw new Error('no driving licence type');
    const run = Date.now().toString(36);
    const issueFor = (caseId: string) =>
      clerk().issue.mutate({
        caseId,
        typeCode,
        holder: { codeType: 'citizen_id', code: PAYER.id, name: PAYER.name },
        fields: {
          licenseNumber: PAYER.id,
          name: PAYER.name,
          sex: '女',
          nationality: '中国',
          address: '山东省济南市市中区经七路88号',
          birthDate: '1949-12-31',
          firstIssueDate: '2008-07-01',
          vehicleClasses: ['C1'],
          fileNumber: '370100123456',
        },
      });

    // Four payers and one case system keep working through the restart and two rounds past it,
    // each retrying its own request (same idempotency key, same case id) until it succeeds.
    const codes: string[] = [];
    const identifiers = new Map<string, string>();
    const caseIds: string[] = [];
    let restarted = false;
    let retries = 0;
    const retrying = <T>(action: () => Promise<T>) => untilItSucceeds(action, 120_000, () => (retries += 1));
    const payers = Array.from({ length: 4 }, async (_, worker) => {
      for (let i = 0, after = 0; !restarted || after < 2; i += 1) {
        if (restarted) after += 1;
        const key = `fault-pg-${run}-${worker}-${i}`;
        const notice = await retrying(() =>
          unit(() => key).notice.create.mutate({ payer: PAYER, lines: [{ itemCode: item }], dueDate: tomorrow() }),
        );
        codes.push(notice.paymentCode);
        await payOnce(notice.paymentCode, () => (retries += 1));
      }
    });
    const caseSystem = (async () => {
      for (let i = 0, after = 0; !restarted || after < 2; i += 1) {
        if (restarted) after += 1;
        const caseId = `FAULT-PG-${run}-${i}`;
        caseIds.push(caseId);
        identifiers.set(caseId, (await retrying(() => issueFor(caseId))).identifier);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await bounce('postgres', 'restart');
    restarted = true;
    await Promise.all([...payers, caseSystem]);
    // The restart hit requests under way: some had to be sent again.
    expect(retries).toBeGreaterThan(0);

    expect(new Set(codes).size).toBe(codes.length);
    await waitFor(
      'every notice paid',
      async () => Promise.all(codes.map(async (paymentCode) => (await unit().notice.get.query({ paymentCode })).state)),
      (states) => states.every((state) => state === 'paid'),
      120_000,
    );
    await expectPaidExactlyOnce(item, codes);

    // One license per case: stored once, and the case system's repeat gets the same one back.
    expect(await sql('license', `SELECT count(*) FROM license WHERE case_id LIKE 'FAULT-PG-${run}-%'`)).toBe(
      String(caseIds.length),
    );
    for (const caseId of caseIds) expect((await issueFor(caseId)).identifier).toBe(identifiers.get(caseId));
  });
});
