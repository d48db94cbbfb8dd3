// Property: whatever random sequence of notices, payments (with duplicate callbacks), refunds
// (answered, declined or retried through a channel outage), cancellations and reconciliations
// happens, every ledger invariant holds after every step and each notice ends where a simple model
// says it must.
import fc from 'fast-check';
import { createPaymentClient, errorBodyOf } from '@platform/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

beforeAll(async () => {
  platform = await startPlatform({ banksimDispatch: false });
  await seedCatalogue(platform);
  await platform.admin.item.create.mutate({
    code: 'EXAM',
    name: 'Exam fee',
    unitCode: UNIT.creditCode,
    legalBasis: 'basis',
    amountRule: { kind: 'range', minFen: 1, maxFen: 1_000_000 },
    destination: 'fiscal_special_account',
  });
  for (const status of ['sandbox_tested', 'live'] as const)
    await platform.admin.item.transition.mutate({ code: 'EXAM', status });
  const token = await platform.issuer.mint({
    sub: 'finance-officer',
    client_id: 'console',
    aud: RESOURCE,
    scope: 'payment:finance',
  });
  finance = createPaymentClient({ url: platform.paymentUrl, getToken: () => token });
  let n = 0;
  unit = createPaymentClient({
    url: platform.paymentUrl,
    getToken: () =>
      platform.token(
        'payment:notice:create payment:notice:read payment:refund:request payment:refund:review',
        UNIT_CLIENT,
      ),
    headers: () => ({ 'idempotency-key': `prop-${n++}-${Date.now()}` }),
  });
});
afterAll(() => platform?.close());

/** How the channel treats the refund instruction: answers, declines, or is down first. */
type Fault = 'none' | 'decline' | 'outage';

type Op =
  | { kind: 'issue'; amountFen: number; withFine: boolean }
  | { kind: 'pay'; target: number }
  | { kind: 'duplicate'; target: number }
  | { kind: 'refund'; target: number; percent: number; fault: Fault }
  | { kind: 'cancel'; target: number }
  | { kind: 'reconcile' };

// Weighted towards issuing, paying and refunding, so that refunds (and their channel faults)
// come up in most runs.
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('issue' as const),
      amountFen: fc.integer({ min: 1, max: 1_000_000 }),
      withFine: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pay' as const), target: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), target: fc.nat(9) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      target: fc.nat(9),
      percent: fc.integer({ min: 1, max: 120 }),
      fault: fc.constantFrom<Fault>('none', 'none', 'decline', 'outage'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), target: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reconcile' as const }) },
);

interface Model {
  paymentCode: string;
  totalFen: number;
  paid: boolean;
  cancelled: boolean;
  settled: boolean;
  refundedFen: number;
}

/** What the random runs actually did, so the property cannot pass by doing nothing. */
const tally = { payments: 0, refunds: 0, declinedRefunds: 0, retriedRefunds: 0, reconciliations: 0 };

/** Executes an approved refund under the channel fault; resolves with the refund's final state. */
async function executeThroughChannel(refundId: string, fault: Fault): Promise<string> {
  const switches = { decline: { refundFailPercent: 100 }, outage: { refundOutagePercent: 100 }, none: {} }[fault];
  await platform.bank.switches.set.mutate(switches);
  const first = await finance.refund.execute
    .mutate({ refundId })
    .finally(() => platform.bank.switches.set.mutate({ refundFailPercent: 0, refundOutagePercent: 0 }));
  if (first.state !== 'processing') return first.state;
  // The channel is back: the job's retry (same idempotency key) gets the answer.
  expect(fault).toBe('outage');
  await platform.db.$executeRaw`UPDATE refund SET next_attempt_at = now() WHERE id = ${refundId}::uuid`;
  await platform.payment.core.refundExecutor.runOnce();
  const refund = await platform.db.refund.findUniqueOrThrow({ where: { id: refundId } });
  // A duplicate confirmation of the same refund changes nothing.
  if (refund.channelRefundRef && refund.channelConfirmedAt)
    expect(
      await platform.payment.core.refundExecutor.apply(refundId, {
        status: 'succeeded',
        refundSerial: refund.channelRefundRef,
        reason: null,
        confirmedAt: refund.channelConfirmedAt,
      }),
    ).toBe('duplicate');
  tally.retriedRefunds++;
  return refund.state;
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: unknown) => errorBodyOf(e)?.code ?? 'transport',
  );

async function postLatestConfirmation(paymentCode: string) {
  const [message] = (await platform.bank.payment.status.query({ paymentCode })).confirmations;
  if (!message) return 0;
  const response = await fetch(`${platform.paymentUrl}/channels/banksim/callback`, {
    method: 'POST',
    headers: { 'x-channel-timestamp': String(message.timestamp), 'x-channel-signature': message.signature },
    body: message.body,
  });
  return response.status;
}

