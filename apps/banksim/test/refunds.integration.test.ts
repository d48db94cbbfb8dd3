// Refund instructions: signed by the merchant, executed once per merchant reference whatever the
// retries, declined (signed) when they exceed what was paid, refused unsigned or stale, and shown in
// the status query and the daily statement.
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBanksimClient, RefundConfirmation, type SignedConfirmation } from '@platform/contracts';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { listenForTest, type RunningService } from '@platform/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBanksimService } from '../src/app.ts';
import { createDatabase, type Database } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';
import { OPERATE_SCOPE, RESOURCE } from '../src/meta.ts';

let issuer: TestIssuer;
let database: TestDatabase;
let running: RunningService;
let db: Database;
let bank: ReturnType<typeof createBanksimClient>;
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CODE = '37010226020000000017';
const SERIAL = 'BS202611220000000001';
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  issuer = await startTestIssuer();
  database = await createTestDatabase();
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    IDENTITY_ISSUER_URL: issuer.issuer,
    DATABASE_URL: database.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'banksim-keys-')),
    PAYMENT_URL: 'http://127.0.0.1:9',
    MERCHANT_PUBLIC_KEY: merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  db = createDatabase(database.url);
  running = await listenForTest(createBanksimService(env, db));
  // An operator's token: the switches need it, paying and status queries do not.
  bank = createBanksimClient({
    url: running.url,
    getToken: () => issuer.mint({ sub: 'sandbox-operator', aud: RESOURCE, scope: OPERATE_SCOPE }),
  });
  await db.$executeRaw`
    INSERT INTO bank_payment (serial, payment_code, amount_fen, status, payer_name, payer_account, payer_bank, pay_mode,
                              outlet, confirmed_at)
    VALUES (${SERIAL}, ${CODE}, 20000, 'succeeded', 'Zhang San', '1', 'Sandbox Bank', 'online_bank', 'outlet', now())`;
});
afterAll(async () => {
  await running?.close();
  await db?.$disconnect();
  await database?.drop();
  await issuer?.close();
});

interface Sent {
  status: number;
  refund?: SignedConfirmation;
  error?: { code: string };
}

async function instruct(
  body: object,
  options: { key?: typeof merchant.privateKey; timestamp?: number; tamper?: boolean } = {},
): Promise<Sent> {
  const text = JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = sign('sha256', Buffer.from(`${timestamp}.${text}`), options.key ?? merchant.privateKey).toString(
    'base64',
  );
  const response = await fetch(`${running.url}/refunds`, {
    method: 'POST',
    headers: { 'x-merchant-timestamp': String(timestamp), 'x-merchant-signature': signature },
    body: options.tamper ? text.replace('"amountFen":5000', '"amountFen":9000') : text,
  });
  return { status: response.status, ...((await response.json()) as object) };
}

async function confirmationOf(sent: Sent) {
  const signed = sent.refund;
  if (!signed) throw new Error(`no refund in answer: ${JSON.stringify(sent)}`);
  const key = createPublicKey((await bank.keys.callback.query()).publicKeyPem);
  const valid = verify(
    'sha256',
    Buffer.from(`${signed.timestamp}.${signed.body}`),
    key,
    Buffer.from(signed.signature, 'base64'),
  );
  expect(valid).toBe(true);
  return RefundConfirmation.parse(JSON.parse(signed.body));
}

const instruction = (merchantRef: string, amountFen: number) => ({
  merchantRef,
  bankSerial: SERIAL,
  paymentCode: CODE,
  amountFen,
});

