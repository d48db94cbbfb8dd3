// Online e-license verification over HTTP with the database: `license.verify` by identifier
// (REST, POST /api/verify), as a counter or an app calls it, measured as the license table grows.
// Each verification reads the license and appends to the holder's hash-chained usage log.
//
//   npx tsx license-online-verify.bench.ts                       # sizes 1e3,1e4,1e5 · 2 s + 10 s each
//   npx tsx license-online-verify.bench.ts --quick               # 1 s + 3 s each
//   npx tsx license-online-verify.bench.ts --sizes 1000,1000000 --duration 20 --connections 64
//   npx tsx license-online-verify.bench.ts --quick --cpu-prof    # profile the server, then:
//   npx tsx profile-summary.ts results/profiles/license-online-<size>/CPU.*.0.001.cpuprofile 30 3
//
// Options also come from the environment: BENCH_SIZES, BENCH_DURATION, BENCH_WARMUP,
// BENCH_CONNECTIONS, BENCH_CPU_PROF=1, BENCH_LOG_LEVEL (default info, as in production). The
// database is BENCH_DATABASE_URL or TEST_DATABASE_URL when set, else an embedded PostgreSQL.
//
// The licenses that are verified (VERIFIED_LICENSES of them, one holder each) are issued through the
// service's own issuing code, so they carry real signed credentials; the rest of each size is
// inserted in bulk with SQL (copies of one issued row under new identifiers), since issuing 10^5
// licenses one by one would measure issuing, not verifying. The server runs in a child process
// (this file with --serve); autocannon stays in this one.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release as osRelease, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { creditCodeCheckChar } from '@platform/identifiers';
import { createLicenseService } from '@platform/license/src/app.ts';
import { createLicenseCore } from '@platform/license/src/composition.ts';
import { createDatabase, type Database } from '@platform/license/src/db.ts';
import { SEED_TYPES } from '@platform/license/src/domain/types/seed-types.ts';
import { loadEnv } from '@platform/license/src/env.ts';
import { serveForBench, type ChildMessage, type ParentMessage } from './servers/child.ts';
import { businessLicenceFields } from '@platform/license/src/domain/types/sample-fields.ts';

const here = dirname(fileURLToPath(import.meta.url));
const VERIFIED_LICENSES = 200;
const DATABASE_NAME = 'bench_license_online';
const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    sizes: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    'cpu-prof': { type: 'boolean' },
    quick: { type: 'boolean' },
  },
});

// ---------------------------------------------------------------------------------------------
// Child: the license service exactly as main.ts builds it, on DATABASE_URL.

if (args.serve) {
  await serveForBench(async () => {
    const env = loadEnv({ ...process.env, PORT: '0' });
    const db = createDatabase(env.DATABASE_URL);
    const service = createLicenseService(env, db);
    const port = await service.listen(0, '127.0.0.1');
    return { port, close: () => service.close() };
  });
} else {
  await runBenchmark();
}

// ---------------------------------------------------------------------------------------------
// Parent

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

