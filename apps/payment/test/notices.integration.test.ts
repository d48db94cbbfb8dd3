// Items and notices: the catalogue's on-boarding, notice.create with idempotency keys, bad input
// (a clear error, nothing recorded), and the state machine enforced by the database itself.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { errorBodyOf } from '@platform/contracts';
import { isPaymentCode } from '@platform/identifiers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CITIZEN,
  OTHER_CLIENT,
  UNIT,
  seedCatalogue,
  startPlatform,
  tomorrow,
  type Platform,
} from './support/platform.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ banksimDispatch: false });
  await seedCatalogue(platform);
  const items = [
    {
      code: 'EXAM-FEE',
      amountRule: { kind: 'range', minFen: 5_000, maxFen: 50_000 } as const,
      destination: 'fiscal_special_account' as const,
    },
    {
      code: 'LATE-FEE',
      amountRule: { kind: 'late_fee', dailyRateBasisPoints: 300 } as const,
      destination: 'treasury' as const,
    },
    { code: 'DRAFT-ITEM', amountRule: { kind: 'fixed', amountFen: 100 } as const, destination: 'treasury' as const },
  ];
  for (const item of items)
    await platform.admin.item.create.mutate({
      ...item,
      name: item.code,
      unitCode: UNIT.creditCode,
      legalBasis: 'test basis',
    });
  for (const code of ['EXAM-FEE', 'LATE-FEE'])
    for (const status of ['sandbox_tested', 'live'] as const)
      await platform.admin.item.transition.mutate({ code, status });
});
afterAll(() => platform?.close());

const codeOf = (error: unknown) => errorBodyOf(error)?.code;
const failure = (promise: Promise<unknown>) => promise.then(() => 'succeeded', codeOf);
const noticeCount = () => platform.db.paymentNotice.count();

describe('item catalogue', () => {
  it('moves items draft → sandbox_tested → live ⇄ suspended and refuses shortcuts', async () => {
    await platform.admin.item.create.mutate({
      code: 'PERMIT',
      name: 'Permit fee',
      unitCode: UNIT.creditCode,
      legalBasis: 'basis',
      amountRule: { kind: 'fixed', amountFen: 1_000 },
      destination: 'treasury',
    });
    expect(await failure(platform.admin.item.transition.mutate({ code: 'PERMIT', status: 'live' }))).toBe(
      'PAYMENT_ITEM_TRANSITION_NOT_ALLOWED',
    );
    for (const status of ['sandbox_tested', 'live', 'suspended', 'live'] as const)
      expect((await platform.admin.item.transition.mutate({ code: 'PERMIT', status })).status).toBe(status);
    expect(await failure(platform.admin.item.transition.mutate({ code: 'PERMIT', status: 'draft' }))).toBe(
      'PAYMENT_ITEM_TRANSITION_NOT_ALLOWED',
    );
  });

  it('refuses a status shortcut even when written straight into the database', async () => {
    await expect(
      platform.db.$executeRaw`UPDATE payment_item SET status = 'live' WHERE code = 'DRAFT-ITEM'`,
    ).rejects.toThrow(/illegal payment item transition/);
    expect((await platform.admin.item.get.query({ code: 'DRAFT-ITEM' })).status).toBe('draft');
  });

  it('needs the payment:admin scope, an existing unit and a unique code', async () => {
    const input = {
      code: 'X1',
      name: 'x',
      unitCode: UNIT.creditCode,
      legalBasis: 'b',
      amountRule: { kind: 'fixed' as const, amountFen: 1 },
      destination: 'treasury' as const,
    };
    expect(await failure(platform.unitClient().item.create.mutate(input))).toBe('INSUFFICIENT_SCOPE');
    expect(
      await failure(platform.admin.item.create.mutate({ ...input, unitCode: '91370200MA3D5ABC13', code: 'X2' })),
    ).toBe('succeeded');
    expect(await failure(platform.admin.item.create.mutate({ ...input, unitCode: '11370000MB1234567R' }))).toBe(
      'COLLECTING_UNIT_NOT_FOUND',
    );
    expect(await failure(platform.admin.item.create.mutate({ ...input, code: 'FINE-200' }))).toBe(
      'PAYMENT_ITEM_ALREADY_EXISTS',
    );
    expect(
      await failure(
        platform.admin.item.create.mutate({ ...input, amountRule: { kind: 'range', minFen: 10, maxFen: 5 } }),
      ),
    ).toBe('VALIDATION_FAILED');
  });
});

