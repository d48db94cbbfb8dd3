// The read side for people: notices for finance staff and units (filters, keyset pages), a payer's
// own receipts (found by the token's subject_code only) and daily collection statistics summed in SQL.
import { createPaymentClient, errorBodyOf } from '@platform/contracts';
import { citizenIdCheckChar } from '@platform/identifiers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE } from '../src/meta.ts';
import {
  CITIZEN,
  OTHER_CLIENT,
  OTHER_UNIT,
  UNIT,
  seedCatalogue,
  startPlatform,
  tomorrow,
  type Platform,
} from './support/platform.ts';

const OTHER_PAYER_BODY = '37010219850315123';
const OTHER_PAYER = {
  kind: 'natural_person' as const,
  id: OTHER_PAYER_BODY + citizenIdCheckChar(OTHER_PAYER_BODY),
  name: 'Li Si',
};

let platform: Platform;
/** Payment codes by what happened to them. */
const codes = { citizenPaid: [] as string[], citizenIssued: '', otherPayerPaid: '', otherUnitPaid: '' };
let allCodes: string[] = [];

const codeOf = (error: unknown) => errorBodyOf(error)?.code;
const failure = (promise: Promise<unknown>) => promise.then(() => 'succeeded', codeOf);
const today = () => new Date().toISOString().slice(0, 10);
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const clientWith = (claims: Record<string, unknown>) =>
  createPaymentClient({
    url: platform.paymentUrl,
    getToken: () => platform.issuer.mint({ client_id: 'console', aud: RESOURCE, scope: '', sub: 'someone', ...claims }),
  });
const finance = () => clientWith({ sub: 'finance-officer', scope: 'payment:finance' });
/** A person signed in through the console: no payment scope, their ID number as subject_code. */
const payer = (id: string) => clientWith({ sub: `account-of-${id}`, subject_code: id });

async function pay(paymentCode: string, payerName: string) {
  await platform.bank.payment.pay.mutate({ paymentCode, payerName, payerAccount: '6222020000000001' });
  expect(await platform.banksim.dispatcher.runOnce()).toBe(1);
}

beforeAll(async () => {
  platform = await startPlatform({ banksimDispatch: false });
  await seedCatalogue(platform);
  await platform.admin.item.create.mutate({
    code: 'EXAM-80',
    name: 'Examination fee',
    unitCode: OTHER_UNIT.creditCode,
    legalBasis: 'Exam fee schedule',
    amountRule: { kind: 'fixed', amountFen: 8_000 },
    destination: 'fiscal_special_account',
  });
  for (const status of ['sandbox_tested', 'live'] as const)
    await platform.admin.item.transition.mutate({ code: 'EXAM-80', status });

  const unit = platform.unitClient();
  const issue = async (client: typeof unit, who: typeof CITIZEN, itemCode: string) =>
    (await client.notice.create.mutate({ payer: who, lines: [{ itemCode }], dueDate: tomorrow() })).paymentCode;
  for (let i = 0; i < 2; i += 1) {
    const code = await issue(unit, CITIZEN, 'FINE-200');
    await pay(code, CITIZEN.name);
    codes.citizenPaid.push(code);
  }
  codes.citizenIssued = await issue(unit, CITIZEN, 'FINE-200');
  codes.otherPayerPaid = await issue(unit, OTHER_PAYER, 'FINE-200');
  await pay(codes.otherPayerPaid, OTHER_PAYER.name);
  codes.otherUnitPaid = await issue(platform.unitClient(OTHER_CLIENT), CITIZEN, 'EXAM-80');
  await pay(codes.otherUnitPaid, CITIZEN.name);
  allCodes = [...codes.citizenPaid, codes.citizenIssued, codes.otherPayerPaid, codes.otherUnitPaid];
});
afterAll(() => platform?.close());

