// Sustained notice creation + payment callback over HTTP with PostgreSQL, against the raw
// PostgreSQL insert rate measured in the same run on the same server (the ratio is the point).
// Usage: npx tsx bench/payment-throughput.bench.ts [seconds=15] [concurrency=16]
// The payment service runs as a child process (as deployed: node + its own env), on its own
// database; callbacks are RSA-SHA256 signed by this process with a key the service is configured
// to trust, exactly as banksim signs them (the client's signing cost is part of the load).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as db from '@platform/db';
import { startTestIssuer } from '@platform/auth/testing';
import pg from 'pg';

const SECONDS = Number(process.argv[2] ?? 15);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const here = dirname(fileURLToPath(import.meta.url));
const paymentDir = join(here, '..', 'apps', 'payment');
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

function startPayment(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(join(here, '..', 'node_modules', '.bin', 'tsx'), [join(paymentDir, 'src', 'main.ts')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
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

try {
  const server = await database();
  const paymentDb = `payment_bench_${Date.now()}`;
  await db.ensureDatabase(server.adminUrl, paymentDb);
  const paymentUrl = db.databaseUrlWithName(server.adminUrl, paymentDb);
  await db.applyMigrations({ migrationsDir: join(paymentDir, 'prisma', 'migrations'), databaseUrl: paymentUrl });
  cleanups.push(() => db.dropDatabase(server.adminUrl, paymentDb));

  const issuer = await startTestIssuer();
  cleanups.push(() => issuer.close());
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const port = await db.findFreePort();
  const base = `http://127.0.0.1:${port}`;
  await startPayment(
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: paymentUrl,
      IDENTITY_ISSUER_URL: issuer.issuer,
      BANKSIM_CALLBACK_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      BACKGROUND_JOBS: 'false',
    },
    port,
  );

  const admin = await issuer.mint({ sub: 'admin', aud: 'urn:platform:payment', scope: 'payment:admin' });
  const unitToken = await issuer.mint(
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

  // Raw PostgreSQL: one INSERT per operation, same concurrency, same server.
  const pool = new pg.Pool({ connectionString: paymentUrl, max: CONCURRENCY });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_raw (id uuid PRIMARY KEY, payload text NOT NULL)');
  const raw = await runFor(SECONDS, async () => {
    await pool.query('INSERT INTO bench_raw (id, payload) VALUES ($1, $2)', [randomUUID(), 'x'.repeat(200)]);
  });
  const check = await pool.query<{ paid: string; payments: string }>(
    "SELECT (SELECT COUNT(*) FROM payment_notice WHERE state = 'paid') AS paid, (SELECT COUNT(*) FROM channel_payment) AS payments",
  );
  await pool.end();

  const result = {
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    database: server.kind,
    // Other processes on the machine compete for the same 2 cores: report how busy it was.
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    paidNoticesPerSecond: Math.round(paid.ops / SECONDS),
    pairLatencyMs: { p50: percentile(paid.latencies, 0.5), p99: percentile(paid.latencies, 0.99) },
    rawInsertsPerSecond: Math.round(raw.ops / SECONDS),
    rawInsertLatencyMs: { p50: percentile(raw.latencies, 0.5), p99: percentile(raw.latencies, 0.99) },
    ratio: Math.round((paid.ops / raw.ops) * 1000) / 1000,
    consistency: { paidNotices: Number(check.rows[0]?.paid), payments: Number(check.rows[0]?.payments) },
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'payment-throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
