// Shared by the payment benchmarks: a PostgreSQL server, the payment service of any commit as a
// child process on a fresh database with a unit and a live item, and clients that create notices
// and send callbacks signed with a key the service trusts (as banksim signs them).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as db from '@platform/db';
import type { startTestIssuer } from '@platform/auth/testing';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..');
export const paymentDir = join(repoRoot, 'apps', 'payment');
const UNIT = '91370102MA3C4XY006';
const CLIENT = 'bench-unit-system';
export const cleanups: Array<() => Promise<unknown> | unknown> = [];

export type Mint = Awaited<ReturnType<typeof startTestIssuer>>['mint'];

export async function database(): Promise<{ adminUrl: string; kind: string }> {
  if (process.env.TEST_DATABASE_URL)
    return { adminUrl: process.env.TEST_DATABASE_URL, kind: 'TEST_DATABASE_URL server' };
  const dataDir = mkdtempSync(join(tmpdir(), 'payment-bench-pg-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await db.startEmbeddedPostgres({ dataDir, port: await db.findFreePort() });
  cleanups.push(() => server.stop());
  return { adminUrl: server.adminUrl, kind: `embedded PostgreSQL ${server.port}` };
}

/** That commit's apps/payment, extracted once and given its own generated Prisma client. */
export function baselineAppDir(ref: string): string {
  const sha = execFileSync('git', ['rev-parse', ref], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const root = join(repoRoot, 'node_modules', '.cache', 'payment-bench', sha.slice(0, 12));
  const appDir = join(root, 'apps', 'payment');
  if (!existsSync(join(appDir, 'src', 'generated'))) {
    mkdirSync(root, { recursive: true });
    // The app plus the root files its tsconfig and Prisma config extend.
    execFileSync('sh', ['-c', `git archive ${sha} apps/payment tsconfig.base.json | tar -x -C '${root}'`], {
      cwd: repoRoot,
    });
    execFileSync(join(repoRoot, 'node_modules', '.bin', 'platform-db'), ['generate'], { cwd: appDir, stdio: 'ignore' });
  }
  return appDir;
}

export function startPayment(appDir: string, env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(appDir, 'src', 'main.ts')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`payment exited with ${code}`)));
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return resolve(child);
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) return reject(new Error('payment did not start'));
      setTimeout(poll, 200);
    };
    void poll();
  });
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export interface BenchPayment {
  /** The service's database (for checks after the run). */
  paymentUrl: string;
  child: ChildProcess;
  /** notice.create over HTTP; resolves with the payment code. */
  createNotice(): Promise<string>;
  /** A signed callback for the code under `bankSerial`; resolves with the HTTP status. */
  sendCallback(paymentCode: string, bankSerial: string): Promise<number>;
  stop(): void;
}

/** Starts the payment service of `appDir` on a fresh database, with a unit and a live 50-yuan item. */
export async function startBenchPayment(
  label: string,
  appDir: string,
  adminUrl: string,
  issuerUrl: string,
  mint: Mint,
): Promise<BenchPayment> {
  const paymentDb = `payment_bench_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${Date.now()}`;
  await db.ensureDatabase(adminUrl, paymentDb);
  cleanups.push(() => db.dropDatabase(adminUrl, paymentDb));
  const paymentUrl = db.databaseUrlWithName(adminUrl, paymentDb);
  await db.applyMigrations({ migrationsDir: join(appDir, 'prisma', 'migrations'), databaseUrl: paymentUrl });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const port = await db.findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const child = await startPayment(
    appDir,
    {
      // development: production insists on a seal service, which receipts here do not reach.
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: paymentUrl,
      IDENTITY_ISSUER_URL: issuerUrl,
      BANKSIM_CALLBACK_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      BACKGROUND_JOBS: 'false',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'payment-bench-keys-')),
    },
    port,
  );
  const admin = await mint({ sub: 'admin', aud: 'urn:platform:payment', scope: 'payment:admin' });
  const unitToken = await mint(
    { sub: CLIENT, client_id: CLIENT, aud: 'urn:platform:payment', scope: 'payment:notice:create' },
    { expiresInSeconds: 3600 },
  );
  const call = async (path: string, token: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  await call('/api/units', admin, { creditCode: UNIT, name: 'Bench unit', clientIds: [CLIENT], webhookUrl: null });
  await call('/api/items', admin, {
    code: 'FEE',
    name: 'Fee',
    unitCode: UNIT,
    legalBasis: 'bench',
    amountRule: { kind: 'fixed', amountFen: 5_000 },
    destination: 'treasury',
  });
  for (const status of ['sandbox_tested', 'live']) await call('/api/items/FEE/status', admin, { status });
  const due = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return {
    paymentUrl,
    child,
    async createNotice() {
      const notice = await call(
        '/api/notices',
        unitToken,
        {
          payer: { kind: 'natural_person', id: '11010519491231002X', name: 'Bench' },
          lines: [{ itemCode: 'FEE' }],
          dueDate: due,
        },
        { 'idempotency-key': randomUUID() },
      );
      return String(notice.paymentCode);
    },
    async sendCallback(paymentCode, bankSerial) {
      const body = JSON.stringify({
        paymentCode,
        bankSerial,
        amountFen: 5_000,
        confirmedAt: new Date().toISOString(),
        outlet: 'bench',
        payMode: 'online_bank',
        payerName: 'Bench',
        payerAccount: '1',
        payerBank: 'bench',
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = sign('sha256', Buffer.from(`${timestamp}.${body}`), privateKey).toString('base64');
      const response = await fetch(`${base}/channels/banksim/callback`, {
        method: 'POST',
        headers: { 'x-channel-timestamp': String(timestamp), 'x-channel-signature': signature },
        body,
      });
      await response.arrayBuffer();
      return response.status;
    },
    stop() {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
    },
  };
}

/** Counts that show exactly-once recording and a balanced ledger after a run. */
export async function consistencyOf(paymentUrl: string) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: paymentUrl, max: 1 });
  try {
    const { rows } = await pool.query<Record<string, string>>(`
      SELECT (SELECT COUNT(*) FROM payment_notice WHERE state = 'paid') AS paid,
             (SELECT COUNT(*) FROM channel_payment) AS payments,
             (SELECT COUNT(*) FROM receipt) AS receipts,
             (SELECT COUNT(*) FROM webhook_event WHERE type = 'notice.paid') AS paid_events,
             (SELECT COUNT(*) FROM ledger_transfer WHERE kind = 'payment') AS payment_transfers,
             (SELECT COUNT(*) FROM (SELECT transfer_id FROM ledger_posting GROUP BY transfer_id
                                     HAVING SUM(debit_fen) <> SUM(credit_fen)) u) AS unbalanced_transfers,
             (SELECT COALESCE(SUM(debit_fen) - SUM(credit_fen), 0) FROM ledger_posting) AS ledger_imbalance_fen`);
    const row = rows[0] ?? {};
    return {
      paidNotices: Number(row.paid),
      payments: Number(row.payments),
      receipts: Number(row.receipts),
      paidEvents: Number(row.paid_events),
      paymentTransfers: Number(row.payment_transfers),
      unbalancedTransfers: Number(row.unbalanced_transfers),
      ledgerImbalanceFen: Number(row.ledger_imbalance_fen),
    };
  } finally {
    await pool.end();
  }
}