describe('notice.list', () => {
  it('shows finance every unit’s notices, newest first', async () => {
    const { notices, nextCursor } = await finance().notice.list.query({});
    expect(notices.map((n) => n.paymentCode)).toEqual([...allCodes].reverse());
    expect(nextCursor).toBeNull();
    expect(notices[0]).toMatchObject({ unitCode: OTHER_UNIT.creditCode, state: 'paid', totalFen: 8_000 });
  });

  it('filters by state, item, unit, payment-code prefix and creation day', async () => {
    const list = async (filter: Parameters<ReturnType<typeof finance>['notice']['list']['query']>[0]) =>
      (await finance().notice.list.query(filter)).notices.map((n) => n.paymentCode).sort();
    expect(await list({ state: 'issued' })).toEqual([codes.citizenIssued]);
    expect(await list({ state: 'paid', itemCode: 'FINE-200' })).toEqual(
      [...codes.citizenPaid, codes.otherPayerPaid].sort(),
    );
    expect(await list({ itemCode: 'EXAM-80' })).toEqual([codes.otherUnitPaid]);
    expect(await list({ unitCode: OTHER_UNIT.creditCode })).toEqual([codes.otherUnitPaid]);
    expect(await list({ paymentCodePrefix: codes.citizenIssued })).toEqual([codes.citizenIssued]);
    // Both units' codes start with their own division code (credit code positions 3–8).
    expect(await list({ paymentCodePrefix: OTHER_UNIT.creditCode.slice(2, 8) })).toEqual([codes.otherUnitPaid]);
    expect(await list({ createdFrom: today(), createdTo: today() })).toEqual([...allCodes].sort());
    expect(await list({ createdFrom: dayOffset(1) })).toEqual([]);
    expect(await list({ createdTo: dayOffset(-1) })).toEqual([]);
  });

  it('pages by keyset: every notice exactly once, in the same order, then no cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await finance().notice.list.query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.notices.length).toBeLessThanOrEqual(2);
      seen.push(...page.notices.map((n) => n.paymentCode));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...allCodes].reverse());
  });

  it('keeps a page stable when notices are created after it was read', async () => {
    const first = await finance().notice.list.query({ limit: 2 });
    const late = (
      await platform.unitClient().notice.create.mutate({
        payer: CITIZEN,
        lines: [{ itemCode: 'FINE-200' }],
        dueDate: tomorrow(),
      })
    ).paymentCode;
    const second = await finance().notice.list.query({ limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.notices.map((n) => n.paymentCode)).toEqual([...allCodes].reverse().slice(2, 4));
    await platform.unitClient().notice.cancel.mutate({ paymentCode: late });
    allCodes.push(late);
  });

  it('shows a unit’s system only its own notices and refuses asking for another unit', async () => {
    const own = await platform.unitClient(OTHER_CLIENT).notice.list.query({});
    expect(own.notices.map((n) => n.paymentCode)).toEqual([codes.otherUnitPaid]);
    expect(await failure(platform.unitClient(OTHER_CLIENT).notice.list.query({ unitCode: UNIT.creditCode }))).toBe(
      'INSUFFICIENT_SCOPE',
    );
  });

  it('refuses payers, forged cursors and reversed date ranges with stable codes', async () => {
    expect(await failure(payer(CITIZEN.id).notice.list.query({}))).toBe('INSUFFICIENT_SCOPE');
    const forged = Buffer.from('yesterday|not-a-uuid').toString('base64url');
    expect(await failure(finance().notice.list.query({ cursor: forged }))).toBe('PAGE_CURSOR_INVALID');
    expect(await failure(finance().notice.list.query({ createdFrom: today(), createdTo: dayOffset(-1) }))).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('receipt.mine', () => {
  it('lists exactly the signed-in payer’s receipts, from every unit, and never another payer’s', async () => {
    const mine = await payer(CITIZEN.id).receipt.mine.query({});
    // If the payer filter were dropped, Li Si's receipt would be listed here too.
    expect(mine.receipts.map((r) => r.paymentCode).sort()).toEqual([...codes.citizenPaid, codes.otherUnitPaid].sort());
    expect(mine.nextCursor).toBeNull();
    expect(mine.receipts.find((r) => r.paymentCode === codes.otherUnitPaid)).toMatchObject({
      unitName: OTHER_UNIT.name,
      items: [{ name: 'Examination fee', amountFen: 8_000 }],
      totalFen: 8_000,
      refundedFen: 0,
    });
    const theirs = await payer(OTHER_PAYER.id).receipt.mine.query({});
    expect(theirs.receipts.map((r) => r.paymentCode)).toEqual([codes.otherPayerPaid]);
  });

  it('pages the payer’s receipts by keyset', async () => {
    const first = await payer(CITIZEN.id).receipt.mine.query({ limit: 2 });
    const second = await payer(CITIZEN.id).receipt.mine.query({ limit: 2, cursor: first.nextCursor ?? '' });
    expect(first.receipts).toHaveLength(2);
    expect(second.receipts).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect([...first.receipts, ...second.receipts].map((r) => r.paymentCode).sort()).toEqual(
      [...codes.citizenPaid, codes.otherUnitPaid].sort(),
    );
  });

  it('shows an agent the receipts of the party it acts for only when payments were delegated to it', async () => {
    const agent = (scope: string) =>
      clientWith({ sub: 'account-of-firm', subject_code: OTHER_PAYER.id, act: { sub: 'account-of-agent' }, scope });
    const delegated = await agent('payment:payer').receipt.mine.query({});
    expect(delegated.receipts.map((r) => r.paymentCode)).toEqual([codes.otherPayerPaid]);
    // Authorised for the party's licenses only: no receipts.
    expect(await failure(agent('license:holder').receipt.mine.query({}))).toBe('INSUFFICIENT_SCOPE');
    expect(await failure(agent('license:holder').receipt.minePdf.query({ paymentCode: codes.otherPayerPaid }))).toBe(
      'INSUFFICIENT_SCOPE',
    );
  });

  it('refuses a token that names no payer (a unit’s client credentials)', async () => {
    expect(await failure(platform.unitClient().receipt.mine.query({}))).toBe('PAYER_CODE_MISSING');
    expect(await failure(clientWith({ subject_code: 'not-an-id' }).receipt.mine.query({}))).toBe('PAYER_CODE_MISSING');
  });

  it('hands the payer the PDF of their own receipt only; another payer’s code looks unknown', async () => {
    const own = await payer(CITIZEN.id).receipt.minePdf.query({ paymentCode: codes.citizenPaid[0] ?? '' });
    expect(Buffer.from(own.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(own.fileName).toMatch(/^receipt-\d{8}-\d{10}\.pdf$/);
    // The test platform has no seal service: the development sealer says so instead of pretending.
    expect(own.sealed).toBe(false);
    expect(await failure(payer(CITIZEN.id).receipt.minePdf.query({ paymentCode: codes.otherPayerPaid }))).toBe(
      'NOTICE_NOT_FOUND',
    );
    expect(await failure(payer(CITIZEN.id).receipt.minePdf.query({ paymentCode: codes.citizenIssued }))).toBe(
      'RECEIPT_NOT_FOUND',
    );
    expect(
      await failure(platform.unitClient().receipt.minePdf.query({ paymentCode: codes.citizenPaid[0] ?? '' })),
    ).toBe('PAYER_CODE_MISSING');
  });
});

describe('stats.collection', () => {
  it('sums the day’s collection by item, by unit and by channel in integer fen', async () => {
    const stats = await finance().stats.collection.query({ from: today(), to: today() });
    expect(stats.total).toEqual({ count: 4, amountFen: 3 * 20_000 + 8_000 });
    expect(stats.byDay).toEqual([{ date: today(), count: 4, amountFen: 68_000 }]);
    expect(stats.byItem).toEqual([
      { date: today(), itemCode: 'EXAM-80', itemName: 'Examination fee', amountFen: 8_000 },
      { date: today(), itemCode: 'FINE-200', itemName: 'Traffic fine', amountFen: 60_000 },
    ]);
    expect(stats.byUnit).toEqual(
      [
        { date: today(), unitCode: UNIT.creditCode, unitName: UNIT.name, count: 3, amountFen: 60_000 },
        { date: today(), unitCode: OTHER_UNIT.creditCode, unitName: OTHER_UNIT.name, count: 1, amountFen: 8_000 },
      ].sort((a, b) => a.unitCode.localeCompare(b.unitCode)),
    );
    expect(stats.channels).toEqual([{ channel: 'banksim', payMode: 'online_bank', count: 4, amountFen: 68_000 }]);
  });

  it('counts nothing outside the range and narrows to one unit on request', async () => {
    const before = await finance().stats.collection.query({ from: dayOffset(-7), to: dayOffset(-1) });
    expect(before).toMatchObject({
      total: { count: 0, amountFen: 0 },
      byDay: [],
      byItem: [],
      byUnit: [],
      channels: [],
    });
    const one = await finance().stats.collection.query({ from: today(), to: today(), unitCode: OTHER_UNIT.creditCode });
    expect(one.total).toEqual({ count: 1, amountFen: 8_000 });
  });

  it('shows a unit only its own collection and refuses payers and reversed or too long ranges', async () => {
    const own = await platform.unitClient(OTHER_CLIENT).stats.collection.query({ from: today(), to: today() });
    expect(own.byUnit.map((u) => u.unitCode)).toEqual([OTHER_UNIT.creditCode]);
    expect(own.total.amountFen).toBe(8_000);
    expect(await failure(payer(CITIZEN.id).stats.collection.query({ from: today(), to: today() }))).toBe(
      'INSUFFICIENT_SCOPE',
    );
    expect(await failure(finance().stats.collection.query({ from: today(), to: dayOffset(-1) }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(await failure(finance().stats.collection.query({ from: dayOffset(-400), to: today() }))).toBe(
      'VALIDATION_FAILED',
    );
  });
});