describe('notice.create', () => {
  it('issues a notice with a valid 20-digit payment code, a payment page URL and a QR payload', async () => {
    const notice = await platform.unitClient().notice.create.mutate({
      payer: CITIZEN,
      lines: [{ itemCode: 'FINE-200' }, { itemCode: 'LATE-FEE', basis: { principalFen: 20_000, days: 5 } }],
      dueDate: tomorrow(),
    });
    expect(isPaymentCode(notice.paymentCode)).toBe(true);
    // District from the unit's credit code (positions 3–8), year, type from the first item (02).
    expect(notice.paymentCode.slice(0, 6)).toBe(UNIT.creditCode.slice(2, 8));
    expect(notice.paymentCode.slice(6, 8)).toBe(String(new Date().getUTCFullYear() % 100).padStart(2, '0'));
    expect(notice.paymentCode.slice(8, 10)).toBe('02');
    expect(notice.totalFen).toBe(23_000);
    expect(notice.lines.map((l) => [l.itemCode, l.amountFen, l.destination])).toEqual([
      ['FINE-200', 20_000, 'treasury'],
      ['LATE-FEE', 3_000, 'treasury'],
    ]);
    expect(notice.paymentPageUrl).toBe(`http://localhost:4000/pay/${notice.paymentCode}`);
    expect(notice.qrPayload).toBe(notice.paymentPageUrl);
    expect(notice.state).toBe('issued');
  });

  it('returns the same notice for the same key and body, and refuses the key with another body', async () => {
    const key = `order-${randomUUID()}`;
    const client = platform.unitClient(undefined, () => key);
    const body = { payer: CITIZEN, lines: [{ itemCode: 'EXAM-FEE', amountFen: 12_000 }], dueDate: tomorrow() };
    const first = await client.notice.create.mutate(body);
    // Same body with its fields in another order: still the same request.
    const second = await client.notice.create.mutate({ dueDate: body.dueDate, lines: body.lines, payer: body.payer });
    expect(second).toEqual(first);
    const before = await noticeCount();
    expect(
      await failure(client.notice.create.mutate({ ...body, lines: [{ itemCode: 'EXAM-FEE', amountFen: 12_001 }] })),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await noticeCount()).toBe(before);
  });

  it('turns 50 concurrent requests with one key into one notice', async () => {
    const key = `burst-${randomUUID()}`;
    const client = platform.unitClient(undefined, () => key);
    const before = await noticeCount();
    const body = { payer: CITIZEN, lines: [{ itemCode: 'FINE-200' }], dueDate: tomorrow() };
    const results = await Promise.all(Array.from({ length: 50 }, () => client.notice.create.mutate(body)));
    expect(new Set(results.map((n) => n.paymentCode)).size).toBe(1);
    expect(await noticeCount()).toBe(before + 1);
  });

  it('keeps idempotency keys per client: another unit may use the same key', async () => {
    const key = `shared-${randomUUID()}`;
    await platform.admin.item.transition.mutate({ code: 'X2', status: 'sandbox_tested' });
    await platform.admin.item.transition.mutate({ code: 'X2', status: 'live' });
    const a = await platform
      .unitClient(undefined, () => key)
      .notice.create.mutate({ payer: CITIZEN, lines: [{ itemCode: 'FINE-200' }], dueDate: tomorrow() });
    const b = await platform
      .unitClient(OTHER_CLIENT, () => key)
      .notice.create.mutate({ payer: CITIZEN, lines: [{ itemCode: 'X2' }], dueDate: tomorrow() });
    expect(a.paymentCode).not.toBe(b.paymentCode);
  });

  it('answers bad input with a stable code and records nothing', async () => {
    const client = platform.unitClient();
    const ok = { payer: CITIZEN, lines: [{ itemCode: 'FINE-200' }], dueDate: tomorrow() };
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const cases: Array<[string, unknown]> = [
      ['PAYMENT_ITEM_NOT_FOUND', { ...ok, lines: [{ itemCode: 'NOPE' }] }],
      ['PAYMENT_ITEM_NOT_LIVE', { ...ok, lines: [{ itemCode: 'DRAFT-ITEM' }] }],
      ['PAYMENT_ITEM_OF_OTHER_UNIT', { ...ok, lines: [{ itemCode: 'X2' }] }],
      ['AMOUNT_RULE_VIOLATED', { ...ok, lines: [{ itemCode: 'FINE-200', amountFen: 19_999 }] }],
      ['AMOUNT_RULE_VIOLATED', { ...ok, lines: [{ itemCode: 'EXAM-FEE', amountFen: 4_999 }] }],
      ['AMOUNT_RULE_VIOLATED', { ...ok, lines: [{ itemCode: 'EXAM-FEE' }] }],
      ['AMOUNT_RULE_VIOLATED', { ...ok, lines: [{ itemCode: 'LATE-FEE' }] }],
      ['VALIDATION_FAILED', { ...ok, lines: [{ itemCode: 'EXAM-FEE', amountFen: 0 }] }],
      ['VALIDATION_FAILED', { ...ok, lines: [{ itemCode: 'EXAM-FEE', amountFen: -100 }] }],
      ['VALIDATION_FAILED', { ...ok, lines: [{ itemCode: 'EXAM-FEE', amountFen: 12_000.5 }] }],
      ['VALIDATION_FAILED', { ...ok, payer: { ...CITIZEN, id: '110105194912310021' } }],
      ['VALIDATION_FAILED', { ...ok, payer: { kind: 'legal_person', id: '91370102MA3C4XY007', name: 'Firm' } }],
      ['VALIDATION_FAILED', { ...ok, lines: [] }],
      ['VALIDATION_FAILED', { ...ok, dueDate: '2026-02-30' }],
      ['DUE_DATE_IN_PAST', { ...ok, dueDate: yesterday }],
    ];
    const before = await noticeCount();
    const keysBefore = await platform.db.idempotencyKey.count();
    for (const [code, input] of cases)
      expect([code, await failure(client.notice.create.mutate(input as typeof ok))]).toEqual([code, code]);
    const noKey = platform.unitClient(undefined, () => '');
    expect(await failure(noKey.notice.create.mutate(ok))).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await noticeCount()).toBe(before);
    expect(await platform.db.idempotencyKey.count()).toBe(keysBefore);
  });

  it('needs the notice scope and a registered client; never shows another unit’s notice', async () => {
    const body = { payer: CITIZEN, lines: [{ itemCode: 'FINE-200' }], dueDate: tomorrow() };
    const unregistered = platform.unitClient('stranger-system');
    expect(await failure(unregistered.notice.create.mutate(body))).toBe('PAYMENT_CLIENT_NOT_REGISTERED');
    const notice = await platform.unitClient().notice.create.mutate(body);
    expect(await failure(platform.unitClient(OTHER_CLIENT).notice.get.query({ paymentCode: notice.paymentCode }))).toBe(
      'NOTICE_NOT_FOUND',
    );
    const anonymous = await fetch(`${platform.paymentUrl}/api/notices`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
  });
});

