// Sustained notice creation + payment callback over HTTP with PostgreSQL, against the raw
// PostgreSQL insert rate measured in the same run on the same server (the ratio is the point).
// Usage: npx tsx bench/payment-throughput.bench.ts [seconds=15] [concurrency=16] [baseline git ref]
// The payment service runs as a child process (as deployed: node + its own env), on its own
// database; callbacks are RSA-SHA256 signed by this process with a key the service is configured
// to trust, exactly as banksim signs them (the client's signing cost is part of the load).
// With a baseline ref, that commit's apps/payment (git archive into node_modules/.cache, its own
// Prisma client and migrations) is measured in the same run, alternating with the working tree,
// so that before/after ratios share the machine's load.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as db from '@platform/db';
import { startTestIssuer } from '@platform/auth/testing';
import pg from 'pg';

const SECONDS = Number(process.argv[2] ?? 15);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const BASELINE_REF = process.argv[4];
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');
const paymentDir = join(repoRoot, 'apps', 'payment');
const UNIT = '91370102MA3C4XY006';
const CLIENT = 'bench-unit-system';
const cleanups: Array<() => Promise<unknown> | unknown> = [];
const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);

async function database(): Promise<{ adminUrl: string; kind: string }> {
  if (process.env.TEST_DATABASE_URL)
    return { adminUrl: process.env.TEST_DATABASE_URL, kind: 'TEST_DATABASE_URL server' };
  const dataDir = mkdtempSync(join(tmpdir(), 'payment-bench-pg-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await db.startEmbeddedPostgres({ dataDir, port: await db.findFreePort() });
  cleanups.push(() => server.stop());
  return { adminUrl: server.adminUrl, kind: `embedded PostgreSQL ${server.port}` };
}

/** That commit's apps/payment, extracted once and given its own generated Prisma client. */
function baselineAppDir(ref: string): string {
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

function startPayment(appDir: string, env: Record<string, string>, port: number): Promise<ChildProcess> {
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

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function runFor(seconds: number, worker: () => Promise<void>): Promise<{ ops: number; latencies: number[] }> {
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const began = process.hrtime.bigint();
        await worker();
        latencies.push(Number(process.hrtime.bigint() - began) / 1e6);
      }
    }),
  );
  return { ops: latencies.length, latencies: latencies.sort((a, b) => a - b) };
}

interface Measured {
  label: string;
  paidNoticesPerSecond: number;
  pairLatencyMs: { p50: number; p99: number };
  consistency: { paidNotices: number; payments: number; receipts: number; paidEvents: number; unbalanced: number };
}

/** Starts the payment service of `appDir` on a fresh database and measures create + pay pairs. */
async function measure(label: string, appDir: string, adminUrl: string, issuerUrl: string, mint: Mint) {
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
  let serial = 0;

  const payOne = async () => {
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
    const body = JSON.stringify({
      paymentCode: notice.paymentCode,
      bankSerial: `BENCH${process.pid}${serial++}`,
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
    if (!response.ok) throw new Error(`callback: HTTP ${response.status}`);
    await response.arrayBuffer();
  };

  await runFor(2, payOne); // warm-up
  const paid = await runFor(SECONDS, payOne);
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
  const pool = new pg.Pool({ connectionString: paymentUrl, max: 2 });
  const check = await pool.query<Record<string, string>>(`
    SELECT (SELECT COUNT(*) FROM payment_notice WHERE state = 'paid') AS paid,
           (SELECT COUNT(*) FROM channel_payment) AS payments,
           (SELECT COUNT(*) FROM receipt) AS receipts,
           (SELECT COUNT(*) FROM webhook_event WHERE type = 'notice.paid') AS paid_events,
           (SELECT COUNT(*) FROM (SELECT transfer_id FROM ledger_posting GROUP BY transfer_id
                                   HAVING SUM(debit_fen) <> SUM(credit_fen)) u) AS unbalanced`);
  await pool.end();
  const row = check.rows[0] ?? {};
  return {
    label,
    paidNoticesPerSecond: Math.round(paid.ops / SECONDS),
    pairLatencyMs: { p50: percentile(paid.latencies, 0.5), p99: percentile(paid.latencies, 0.99) },
    consistency: {
      paidNotices: Number(row.paid),
      payments: Number(row.payments),
      receipts: Number(row.receipts),
      paidEvents: Number(row.paid_events),
      unbalanced: Number(row.unbalanced),
    },
  } satisfies Measured;
}

type Mint = Awaited<ReturnType<typeof startTestIssuer>>['mint'];

try {
  const server = await database();
  const issuer = await startTestIssuer();
  cleanups.push(() => issuer.close());
  const mint: Mint = (claims, options) => issuer.mint(claims, options);
  const variants: Array<[string, string]> = [['current', paymentDir]];
  if (BASELINE_REF) variants.unshift([`baseline-${BASELINE_REF}`, baselineAppDir(BASELINE_REF)]);
  const runs: Measured[] = [];
  // Two rounds, alternating, so that neither variant gets only the quieter minutes.
  for (let round = 0; round < (BASELINE_REF ? 2 : 1); round++)
    for (const [label, appDir] of variants)
      runs.push(await measure(label, appDir, server.adminUrl, issuer.issuer, mint));
  const rawDb = `payment_bench_raw_${Date.now()}`;
  await db.ensureDatabase(server.adminUrl, rawDb);
  cleanups.push(() => db.dropDatabase(server.adminUrl, rawDb));
  const paymentUrl = db.databaseUrlWithName(server.adminUrl, rawDb);

  // Raw PostgreSQL: one INSERT per operation, same concurrency, same server.
  const pool = new pg.Pool({ connectionString: paymentUrl, max: CONCURRENCY });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_raw (id uuid PRIMARY KEY, payload text NOT NULL)');
  const raw = await runFor(SECONDS, async () => {
    await pool.query('INSERT INTO bench_raw (id, payload) VALUES ($1, $2)', [randomUUID(), 'x'.repeat(200)]);
  });
  await pool.end();
  const best = (label: string) => Math.max(...runs.filter((r) => r.label === label).map((r) => r.paidNoticesPerSecond));
  const current = best('current');

  const result = {
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    database: server.kind,
    // Other processes on the machine compete for the same 2 cores: report how busy it was.
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    runs,
    paidNoticesPerSecond: current,
    rawInsertsPerSecond: Math.round(raw.ops / SECONDS),
    rawInsertLatencyMs: { p50: percentile(raw.latencies, 0.5), p99: percentile(raw.latencies, 0.99) },
    ratioToRawInserts: Math.round((current / (raw.ops / SECONDS)) * 1000) / 1000,
    ...(BASELINE_REF
      ? {
          baseline: BASELINE_REF,
          speedupOverBaseline: Math.round((current / best(`baseline-${BASELINE_REF}`)) * 100) / 100,
        }
      : {}),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'payment-throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