describe('refund instructions', () => {
  it('executes once per merchant reference, even for concurrent copies and retries', async () => {
    const copies = await Promise.all(Array.from({ length: 10 }, () => instruct(instruction('refund-a', 5_000))));
    expect(copies.map((c) => c.status)).toEqual(Array(10).fill(200));
    const outcomes = await Promise.all(copies.map(confirmationOf));
    expect(new Set(outcomes.map((o) => o.refundSerial)).size).toBe(1);
    expect(outcomes[0]).toMatchObject({ merchantRef: 'refund-a', status: 'succeeded', amountFen: 5_000, reason: null });
    expect(outcomes[0]?.refundSerial).toMatch(/^RF\d{18}$/);
    expect(await db.bankRefund.count()).toBe(1);
  });

  it('refuses a reused reference with another instruction, without recording anything', async () => {
    const reused = await instruct(instruction('refund-a', 6_000));
    expect(reused).toMatchObject({ status: 409, error: { code: 'BANKSIM_REFUND_REF_REUSED' } });
    expect(await db.bankRefund.count()).toBe(1);
  });

  it('declines (signed) what would exceed the payment, and unknown payments', async () => {
    const over = await confirmationOf(await instruct(instruction('refund-b', 15_001)));
    expect(over).toMatchObject({ status: 'declined', reason: 'exceeds_refundable' });
    const rest = await confirmationOf(await instruct(instruction('refund-c', 14_999)));
    expect(rest.status).toBe('succeeded');
    const unknown = await confirmationOf(await instruct({ ...instruction('refund-d', 1), bankSerial: 'BS-NOPE' }));
    expect(unknown).toMatchObject({ status: 'declined', reason: 'payment_not_found' });
  });

  it('refuses unsigned, tampered, foreign-key-signed and stale instructions (401), recording nothing', async () => {
    const before = await db.bankRefund.count();
    const plain = await fetch(`${running.url}/refunds`, {
      method: 'POST',
      body: JSON.stringify(instruction('refund-x', 1)),
    });
    expect(plain.status).toBe(401);
    for (const sent of [
      await instruct(instruction('refund-x', 5_000), { tamper: true }),
      await instruct(instruction('refund-x', 1), { key: impostor.privateKey }),
      await instruct(instruction('refund-x', 1), { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ])
      expect(sent).toMatchObject({ status: 401, error: { code: 'BANKSIM_MERCHANT_SIGNATURE_INVALID' } });
    expect(await instruct({ merchantRef: 'refund-x' })).toMatchObject({
      status: 400,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await db.bankRefund.count()).toBe(before);
  });

  it('fakes an outage (503, nothing recorded) and declines by switch', async () => {
    await bank.switches.set.mutate({ refundOutagePercent: 100 });
    const before = await db.bankRefund.count();
    expect(await instruct(instruction('refund-y', 1))).toMatchObject({
      status: 503,
      error: { code: 'BANKSIM_UNAVAILABLE' },
    });
    expect(await db.bankRefund.count()).toBe(before);
    await bank.switches.set.mutate({ refundOutagePercent: 0, refundFailPercent: 100 });
    const declined = await confirmationOf(await instruct({ ...instruction('refund-y', 1) }));
    expect(declined).toMatchObject({ status: 'declined', reason: 'declined_by_bank' });
    await bank.switches.set.mutate({ refundFailPercent: 0 });
    // The last fen of the payment is still refundable: the decline was the switch's.
    expect((await confirmationOf(await instruct(instruction('refund-z', 1)))).status).toBe('succeeded');
  });

  it('reports refunds in the status query (signed) and the daily statement', async () => {
    const status = await bank.payment.status.query({ paymentCode: CODE });
    const reported = status.refunds.map((r) => RefundConfirmation.parse(JSON.parse(r.body)));
    expect(reported.map((r) => [r.merchantRef, r.status, r.amountFen])).toEqual([
      ['refund-a', 'succeeded', 5_000],
      ['refund-b', 'declined', 15_001],
      ['refund-c', 'succeeded', 14_999],
      ['refund-d', 'declined', 1],
      ['refund-y', 'declined', 1],
      ['refund-z', 'succeeded', 1],
    ]);
    const csv = await (await fetch(`${running.url}/statements/${today}.csv`)).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'bank_serial,payment_code,amount_fen,confirmed_at,pay_mode,outlet,type,original_serial,merchant_ref',
    );
    const rows = lines.slice(1).map((line) => line.split(','));
    // The outlet is quoted (it has a comma): read the last columns from the end.
    expect(rows.map((r) => [r.at(-3), r[2], r.at(-2), r.at(-1)])).toEqual([
      ['payment', '20000', '', ''],
      ['refund', '5000', SERIAL, 'refund-a'],
      ['refund', '14999', SERIAL, 'refund-c'],
      ['refund', '1', SERIAL, 'refund-z'],
    ]);
  });
});