describe('notice lifecycle', () => {
  it('cancels an issued notice once; a cancelled notice cannot be paid or cancelled again', async () => {
    const client = platform.unitClient();
    const notice = await client.notice.create.mutate({
      payer: CITIZEN,
      lines: [{ itemCode: 'FINE-200' }],
      dueDate: tomorrow(),
    });
    expect((await client.notice.cancel.mutate({ paymentCode: notice.paymentCode })).state).toBe('cancelled');
    expect(await failure(client.notice.cancel.mutate({ paymentCode: notice.paymentCode }))).toBe(
      'NOTICE_TRANSITION_NOT_ALLOWED',
    );
    const lookup = await platform.admin.notice.lookup.query({ paymentCode: notice.paymentCode });
    expect(lookup).toMatchObject({ state: 'cancelled', payable: false });
    expect(
      await failure(
        platform.bank.payment.pay.mutate({ paymentCode: notice.paymentCode, payerName: 'Z', payerAccount: '1' }),
      ),
    ).toBe('BANKSIM_NOTICE_NOT_PAYABLE');
    const events = await client.webhook.list.query({ paymentCode: notice.paymentCode });
    expect(events.events.map((e) => [e.type, e.sequence])).toEqual([['notice.cancelled', 1]]);
  });

  it('expires overdue notices after the grace period, with an event', async () => {
    const notice = await platform.unitClient().notice.create.mutate({
      payer: CITIZEN,
      lines: [{ itemCode: 'FINE-200' }],
      dueDate: new Date().toISOString().slice(0, 10),
    });
    // Backdate the due date (the API refuses past dates).
    await platform.db.$executeRaw`UPDATE payment_notice SET due_date = current_date - 3 WHERE id = ${notice.id}::uuid`;
    expect(await platform.payment.core.lifecycle.expireOverdue(1)).toBeGreaterThanOrEqual(1);
    const after = await platform.unitClient().notice.get.query({ paymentCode: notice.paymentCode });
    expect(after.state).toBe('expired');
    expect(await platform.payment.core.lifecycle.expireOverdue(1)).toBe(0);
  });
});