async function runBenchmark(): Promise<void> {
  const quick = args.quick ?? false;
  const config = {
    sizes: (args.sizes ?? process.env.BENCH_SIZES ?? '1000,10000,100000')
      .split(',')
      .map((size) => Math.round(positive('sizes', size, 1)))
      .sort((a, b) => a - b),
    durationSeconds: positive('duration', args.duration ?? process.env.BENCH_DURATION, quick ? 3 : 10),
    warmupSeconds: positive('warmup', args.warmup ?? process.env.BENCH_WARMUP, quick ? 1 : 2),
    // Closed loop: mean latency ≈ connections / throughput. 24 connections saturate the one server
    // process (≈ 1 core) without queueing more requests than it can answer within the p99 target;
    // pass --connections 16 or 32 for the rest of the curve.
    connections: Math.round(positive('connections', args.connections ?? process.env.BENCH_CONNECTIONS, 24)),
    cpuProfile: args['cpu-prof'] ?? process.env.BENCH_CPU_PROF === '1',
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    verifiedLicenses: VERIFIED_LICENSES,
    target: { requestsPerSecond: 2_000, p99Ms: 25 },
  };
  if ((config.sizes[0] ?? 0) < VERIFIED_LICENSES)
    throw new Error(`sizes must be at least ${VERIFIED_LICENSES} (the licenses issued for real)`);

  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\ninterrupted: stopping server and database…\n');
    void cleanUp().then(() => process.exit(130));
  });

  try {
    const cpuList = cpus();
    const machine = {
      node: process.version,
      v8: process.versions.v8,
      platform: `${process.platform} ${osRelease()} ${process.arch}`,
      cpuCount: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
    };
    const database = await provideDatabase(cleanups);
    const serverEnv = {
      NODE_ENV: 'production',
      LOG_LEVEL: config.logLevel,
      DATABASE_URL: database.url,
      // Production refuses generated keys and http URLs: a throwaway key and an https node URL.
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      PUBLIC_URL: 'https://license.bench.invalid',
      IDENTITY_ISSUER_URL: 'https://identity.bench.invalid',
      // Production needs a seal service for license files; none is involved in verifying, so the
      // file worker is pointed nowhere and kept idle.
      SEAL_URL: 'https://seal.bench.invalid',
      SERVICE_CLIENT_ID: 'bench',
      SERVICE_CLIENT_SECRET: randomBytes(32).toString('base64url'),
      FILE_POLL_MS: String(24 * 3600 * 1000),
    };
    const db = createDatabase(database.url);
    cleanups.push(() => db.$disconnect());
    const identifiers = await issueVerifiedLicenses(db, serverEnv);

    console.log('# Online license verification (license.verify by identifier, REST, with the database)');
    console.log();
    console.log(
      `- machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}`,
    );
    console.log(`- database: ${database.kind}`);
    const [load1 = 0] = machine.loadAverageAtStart;
    if (load1 > machine.cpuCount / 2)
      console.log(
        `- WARNING: load average ${load1} on ${machine.cpuCount} CPUs before the run: other work competes, figures will be noisy`,
      );
    console.log(
      `- load: autocannon ${config.connections} connections, ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured per size; anonymous verifier; ${identifiers.length} real licenses (one holder each) verified round-robin`,
    );
    console.log(
      `- server: one child process (NODE_ENV=production, LOG_LEVEL=${config.logLevel}, logs to /dev/null), started fresh per size; PostgreSQL, server and autocannon share the machine`,
    );
    console.log();

    const measurements: Measurement[] = [];
    for (const size of config.sizes) {
      process.stderr.write(`size ${size}: filling… `);
      const filled = await fillTo(db, size);
      process.stderr.write(`${filled.insertedRows} rows in ${filled.seconds.toFixed(1)} s; measuring… `);
      const m = await measure(size, identifiers, serverEnv, config, cleanups);
      measurements.push({ ...m, fillSeconds: filled.seconds });
      process.stderr.write(
        `${m.requestsPerSecond.toFixed(0)} req/s, p99 ${m.latencyMs.p99} ms, ${m.serverCpuUsPerRequest.toFixed(0)} µs server CPU/req\n`,
      );
    }
    const usageRows = await db.usageEntry.count();

    console.log(
      '| licenses in table | req/s | p50 ms | p99 ms | max ms | errors / non-2xx | server CPU µs/req | server cores | machine busy | target (≥ 2,000/s, p99 < 25 ms) |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const m of measurements) {
      const met = m.requestsPerSecond >= config.target.requestsPerSecond && m.latencyMs.p99 < config.target.p99Ms;
      console.log(
        `| ${m.size.toLocaleString('en')} | ${m.requestsPerSecond.toFixed(0)} | ${m.latencyMs.p50} | ${m.latencyMs.p99} | ${m.latencyMs.max} | ${m.errors + m.timeouts} / ${m.non2xx} | ${m.serverCpuUsPerRequest.toFixed(0)} | ${m.serverCores.toFixed(2)} | ${(m.machineBusy * 100).toFixed(0)} % | ${met ? 'met' : 'NOT met'} |`,
      );
    }
    console.log();
    console.log(`- usage-log entries written during the run: ${usageRows} (one per verification)`);
    if (config.cpuProfile) console.log(`- CPU profiles of the server: ${join(here, 'results', 'profiles')}`);

    const dir = join(here, 'results');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'license-online-verify.json');
    await writeFile(
      file,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          machine: { ...machine, loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
          database: database.kind,
          config,
          measurements,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`- raw results: ${file}`);
  } finally {
    await cleanUp();
  }
}

