// banksim on its own: switches persist in its database, bad input gets the error model, and a
// payment for a code the payment service does not know is refused without recording anything.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { banksimContract, createBanksimClient, errorBodyOf } from '@platform/contracts';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { listenForTest, type RunningService } from '@platform/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBanksimService } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';
import { OPERATE_SCOPE, RESOURCE } from '../src/meta.ts';

let issuer: TestIssuer;
let database: TestDatabase;
let running: RunningService;
let bank: ReturnType<typeof createBanksimClient>;

beforeAll(async () => {
  issuer = await startTestIssuer();
  database = await createTestDatabase();
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    IDENTITY_ISSUER_URL: issuer.issuer,
    DATABASE_URL: database.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'banksim-keys-')),
    // Nothing listens here: the payment service is "down".
    PAYMENT_URL: 'http://127.0.0.1:9',
  });
  running = await listenForTest(createBanksimService(env, createDatabase(database.url)));
  // An operator's token: the switches need it, paying and status queries do not.
  bank = createBanksimClient({
    url: running.url,
    getToken: () => issuer.mint({ sub: 'sandbox-operator', aud: RESOURCE, scope: OPERATE_SCOPE }),
  });
});
afterAll(async () => {
  await running?.close();
  await database?.drop();
  await issuer?.close();
});

describe('banksim', () => {
  it('starts with every switch off and keeps what is set', async () => {
    const off = { refundFailPercent: 0, refundOutagePercent: 0, refundDelayMs: 0 };
    expect(await bank.switches.get.query()).toEqual({
      delayMs: 0,
      duplicates: 0,
      reorder: false,
      lossPercent: 0,
      failPercent: 0,
      ...off,
    });
    expect(await bank.switches.set.mutate({ duplicates: 2, lossPercent: 50 })).toEqual({
      delayMs: 0,
      duplicates: 2,
      reorder: false,
      lossPercent: 50,
      failPercent: 0,
      ...off,
    });
    expect((await bank.switches.get.query()).duplicates).toBe(2);
    const bad = await bank.switches.set.mutate({ lossPercent: 101 }).then(() => undefined, errorBodyOf);
    expect(bad?.code).toBe('VALIDATION_FAILED');
    await bank.switches.set.mutate({ duplicates: 0, lossPercent: 0 });
  });

  it('lets only an operator read or change the switches: no token, another scope or another audience is refused and changes nothing', async () => {
    const withToken = (token: string | undefined) =>
      createBanksimClient({ url: running.url, getToken: () => Promise.resolve(token) });
    const refused = async (client: ReturnType<typeof createBanksimClient>) => ({
      set: await client.switches.set.mutate({ lossPercent: 100 }).then(() => undefined, errorBodyOf),
      get: await client.switches.get.query().then(() => undefined, errorBodyOf),
    });
    const anonymous = await refused(withToken(undefined));
    expect(anonymous.set).toMatchObject({ code: 'UNAUTHENTICATED', httpStatus: 401 });
    expect(anonymous.get).toMatchObject({ code: 'UNAUTHENTICATED', httpStatus: 401 });
    const payer = await refused(withToken(await issuer.mint({ sub: 'payer', aud: RESOURCE, scope: 'openid' })));
    expect(payer.set).toMatchObject({ code: 'INSUFFICIENT_SCOPE', httpStatus: 403 });
    expect(payer.get).toMatchObject({ code: 'INSUFFICIENT_SCOPE', httpStatus: 403 });
    // An operator token of another service is not accepted here (audience).
    const elsewhere = await issuer.mint({ sub: 'operator', aud: 'urn:platform:payment', scope: OPERATE_SCOPE });
    expect((await refused(withToken(elsewhere))).set).toMatchObject({ code: 'UNAUTHENTICATED' });
    const forged = await issuer.mint({ sub: 'operator', aud: RESOURCE, scope: OPERATE_SCOPE }, { foreignKey: true });
    expect((await refused(withToken(forged))).set).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await bank.switches.get.query()).lossPercent).toBe(0);
    // Paying stays public: the payer's bank page needs no platform token.
    expect(banksimContract.payment.pay.access).toBe('public');
  });

  it('publishes its callback public key', async () => {
    const key = await bank.keys.callback.query();
    expect(key.algorithm).toBe('RSA-SHA256');
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('refuses to take money when the payment service cannot confirm the code (502), recording nothing', async () => {
    const error = await bank.payment.pay
      .mutate({ paymentCode: '37010226020000000017', payerName: 'Zhang San', payerAccount: '1' })
      .then(() => undefined, errorBodyOf);
    expect(error).toMatchObject({ code: 'BANKSIM_UPSTREAM_UNAVAILABLE', httpStatus: 502 });
    expect((await bank.payment.list.query({ paymentCode: '37010226020000000017' })).payments).toEqual([]);
    const wrongShape = await bank.payment.pay
      .mutate({ paymentCode: '123', payerName: 'Z', payerAccount: '1' })
      .then(() => undefined, errorBodyOf);
    expect(wrongShape?.code).toBe('VALIDATION_FAILED');
  });
});