async function apply(o: Op, notices: Model[]): Promise<void> {
  const target = 'target' in o ? notices[o.target % Math.max(1, notices.length)] : undefined;
  switch (o.kind) {
    case 'issue': {
      const lines = [{ itemCode: 'EXAM', amountFen: o.amountFen }, ...(o.withFine ? [{ itemCode: 'FINE-200' }] : [])];
      const notice = await unit.notice.create.mutate({ payer: CITIZEN, lines, dueDate: tomorrow() });
      notices.push({
        paymentCode: notice.paymentCode,
        totalFen: o.amountFen + (o.withFine ? 20_000 : 0),
        paid: false,
        cancelled: false,
        settled: false,
        refundedFen: 0,
      });
      return;
    }
    case 'pay': {
      if (!target) return;
      const result = await code(
        platform.bank.payment.pay.mutate({
          paymentCode: target.paymentCode,
          payerName: 'Zhang San',
          payerAccount: '1',
        }),
      );
      await platform.banksim.dispatcher.runOnce();
      const payable = !target.paid && !target.cancelled;
      expect(result).toBe(payable ? 'ok' : 'BANKSIM_NOTICE_NOT_PAYABLE');
      if (payable) {
        target.paid = true;
        tally.payments++;
      }
      return;
    }
    case 'duplicate': {
      if (!target) return;
      const status = await postLatestConfirmation(target.paymentCode);
      expect(status).toBe(target.paid ? 200 : 0);
      return;
    }
    case 'refund': {
      if (!target) return;
      const refundable = target.paid ? target.totalFen - target.refundedFen : 0;
      // A share of the total, so that both allowed and excessive refunds come up often.
      const amountFen = Math.max(1, Math.floor((target.totalFen * o.percent) / 100));
      let finalState = '';
      const requested = await code(
        unit.refund.request
          .mutate({ paymentCode: target.paymentCode, amountFen, reason: 'r', kind: 'error' })
          .then(async (refund) => {
            await unit.refund.review.mutate({ refundId: refund.id, approve: true });
            await finance.refund.approve.mutate({ refundId: refund.id, approve: true });
            finalState = await executeThroughChannel(refund.id, o.fault);
          }),
      );
      const expected =
        !target.paid || refundable === 0
          ? 'REFUND_NOT_ALLOWED'
          : amountFen > refundable
            ? 'REFUND_EXCEEDS_REFUNDABLE'
            : 'ok';
      expect(requested).toBe(expected);
      if (expected !== 'ok') return;
      // Only the channel's confirmation refunds: a declined refund leaves the notice as it was.
      expect(finalState).toBe(o.fault === 'decline' ? 'failed' : 'executed');
      if (o.fault === 'decline') tally.declinedRefunds++;
      else {
        target.refundedFen += amountFen;
        tally.refunds++;
      }
      return;
    }
    case 'cancel': {
      if (!target) return;
      const result = await code(unit.notice.cancel.mutate({ paymentCode: target.paymentCode }));
      const cancellable = !target.paid && !target.cancelled;
      expect(result).toBe(cancellable ? 'ok' : 'NOTICE_TRANSITION_NOT_ALLOWED');
      if (cancellable) target.cancelled = true;
      return;
    }
    case 'reconcile': {
      await finance.reconciliation.run.mutate({ date: new Date().toISOString().slice(0, 10) });
      for (const n of notices) if (n.paid && n.refundedFen === 0) n.settled = true;
      tally.reconciliations++;
      return;
    }
  }
}

function expectedState(n: Model): string {
  if (n.cancelled) return 'cancelled';
  if (!n.paid) return 'issued';
  if (n.refundedFen === n.totalFen) return 'refunded';
  if (n.refundedFen > 0) return 'partially_refunded';
  return n.settled ? 'settled' : 'paid';
}

it('keeps every invariant over random sequences of operations', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
      const notices: Model[] = [];
      for (const o of ops) {
        await apply(o, notices);
        const report = await checkLedgerInvariants(platform.db);
        expect(report.violations).toEqual([]);
        // refunded ≤ paid for every notice, and the channel paid back exactly what was executed.
        const over = await platform.db.$queryRaw<Array<{ payment_code: string }>>`
          SELECT payment_code FROM payment_notice WHERE refunded_fen > paid_fen`;
        expect(over).toEqual([]);
      }
      for (const n of notices) {
        const actual = await unit.notice.get.query({ paymentCode: n.paymentCode });
        expect([n.paymentCode, actual.state, actual.paidFen, actual.refundedFen]).toEqual([
          n.paymentCode,
          expectedState(n),
          n.paid ? n.totalFen : 0,
          n.refundedFen,
        ]);
      }
    }),
    {
      numRuns: 30,
      // Besides the random runs, one sequence that surely refunds through every channel behaviour.
      examples: [
        [
          [
            { kind: 'issue', amountFen: 50_000, withFine: false },
            { kind: 'pay', target: 0 },
            { kind: 'refund', target: 0, percent: 10, fault: 'decline' },
            { kind: 'refund', target: 0, percent: 20, fault: 'outage' },
            { kind: 'refund', target: 0, percent: 30, fault: 'none' },
            { kind: 'duplicate', target: 0 },
            { kind: 'reconcile' },
            { kind: 'refund', target: 0, percent: 60, fault: 'none' },
          ],
        ],
      ],
    },
  );
  expect(tally.payments).toBeGreaterThan(5);
  expect(tally.refunds).toBeGreaterThan(0);
  expect(tally.declinedRefunds).toBeGreaterThan(0);
  expect(tally.retriedRefunds).toBeGreaterThan(0);
  // Every refund the channel paid back is one the platform executed, and vice versa.
  const paidBack = await platform.bankDb.bankRefund.aggregate({
    where: { status: 'succeeded' },
    _sum: { amountFen: true },
  });
  const executed = await platform.db.refund.aggregate({ where: { state: 'executed' }, _sum: { amountFen: true } });
  expect(paidBack._sum.amountFen ?? 0n).toBe(executed._sum.amountFen ?? 0n);
  expect(tally.reconciliations).toBeGreaterThan(0);
}, 300_000);
