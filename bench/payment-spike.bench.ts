// Deadline spike: N notices are issued, then all of them are paid at once — N signed callbacks
// fired together (up to IN_FLIGHT open at a time, as a bank's dispatchers would), a share of them
// sent twice concurrently. Reports the time to drain the burst, callback latency (p50/p99) and
// afterwards checks exactly-once recording (one payment, receipt, "notice.paid" event and ledger
// transfer per paid notice, duplicates answered "duplicate") and a balanced ledger.
// Usage: npx tsx bench/payment-spike.bench.ts [notices=5000] [duplicatePercent=10] [inFlight=256]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestIssuer } from '@platform/auth/testing';
import {
  cleanups,
  consistencyOf,
  database,
  paymentDir,
  percentile,
  startBenchPayment,
  type Mint,
} from './payment-support.ts';

const NOTICES = Number(process.argv[2] ?? 5_000);
const DUPLICATE_PERCENT = Number(process.argv[3] ?? 10);
const IN_FLIGHT = Number(process.argv[4] ?? 256);
const here = dirname(fileURLToPath(import.meta.url));
const round = (x: number) => Math.round(x * 100) / 100;

/** Runs `tasks` with at most `limit` in flight; resolves when all are done. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        const task = tasks[index];
        if (task) results[index] = await task();
      }
    }),
  );
  return results;
}

try {
  const loadAtStart = os.loadavg().map(round);
  const server = await database();
  const issuer = await startTestIssuer();
  cleanups.push(() => issuer.close());
  const mint: Mint = (claims, options) => issuer.mint(claims, options);
  const service = await startBenchPayment('spike', paymentDir, server.adminUrl, issuer.issuer, mint);

  // The notices exist before the deadline rush (issued over the previous days).
  const issueStart = Date.now();
  const codes = await pool(
    Array.from({ length: NOTICES }, () => () => service.createNotice()),
    16,
  );
  const issueSeconds = (Date.now() - issueStart) / 1000;

  // The burst: every notice paid, some callbacks sent twice at the same moment.
  const sends = codes.flatMap((code, index) => {
    const serial = `SPIKE${process.pid}${index}`;
    const copies = (index * 100) / NOTICES < DUPLICATE_PERCENT ? 2 : 1;
    return Array.from({ length: copies }, () => ({ code, serial }));
  });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const burstStart = Date.now();
  await pool(
    sends.map(({ code, serial }) => async () => {
      const began = process.hrtime.bigint();
      const status = await service.sendCallback(code, serial).catch(() => 0);
      latencies.push(Number(process.hrtime.bigint() - began) / 1e6);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }),
    IN_FLIGHT,
  );
  const drainSeconds = (Date.now() - burstStart) / 1000;
  service.stop();
  latencies.sort((a, b) => a - b);
  const consistency = await consistencyOf(service.paymentUrl);
  const exactlyOnce =
    consistency.paidNotices === NOTICES &&
    consistency.payments === NOTICES &&
    consistency.receipts === NOTICES &&
    consistency.paidEvents === NOTICES &&
    consistency.paymentTransfers === NOTICES;
  const balanced = consistency.unbalancedTransfers === 0 && consistency.ledgerImbalanceFen === 0;

  const result = {
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    database: server.kind,
    // Other processes on the machine compete for the same 2 cores: report how busy it was.
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg().map(round),
    notices: NOTICES,
    callbacksSent: sends.length,
    duplicatePercent: DUPLICATE_PERCENT,
    inFlight: IN_FLIGHT,
    issueSeconds: round(issueSeconds),
    drainSeconds: round(drainSeconds),
    paidPerSecondDuringBurst: Math.round(NOTICES / drainSeconds),
    callbackLatencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? 0),
    },
    // 200 for recorded and for duplicates; anything else would be a lost or refused payment.
    httpStatuses: Object.fromEntries(statuses),
    consistency,
    exactlyOnce,
    balanced,
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'payment-spike.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (!exactlyOnce || !balanced) process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