describe('the database enforces the notice state machine', () => {
  type State = 'issued' | 'paid' | 'settled' | 'expired' | 'cancelled' | 'partially_refunded' | 'refunded';
  const ALLOWED = new Set([
    'issued>paid',
    'issued>expired',
    'issued>cancelled',
    'paid>settled',
    'paid>partially_refunded',
    'paid>refunded',
    'settled>partially_refunded',
    'settled>refunded',
    'partially_refunded>refunded',
  ]);
  const STATES: State[] = ['issued', 'paid', 'settled', 'expired', 'cancelled', 'partially_refunded', 'refunded'];
  const TOTAL = 10_000;

  /** The amounts each state requires, so only the transition itself can be the reason to refuse. */
  function amountsFor(state: State, previousRefund: number) {
    switch (state) {
      case 'paid':
      case 'settled':
        return { paid: TOTAL, refunded: 0 };
      case 'partially_refunded':
        return { paid: TOTAL, refunded: Math.min(TOTAL - 1, previousRefund + 1) };
      case 'refunded':
        return { paid: TOTAL, refunded: TOTAL };
      default:
        return { paid: 0, refunded: 0 };
    }
  }

  it('accepts exactly the allowed transitions, over random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...STATES), { minLength: 1, maxLength: 8 }), async (targets) => {
        const id = randomUUID();
        const code = String(Math.floor(Math.random() * 1e15)).padStart(20, '7');
        await platform.db.$executeRaw`
          INSERT INTO payment_notice (id, payment_code, unit_code, client_id, payer_kind, payer_id, payer_name, total_fen, due_date)
          VALUES (${id}::uuid, ${code}, ${UNIT.creditCode}, 'sql', 'natural_person', ${CITIZEN.id}, 'x', ${TOTAL}, current_date)`;
        let state: State = 'issued';
        let refunded = 0;
        for (const target of targets) {
          const { paid, refunded: nextRefund } = amountsFor(target, refunded);
          const accepted = await platform.db.$executeRaw`
            UPDATE payment_notice SET state = ${target}::"NoticeState", paid_fen = ${paid}, refunded_fen = ${nextRefund},
                   refund_reserved_fen = ${nextRefund},
                   paid_at = CASE WHEN ${paid} > 0 THEN now() END, settled_at = CASE WHEN ${target} = 'settled' THEN now() END
             WHERE id = ${id}::uuid`.then(
            () => true,
            () => false,
          );
          // Staying in a state (with the same or, for partial refunds, a larger refund) is no transition.
          const legal = state === target || ALLOWED.has(`${state}>${target}`);
          expect([state, target, accepted]).toEqual([state, target, legal]);
          if (accepted) {
            state = target;
            refunded = nextRefund;
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses to insert a notice in any state but issued, or with paid > due', async () => {
    await expect(platform.db.$executeRaw`
      INSERT INTO payment_notice (id, payment_code, unit_code, client_id, payer_kind, payer_id, payer_name, total_fen, due_date, state, paid_fen, paid_at)
      VALUES (${randomUUID()}::uuid, '11111111111111111111', ${UNIT.creditCode}, 'sql', 'natural_person', 'x', 'x', 100, current_date, 'paid', 100, now())`).rejects.toThrow();
    const id = randomUUID();
    await platform.db.$executeRaw`
      INSERT INTO payment_notice (id, payment_code, unit_code, client_id, payer_kind, payer_id, payer_name, total_fen, due_date)
      VALUES (${id}::uuid, '22222222222222222222', ${UNIT.creditCode}, 'sql', 'natural_person', 'x', 'x', 100, current_date)`;
    await expect(
      platform.db
        .$executeRaw`UPDATE payment_notice SET state = 'paid', paid_fen = 101, paid_at = now() WHERE id = ${id}::uuid`,
    ).rejects.toThrow();
    await expect(
      platform.db.$executeRaw`UPDATE payment_notice SET total_fen = 50 WHERE id = ${id}::uuid`,
    ).rejects.toThrow();
  });
});