async function provideDatabase(cleanups: Array<() => Promise<unknown>>): Promise<{ url: string; kind: string }> {
  const db = await import('@platform/db');
  let database: { url: string; kind: string };
  if (process.env.BENCH_DATABASE_URL) {
    database = { url: process.env.BENCH_DATABASE_URL, kind: 'BENCH_DATABASE_URL' };
  } else if (process.env.TEST_DATABASE_URL) {
    // A fresh database each run: the sizes are counted from empty.
    await db.dropDatabase(process.env.TEST_DATABASE_URL, DATABASE_NAME).catch(() => undefined);
    await db.ensureDatabase(process.env.TEST_DATABASE_URL, DATABASE_NAME);
    database = {
      url: db.databaseUrlWithName(process.env.TEST_DATABASE_URL, DATABASE_NAME),
      kind: 'TEST_DATABASE_URL server',
    };
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'platform-bench-pg-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const server = await db.startEmbeddedPostgres({ dataDir, port: await db.findFreePort() });
    cleanups.push(() => server.stop());
    database = {
      url: await server.ensureDatabase(DATABASE_NAME),
      kind: `embedded PostgreSQL (127.0.0.1:${server.port})`,
    };
  }
  await db.applyMigrations({
    migrationsDir: join(here, '..', 'apps', 'license', 'prisma', 'migrations'),
    databaseUrl: database.url,
  });
  return database;
}

/** Issues the licenses the load verifies, each for its own firm, through the service's issuing code. */
async function issueVerifiedLicenses(db: Database, serverEnv: Record<string, string>): Promise<string[]> {
  const type = SEED_TYPES.find((seed) => seed.name === '营业执照');
  if (!type) throw new Error('no seed type 营业执照');
  // The same key-encryption key as the server's, so both use the issuer key made here.
  const core = createLicenseCore(loadEnv({ ...serverEnv, NODE_ENV: 'test' }), db);
  await core.types.seed();
  const identifiers: string[] = [];
  for (let i = 0; i < VERIFIED_LICENSES; i++) {
    const first17 = `91370102MA${String(1_000_000 + i).slice(1)}P`;
    const license = await core.issuing.issue(
      {
        caseId: `bench-online-${i}`,
        typeCode: type.code,
        holder: {
          codeType: 'credit_code',
          code: first17 + creditCodeCheckChar(first17),
          name: `泉城软件${i}号有限公司`,
        },
        fields: businessLicenceFields(`泉城软件${i}号有限公司`),
      },
      { subject: 'bench-clerk' },
    );
    identifiers.push(license.identifier);
  }
  // Issuing queued each license's file for sealing. No seal service takes part here, and the
  // server's file worker would otherwise render all of them at start and again at every retry,
  // during the measurement: postpone them past the run.
  await db.$executeRaw`UPDATE license_file SET next_attempt_at = now() + interval '30 days'`;
  return identifiers;
}

