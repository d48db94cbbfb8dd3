// Test harness: the payment service and the sandbox channel, each on its own real PostgreSQL
// database and free port, talking real HTTP with real signatures; tokens from a test issuer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBanksimClient, createPaymentClient } from '@platform/contracts';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import { applyMigrations, databaseUrlWithName, dropDatabase, ensureDatabase, findFreePort } from '@platform/db';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import {
  BANKSIM_MIGRATIONS_DIR,
  BANKSIM_RESOURCE,
  OPERATE_SCOPE,
  createBanksimService,
  createDatabase as createBanksimDatabase,
  loadEnv as loadBanksimEnv,
  type BanksimService,
} from '@platform/banksim/testing';
import { inject } from 'vitest';
import { createPaymentService, type PaymentService } from '../../src/app.ts';
import type { CoreOptions } from '../../src/composition.ts';
import { createDatabase, type Database } from '../../src/db.ts';
import { loadEnv } from '../../src/env.ts';
import { RESOURCE } from '../../src/meta.ts';

export const UNIT = { creditCode: '91370102MA3C4XY006', name: 'Jinan Traffic Police Detachment' };
export const OTHER_UNIT = { creditCode: '91370200MA3D5ABC13', name: 'Qingdao Examination Authority' };
export const UNIT_CLIENT = 'traffic-police-system';
export const OTHER_CLIENT = 'exam-authority-system';
export const CITIZEN = { kind: 'natural_person' as const, id: '11010519491231002X', name: 'Zhang San' };

export interface Platform {
  issuer: TestIssuer;
  payment: PaymentService;
  banksim: BanksimService;
  /** banksim's own database, for tests that arrange its state directly. */
  bankDb: ReturnType<typeof createBanksimDatabase>;
  paymentUrl: string;
  banksimUrl: string;
  db: Database;
  paymentDatabase: TestDatabase;
  admin: ReturnType<typeof createPaymentClient>;
  bank: ReturnType<typeof createBanksimClient>;
  /** A payment client acting as a collecting unit's system, with an Idempotency-Key per call. */
  unitClient(clientId?: string, idempotencyKey?: () => string): ReturnType<typeof createPaymentClient>;
  token(scope: string, clientId?: string): Promise<string>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  paymentEnv?: Record<string, string>;
  banksimEnv?: Record<string, string>;
  core?: CoreOptions;
  /** Start banksim's callback poller (default true). */
  banksimDispatch?: boolean;
}

/** banksim as the sandbox's operator uses it: the switches need a token with banksim:operate. */
export function bankOperatorClient(url: string, issuer: TestIssuer): ReturnType<typeof createBanksimClient> {
  return createBanksimClient({
    url,
    getToken: () => issuer.mint({ sub: 'sandbox-operator', aud: BANKSIM_RESOURCE, scope: OPERATE_SCOPE }),
  });
}

export async function createBanksimDatabaseForTest(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('platformDbAdminUrl');
  const runId = inject('platformDbRunId');
  // Named after the run, so the global teardown drops it even if this file crashes.
  const name = `${runId}_banksim_${Math.random().toString(36).slice(2, 8)}`;
  await ensureDatabase(adminUrl, name);
  const url = databaseUrlWithName(adminUrl, name);
  await applyMigrations({ migrationsDir: BANKSIM_MIGRATIONS_DIR, databaseUrl: url });
  return { url, drop: () => dropDatabase(adminUrl, name) };
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const issuer = await startTestIssuer();
  const paymentDatabase = await createTestDatabase();
  const banksimDatabase = await createBanksimDatabaseForTest();
  const [paymentPort, banksimPort] = [await findFreePort(), await findFreePort()];
  const paymentUrl = `http://127.0.0.1:${paymentPort}`;
  const banksimUrl = `http://127.0.0.1:${banksimPort}`;

  const paymentEnv = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: paymentDatabase.url,
    IDENTITY_ISSUER_URL: issuer.issuer,
    BANKSIM_URL: banksimUrl,
    BACKGROUND_JOBS: 'false',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'payment-keys-')),
    ...options.paymentEnv,
  });
  const db = createDatabase(paymentDatabase.url, { poolSize: 10 });
  const payment = createPaymentService(paymentEnv, db, options.core);
  const banksimEnv = loadBanksimEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    IDENTITY_ISSUER_URL: issuer.issuer,
    DATABASE_URL: banksimDatabase.url,
    PAYMENT_URL: paymentUrl,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'banksim-keys-')),
    CALLBACK_POLL_MS: '50',
    CALLBACK_DISPATCH: options.banksimDispatch === false ? 'false' : 'true',
    CALLBACK_TIMEOUT_MS: '30000',
    ...options.banksimEnv,
  });
  const bankDb = createBanksimDatabase(banksimDatabase.url);
  const banksim = createBanksimService(banksimEnv, bankDb);
  await payment.listen(paymentPort, '127.0.0.1');
  await banksim.listen(banksimPort, '127.0.0.1');

  const token = (scope: string, clientId = UNIT_CLIENT) =>
    issuer.mint({ sub: clientId, client_id: clientId, aud: RESOURCE, scope });
  const adminToken = await issuer.mint({
    sub: 'finance-admin',
    client_id: 'console',
    aud: RESOURCE,
    scope: 'payment:admin',
  });
  let keys = 0;

  return {
    issuer,
    payment,
    banksim,
    bankDb,
    paymentUrl,
    banksimUrl,
    db,
    paymentDatabase,
    admin: createPaymentClient({ url: paymentUrl, getToken: () => adminToken }),
    bank: bankOperatorClient(banksimUrl, issuer),
    token,
    unitClient(clientId = UNIT_CLIENT, idempotencyKey = () => `key-${Date.now()}-${keys++}`) {
      const scopes = 'payment:notice:create payment:notice:read payment:webhooks';
      return createPaymentClient({
        url: paymentUrl,
        getToken: () => token(scopes, clientId),
        headers: () => ({ 'idempotency-key': idempotencyKey() }),
      });
    },
    async close() {
      await banksim.close();
      await payment.close();
      await issuer.close();
      await paymentDatabase.drop();
      await banksimDatabase.drop();
    },
  };
}

/** Registers the two units and a live fixed-amount item "FINE-200" (20 000 fen) for UNIT. */
export async function seedCatalogue(platform: Platform, webhookUrl: string | null = null) {
  const unit = await platform.admin.unit.register.mutate({ ...UNIT, clientIds: [UNIT_CLIENT], webhookUrl });
  await platform.admin.unit.register.mutate({ ...OTHER_UNIT, clientIds: [OTHER_CLIENT], webhookUrl: null });
  await platform.admin.item.create.mutate({
    code: 'FINE-200',
    name: 'Traffic fine',
    unitCode: UNIT.creditCode,
    legalBasis: 'Road Traffic Safety Law art. 90',
    amountRule: { kind: 'fixed', amountFen: 20_000 },
    destination: 'treasury',
    category: '02',
  });
  for (const status of ['sandbox_tested', 'live'] as const)
    await platform.admin.item.transition.mutate({ code: 'FINE-200', status });
  return unit;
}

export const tomorrow = (): string => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
