// Sustained notice creation + payment callback over HTTP with PostgreSQL, against the raw
// PostgreSQL insert rate measured in the same run on the same server (the ratio is the point).
// Usage: npx tsx bench/payment-throughput.bench.ts [seconds=15] [concurrency=16] [baseline git ref]
// The payment service runs as a child process (as deployed: node + its own env), on its own
// database; callbacks are RSA-SHA256 signed by this process with a key the service is configured
// to trust, exactly as banksim signs them (the client's signing cost is part of the load).
// With a baseline ref, that commit's apps/payment (git archive into node_modules/.cache, its own
// Prisma client and migrations) is measured in the same run, alternating with the working tree,
// so that before/after ratios share the machine's load.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as db from '@platform/db';
import { startTestIssuer } from '@platform/auth/testing';
import pg from 'pg';
import {
  baselineAppDir,
  cleanups,
  consistencyOf,
  database,
  paymentDir,
  percentile,
  startBenchPayment,
  type Mint,
} from './payment-support.ts';

const SECONDS = Number(process.argv[2] ?? 15);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const BASELINE_REF = process.argv[4];
const here = dirname(fileURLToPath(import.meta.url));
const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);

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
  consistency: Awaited<ReturnType<typeof consistencyOf>>;
}

/** The payment service of `appDir` on a fresh database: create + pay pairs for SECONDS. */
async function measure(label: string, appDir: string, adminUrl: string, issuerUrl: string, mint: Mint) {
  const service = await startBenchPayment(label, appDir, adminUrl, issuerUrl, mint);
  let serial = 0;
  const payOne = async () => {
    const code = await service.createNotice();
    const status = await service.sendCallback(code, `BENCH${process.pid}${label}${serial++}`);
    if (status !== 200) throw new Error(`callback: HTTP ${status}`);
  };
  await runFor(2, payOne); // warm-up
  const paid = await runFor(SECONDS, payOne);
  service.stop();
  return {
    label,
    paidNoticesPerSecond: Math.round(paid.ops / SECONDS),
    pairLatencyMs: { p50: percentile(paid.latencies, 0.5), p99: percentile(paid.latencies, 0.99) },
    consistency: await consistencyOf(service.paymentUrl),
  } satisfies Measured;
}

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
