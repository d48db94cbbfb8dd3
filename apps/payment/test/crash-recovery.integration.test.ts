// The payment service is killed with SIGKILL again and again while the bank delivers a burst of
// (duplicated) callbacks, and restarted each time. Every payment transaction either committed
// whole or not at all, so once the bank's retries and the recovery job have run, every notice is
// paid exactly once and every ledger invariant holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPaymentClient } from '@platform/contracts';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import { findFreePort } from '@platform/db';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import {
  createBanksimService,
  createDatabase as createBanksimDatabase,
  loadEnv as loadBanksimEnv,
  type BanksimService,
} from '@platform/banksim/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../src/domain/ledger/invariants.ts';
import { createDatabase, type Database } from '../src/db.ts';
import { RESOURCE } from '../src/meta.ts';
import {
  CITIZEN,
  UNIT,
  UNIT_CLIENT,
  bankOperatorClient,
  createBanksimDatabaseForTest,
  tomorrow,
} from './support/platform.ts';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let issuer: TestIssuer;
let paymentDatabase: TestDatabase;
let bankDatabase: { url: string; drop(): Promise<void> };
let banksim: BanksimService;
let db: Database;
let child: ChildProcess | undefined;
let paymentPort: number;
let paymentEnv: Record<string, string>;

async function startPayment(): Promise<void> {
  // Detached: its own process group, so SIGKILL reaches tsx and the service it runs.
  child = spawn(tsx, [main], { env: { ...process.env, ...paymentEnv }, stdio: 'ignore', detached: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${paymentPort}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('payment did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function killPayment(): Promise<void> {
  const running = child;
  if (!running || running.exitCode !== null) return Promise.resolve();
  // tsx runs the service in a child of its own: kill the whole process group.
  return new Promise((resolve) => {
    running.once('exit', () => resolve());
    try {
      process.kill(-(running.pid ?? 0), 'SIGKILL');
    } catch {
      running.kill('SIGKILL');
    }
  });
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  paymentDatabase = await createTestDatabase();
  bankDatabase = await createBanksimDatabaseForTest();
  paymentPort = await findFreePort();
  const banksimPort = await findFreePort();
  paymentEnv = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: String(paymentPort),
    HOST: '127.0.0.1',
    DATABASE_URL: paymentDatabase.url,
    IDENTITY_ISSUER_URL: issuer.issuer,
    BANKSIM_URL: `http://127.0.0.1:${banksimPort}`,
    RECOVERY_AFTER_SECONDS: '2',
    JOB_INTERVAL_MS: '200',
  };
  banksim = createBanksimService(
    loadBanksimEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      IDENTITY_ISSUER_URL: issuer.issuer,
      DATABASE_URL: bankDatabase.url,
      PAYMENT_URL: `http://127.0.0.1:${paymentPort}`,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'banksim-keys-')),
      CALLBACK_POLL_MS: '20',
      CALLBACK_MAX_ATTEMPTS: '100',
    }),
    createBanksimDatabase(bankDatabase.url),
  );
  await banksim.listen(banksimPort, '127.0.0.1');
  db = createDatabase(paymentDatabase.url);
}, 120_000);

afterAll(async () => {
  await killPayment();
  await banksim?.close();
  await db?.$disconnect();
  await issuer?.close();
  await paymentDatabase?.drop();
  await bankDatabase?.drop();
});

it('converges after repeated SIGKILLs during a burst of callbacks: each notice paid exactly once', async () => {
  await startPayment();
  const admin = createPaymentClient({
    url: `http://127.0.0.1:${paymentPort}`,
    getToken: () => issuer.mint({ sub: 'admin', aud: RESOURCE, scope: 'payment:admin' }),
  });
  await admin.unit.register.mutate({
    creditCode: UNIT.creditCode,
    name: UNIT.name,
    clientIds: [UNIT_CLIENT],
    webhookUrl: null,
  });
  await admin.item.create.mutate({
    code: 'FINE-200',
    name: 'Traffic fine',
    unitCode: UNIT.creditCode,
    legalBasis: 'basis',
    amountRule: { kind: 'fixed', amountFen: 20_000 },
    destination: 'treasury',
  });
  for (const status of ['sandbox_tested', 'live'] as const)
    await admin.item.transition.mutate({ code: 'FINE-200', status });
  let key = 0;
  const unit = createPaymentClient({
    url: `http://127.0.0.1:${paymentPort}`,
    getToken: () =>
      issuer.mint({ sub: UNIT_CLIENT, client_id: UNIT_CLIENT, aud: RESOURCE, scope: 'payment:notice:create' }),
    headers: () => ({ 'idempotency-key': `crash-${key++}` }),
  });
  const notices = [];
  for (let i = 0; i < 30; i++)
    notices.push(
      await unit.notice.create.mutate({ payer: CITIZEN, lines: [{ itemCode: 'FINE-200' }], dueDate: tomorrow() }),
    );

  const bank = bankOperatorClient(paymentEnv.BANKSIM_URL ?? '', issuer);
  // Callbacks fall due 1.5 s after each payment, so they pour in while the service is killed.
  await bank.switches.set.mutate({ duplicates: 3, delayMs: 1_500 });
  for (const notice of notices)
    await bank.payment.pay.mutate({ paymentCode: notice.paymentCode, payerName: 'Zhang San', payerAccount: '1' });

  const ids = notices.map((n) => n.id);
  const paidAtKills: number[] = [];
  for (let round = 0; round < 3; round++) {
    await new Promise((resolve) => setTimeout(resolve, 150 + round * 100));
    paidAtKills.push(await db.paymentNotice.count({ where: { id: { in: ids }, state: 'paid' } }));
    await killPayment();
    await startPayment();
  }
  // The kills really happened mid-burst (otherwise this test would prove nothing).
  expect(paidAtKills[0]).toBeLessThan(notices.length);

  const deadline = Date.now() + 90_000;
  let paid = 0;
  while (Date.now() < deadline) {
    paid = await db.paymentNotice.count({ where: { id: { in: ids }, state: 'paid' } });
    if (paid === notices.length) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(paid).toBe(notices.length);
  expect(await db.channelPayment.count({ where: { noticeId: { in: ids } } })).toBe(notices.length);
  expect(await db.receipt.count({ where: { noticeId: { in: ids } } })).toBe(notices.length);
  expect(await db.ledgerTransfer.count({ where: { noticeId: { in: ids }, kind: 'payment' } })).toBe(notices.length);
  expect(await db.webhookEvent.count({ where: { noticeId: { in: ids }, type: 'notice.paid' } })).toBe(notices.length);
  expect(await checkLedgerInvariants(db)).toMatchObject({ ok: true, violations: [] });
}, 240_000);