/** Grows the license table to `size` rows with copies of an issued row (new id, identifier, case, slot). */
async function fillTo(db: Database, size: number): Promise<{ insertedRows: number; seconds: number }> {
  const began = process.hrtime.bigint();
  const [{ count } = { count: 0n }] = await db.$queryRaw<
    Array<{ count: bigint }>
  >`SELECT count(*) AS count FROM license`;
  let have = Number(count);
  const insertedRows = Math.max(0, size - have);
  const chunk = 20_000;
  while (have < size) {
    const upTo = Math.min(size, have + chunk);
    await db.$executeRaw`
      INSERT INTO license (id, identifier, type_id, type_code, issuer_code, issuer_name, serial, version,
        holder_code, holder_code_type, holder_name, fields, valid_from, valid_until, issued_at, issued_by,
        status, status_index, credential, case_id, request_hash)
      SELECT gen_random_uuid(), t.identifier || '.BULK' || n, t.type_id, t.type_code, t.issuer_code,
        t.issuer_name, 'BULK' || n, 1, t.holder_code, t.holder_code_type, t.holder_name, t.fields,
        t.valid_from, t.valid_until, t.issued_at, 'bench-bulk', t.status, 10000000 + n, t.credential,
        'bench-bulk-' || n, t.request_hash
      FROM generate_series(${have + 1}::int, ${upTo}::int) AS n,
        (SELECT * FROM license WHERE case_id = 'bench-online-0') AS t`;
    have = upTo;
  }
  await db.$executeRawUnsafe('ANALYZE license');
  return { insertedRows, seconds: Number(process.hrtime.bigint() - began) / 1e9 };
}

interface Measurement {
  size: number;
  requestsPerSecond: number;
  requestsTotal: number;
  latencyMs: { average: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  serverCpuUsPerRequest: number;
  serverCores: number;
  loadGeneratorCores: number;
  machineBusy: number;
  serverRssMb: number;
  fillSeconds?: number;
  sample: unknown;
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

async function measure(
  size: number,
  identifiers: string[],
  serverEnv: Record<string, string>,
  config: { durationSeconds: number; warmupSeconds: number; connections: number; cpuProfile: boolean },
  cleanups: Array<() => Promise<unknown>>,
): Promise<Measurement> {
  const nodeFlags = config.cpuProfile
    ? ['--cpu-prof', `--cpu-prof-dir=${join(here, 'results', 'profiles', `license-online-${size}`)}`]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve'],
    {
      cwd: here,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, ...serverEnv, HOST: '127.0.0.1', PORT: '0' },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  cleanups.push(stop);
  const ask = <T extends ChildMessage['type']>(type: T, send?: ParentMessage) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`license server: no ${type} message within 60 s`)), 60_000);
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`license server exited (code ${code})`));
      });
      if (send) child.send(send);
    });

  try {
    const { port } = await ask('listening');
    const url = `http://127.0.0.1:${port}/api/verify`;
    // Checked once: a real license verifies as authentic and active, a bulk copy is found too.
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: identifiers[0] }),
    });
    const sample = (await response.json()) as { authentic?: boolean; valid?: boolean };
    if (response.status !== 200 || sample.authentic !== true || sample.valid !== true)
      throw new Error(`verify answered ${response.status}: ${JSON.stringify(sample).slice(0, 300)}`);

    let next = 0;
    const load = (seconds: number) =>
      autocannon({
        url,
        connections: config.connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({ identifier: identifiers[next++ % identifiers.length] }),
            }),
          },
        ],
      });
    await load(config.warmupSeconds);

    const serverBefore = await ask('cpu', { type: 'cpu' });
    const ownBefore = process.cpuUsage();
    const machineBefore = cpuTimes();
    const began = process.hrtime.bigint();
    const result = await load(config.durationSeconds);
    const wallUs = Number(process.hrtime.bigint() - began) / 1e3;
    const machineAfter = cpuTimes();
    const own = process.cpuUsage(ownBefore);
    const serverAfter = await ask('cpu', { type: 'cpu' });
    const serverUs = serverAfter.userUs + serverAfter.systemUs - serverBefore.userUs - serverBefore.systemUs;
    const total = result.requests.total;
    return {
      size,
      requestsPerSecond: result.requests.average,
      requestsTotal: total,
      latencyMs: {
        average: result.latency.average,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      serverCpuUsPerRequest: total > 0 ? serverUs / total : Number.NaN,
      serverCores: serverUs / wallUs,
      loadGeneratorCores: (own.user + own.system) / wallUs,
      machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
      serverRssMb: serverAfter.rssBytes / 2 ** 20,
      sample,
    };
  } finally {
    await stop();
  }
}
