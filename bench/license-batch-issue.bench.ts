// Batch issue with sealed license files, end to end through the service's real batch path: N
// business licences uploaded with license.batch.issue (REST/tRPC over HTTP), issued by the batch
// worker, each license's PDF rendered and sealed by the file worker through the seal service
// (sign.pdf: PAdES with the issuing authority's seal and a timestamp), stored as sealed.
//
//   npx tsx license-batch-issue.bench.ts                 # 10,000 licenses
//   npx tsx license-batch-issue.bench.ts --quick         # 1,000 licenses
//   npx tsx license-batch-issue.bench.ts --licenses 5000 --batch-rows 1000
//   npx tsx license-batch-issue.bench.ts --licenses 300 --cpu-prof   # profile the license service:
//   npx tsx profile-summary.ts results/profiles/license-batch-sealing/CPU.*.cpuprofile 30
//
// Two rounds, each on a fresh license database and a fresh license service process:
//   1. issuing alone: the file worker is idle (FILE_POLL_MS of a day), files stay pending_seal;
//   2. issuing + sealing, as deployed: the file worker seals while the batch worker issues.
// Reported: licenses/s issued in each round and issued+sealed in round 2, and where the CPU went
// (license service, seal service, PostgreSQL).
//
// Parts: the seal service runs in this process (@platform/seal/testing, its own database, a seal
// brought to active through the four-eyes lifecycle and authorised for the license service's
// client); the license service runs in a child process (this file with --serve) exactly as main.ts
// builds it, NODE_ENV=production, with SEAL_URL pointing at the seal service and its service client
// getting tokens by client_credentials from a stand-in identity token endpoint here. The database is
// BENCH_DATABASE_URL or TEST_DATABASE_URL when set, else an embedded PostgreSQL.
//
// Uploads go in batches of --batch-rows rows (default 10,000: one upload of ~7 MB of JSON, which
// batch.issue accepts up to BATCH_BODY_LIMIT_BYTES while other calls keep the 1 MiB default).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, release as osRelease, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import {
  applyMigrations,
  databaseUrlWithName,
  dropDatabase,
  ensureDatabase,
  findFreePort,
  startEmbeddedPostgres,
} from '@platform/db';
import { createLicenseClient } from '@platform/contracts';
import { creditCodeCheckChar } from '@platform/identifiers';
import { createLicenseService } from '@platform/license/src/app.ts';
import { createLicenseCore } from '@platform/license/src/composition.ts';
import { createDatabase } from '@platform/license/src/db.ts';
import { SEED_TYPES } from '@platform/license/src/domain/types/seed-types.ts';
import { loadEnv } from '@platform/license/src/env.ts';
import { RESOURCE as LICENSE_RESOURCE } from '@platform/license/src/meta.ts';
import {
  activateTestSeal,
  SEAL_MIGRATIONS_DIR,
  SEAL_RESOURCE,
  startTestSealService,
  type TestSealService,
} from '../apps/seal/src/testing.ts';
import { serveForBench, type ChildMessage, type ParentMessage } from './servers/child.ts';
import { businessLicenceFields } from '@platform/license/src/domain/types/sample-fields.ts';

const here = dirname(fileURLToPath(import.meta.url));
const LICENSE_DATABASE = 'bench_license_batch';
const SEAL_DATABASE = 'bench_seal_batch';
const SERVICE_CLIENT = { id: 'bench-license-service', secret: randomBytes(24).toString('base64url') };
const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    quick: { type: 'boolean' },
    licenses: { type: 'string' },
    'batch-rows': { type: 'string' },
    'cpu-prof': { type: 'boolean' },
  },
});

// ---------------------------------------------------------------------------------------------
// Parent

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer (got ${raw})`);
  return value;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
type Cleanups = Array<() => Promise<unknown>>;

async function runBenchmark(): Promise<void> {
  const config = {
    licenses: positiveInteger('licenses', args.licenses, args.quick ? 1_000 : 10_000),
    batchRows: Math.min(10_000, positiveInteger('batch-rows', args['batch-rows'], 10_000)),
  };
  const cleanups: Cleanups = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\ninterrupted: stopping services and database…\n');
    void cleanUp().then(() => process.exit(130));
  });

  try {
    const cpuList = cpus();
    const machine = {
      node: process.version,
      platform: `${process.platform} ${osRelease()} ${process.arch}`,
      cpuCount: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      loadAverageAtStart: loadavg().map(round2),
      uptimeAtStart: uptime(),
    };
    const postgres = await providePostgres(cleanups);
    const sealDatabase = await postgres.freshDatabase(SEAL_DATABASE, SEAL_MIGRATIONS_DIR);

    // Identity stand-in (token issuer + client_credentials), then the seal service trusting it.
    const issuer = await startTestIssuer();
    cleanups.push(() => issuer.close());
    const identity = await startIdentityStandIn(issuer);
    cleanups.push(() => identity.close());
    const seal = await startTestSealService({
      databaseUrl: sealDatabase,
      issuerUrl: identity.url,
      mint: (claims) => issuer.mint({ ...claims, iss: identity.url }),
      port: await findFreePort(),
    });
    cleanups.push(() => seal.close());
    const type = SEED_TYPES.find((seed) => seed.name === '营业执照');
    if (!type) throw new Error('no seed type 营业执照');
    const sealView = await activateTestSeal(seal, {
      orgCode: type.issuingAuthority.code,
      orgName: type.issuingAuthority.name,
      name: `${type.issuingAuthority.name}电子证照专用章`,
      kind: 'official',
      subjects: [SERVICE_CLIENT.id],
      documentTypes: ['license'],
    });

    console.log(
      '# Batch issue of licenses with sealed PDF files (license.batch.issue → batch worker → file worker → seal service sign.pdf)',
    );
    console.log();
    console.log(
      `- machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}`,
    );
    console.log(`- uptime before the run: ${machine.uptimeAtStart}`);
    const [load1 = 0] = machine.loadAverageAtStart;
    if (load1 > machine.cpuCount / 2)
      console.log(
        `- WARNING: load average ${load1} on ${machine.cpuCount} CPUs before the run: other work competes, figures will be noisy`,
      );
    console.log(`- database: ${postgres.kind}`);
    console.log(
      `- ${config.licenses.toLocaleString('en')} business licences (营业执照, one holder each), uploaded in batches of ${config.batchRows.toLocaleString('en')} rows`,
    );
    console.log(
      `- license service: one child process, NODE_ENV=production, default worker settings; seal service: in this process, seal ${sealView.keyAlgorithm ?? 'ecdsa-p256'} (${sealView.name}), PAdES with timestamp`,
    );
    console.log();

    const sharedEnv = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      PUBLIC_URL: 'https://license.bench.invalid',
      IDENTITY_ISSUER_URL: identity.url,
      SEAL_URL: seal.url,
      SEAL_RESOURCE,
      SERVICE_CLIENT_ID: SERVICE_CLIENT.id,
      SERVICE_CLIENT_SECRET: SERVICE_CLIENT.secret,
    };
    const rounds: Round[] = [];
    for (const sealing of [false, true]) {
      process.stderr.write(`${sealing ? 'issuing + sealing' : 'issuing alone'}: `);
      const databaseUrl = await postgres.freshDatabase(LICENSE_DATABASE, LICENSE_MIGRATIONS_DIR);
      const round = await runRound({
        sealing,
        config,
        env: {
          ...sharedEnv,
          DATABASE_URL: databaseUrl,
          // Issuing alone: the file worker looks for work once at start, then not for a day.
          ...(sealing ? {} : { FILE_POLL_MS: String(86_400_000) }),
        },
        clerkToken: () =>
          issuer.mint({
            iss: identity.url,
            sub: 'bench-clerk',
            aud: LICENSE_RESOURCE,
            scope: 'license:issue license:read',
          }),
        seal,
        postgres,
        cleanups,
      });
      rounds.push(round);
      process.stderr.write(
        `${round.issuedPerSecond.toFixed(1)} issued/s${round.sealedPerSecond ? `, ${round.sealedPerSecond.toFixed(1)} issued+sealed/s` : ''}\n`,
      );
    }

    const [alone, sealed] = rounds as [Round, Round];
    console.log('| round | licenses | issued in s | issued/s | all sealed in s | issued+sealed/s |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const round of rounds)
      console.log(
        `| ${round.sealing ? 'issuing + sealing' : 'issuing alone (files left pending)'} | ${round.licenses.toLocaleString('en')} | ${round.issuedSeconds.toFixed(1)} | ${round.issuedPerSecond.toFixed(1)} | ${round.sealedSeconds?.toFixed(1) ?? '–'} | ${round.sealedPerSecond?.toFixed(1) ?? '–'} |`,
      );
    console.log();
    console.log('CPU during each round (seconds, and per license):');
    console.log();
    console.log(
      '| round | license service | seal service (+ load driver) | PostgreSQL | seal share of service CPU | machine busy |',
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const round of rounds) {
      const perLicense = (seconds: number | null) =>
        seconds === null ? '–' : `${seconds.toFixed(1)} s (${((seconds * 1000) / round.licenses).toFixed(1)} ms)`;
      const services = round.cpu.licenseService + round.cpu.sealProcess + (round.cpu.postgres ?? 0);
      console.log(
        `| ${round.sealing ? 'issuing + sealing' : 'issuing alone'} | ${perLicense(round.cpu.licenseService)} | ${perLicense(round.cpu.sealProcess)} | ${perLicense(round.cpu.postgres)} | ${((round.cpu.sealProcess / services) * 100).toFixed(0)} % | ${(round.cpu.machineBusy * 100).toFixed(0)} % |`,
      );
    }
    console.log();
    const sealExtra = sealed.cpu.licenseService - alone.cpu.licenseService;
    console.log(
      `- sealing adds ${((sealExtra * 1000) / sealed.licenses).toFixed(1)} ms of license-service CPU per license (rendering the PDF, calling sign.pdf, storing both files) and ${(((sealed.cpu.sealProcess - alone.cpu.sealProcess) * 1000) / sealed.licenses).toFixed(1)} ms of seal-service CPU`,
    );
    console.log(`- sample sealed file: ${sealed.sample}`);
    const uptimeAtEnd = uptime();
    console.log(`- uptime after the run: ${uptimeAtEnd}`);

    const dir = join(here, 'results');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'license-batch-issue.json');
    await writeFile(
      file,
      `${JSON.stringify(
        {
          benchmark: 'license-batch-issue',
          at: new Date().toISOString(),
          machine: { ...machine, loadAverageAtEnd: loadavg().map(round2), uptimeAtEnd },
          database: postgres.kind,
          config,
          seal: { name: sealView.name, keyAlgorithm: sealView.keyAlgorithm ?? null },
          rounds,
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

const LICENSE_MIGRATIONS_DIR = join(here, '..', 'apps', 'license', 'prisma', 'migrations');

function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(', ')}`;
  }
}

interface Postgres {
  kind: string;
  /** Drops and recreates `name`, migrated; its URL. */
  freshDatabase(name: string, migrationsDir: string): Promise<string>;
  /** CPU seconds used by the PostgreSQL processes so far (embedded server only). */
  cpuSeconds(): number | null;
}

async function providePostgres(cleanups: Cleanups): Promise<Postgres> {
  let adminUrl: string;
  let kind: string;
  let dataDir: string | undefined;
  if (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL) {
    adminUrl = (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL) as string;
    kind = process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL server' : 'TEST_DATABASE_URL server';
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'platform-bench-pg-'));
    const dir = dataDir;
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const server = await startEmbeddedPostgres({ dataDir, port: await findFreePort() });
    cleanups.push(() => server.stop());
    adminUrl = await server.ensureDatabase('bench_admin');
    kind = `embedded PostgreSQL (127.0.0.1:${server.port})`;
  }
  return {
    kind,
    async freshDatabase(name, migrationsDir) {
      await dropDatabase(adminUrl, name).catch(() => undefined);
      await ensureDatabase(adminUrl, name);
      const url = databaseUrlWithName(adminUrl, name);
      await applyMigrations({ migrationsDir, databaseUrl: url });
      return url;
    },
    cpuSeconds: () => (dataDir ? postgresCpuSeconds(dataDir) : null),
  };
}

/** CPU seconds of the postmaster serving `dataDir` (with its reaped children) and its live backends. */
function postgresCpuSeconds(dataDir: string): number | null {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; ticks: number; childTicks: number }>();
  let postmaster: number | undefined;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) in parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(pid, {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        childTicks: Number(fields[13]) + Number(fields[14]),
      });
      if (postmaster === undefined && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir)) postmaster = pid;
    } catch {
      // the process ended while we looked
    }
  }
  if (postmaster === undefined) return null;
  const main = stats.get(postmaster);
  if (!main) return null;
  let ticks = main.ticks + main.childTicks;
  for (const stat of stats.values()) if (stat.ppid === postmaster) ticks += stat.ticks;
  return ticks / ticksPerSecond;
}

/**
 * Identity as the services see it: the issuer's JWKS, and a client_credentials token endpoint for
 * the license service's client (tokens signed by the test issuer, issued under this URL).
 */
async function startIdentityStandIn(issuer: TestIssuer): Promise<{ url: string; close(): Promise<void> }> {
  const jwks = await (await fetch(issuer.jwksUrl)).text();
  let url = '';
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/oidc/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      return;
    }
    if (req.method === 'POST' && req.url === '/oidc/token') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
          .toString('utf8')
          .split(':')
          .map((part) => decodeURIComponent(part));
        if (
          form.get('grant_type') !== 'client_credentials' ||
          id !== SERVICE_CLIENT.id ||
          secret !== SERVICE_CLIENT.secret
        ) {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
          return;
        }
        void issuer
          .mint(
            { iss: url, sub: id, client_id: id, aud: form.get('resource') ?? '', scope: form.get('scope') ?? '' },
            { expiresInSeconds: 3600 },
          )
          .then((token) =>
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 })),
          );
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Round {
  sealing: boolean;
  licenses: number;
  batches: number;
  issuedSeconds: number;
  issuedPerSecond: number;
  sealedSeconds: number | null;
  sealedPerSecond: number | null;
  /** Files whose sealing failed at least once before it succeeded (seal service refusals, timeouts). */
  filesRetried: number;
  cpu: { licenseService: number; sealProcess: number; postgres: number | null; machineBusy: number };
  licenseServiceRssMb: number;
  sample: string;
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

/** The upload rows: business licences, each for its own firm, under unique case ids. */
function rowsFor(count: number, runId: string) {
  const type = SEED_TYPES.find((seed) => seed.name === '营业执照')!;
  return Array.from({ length: count }, (_, i) => {
    const first17 = `91370102MA${String(1_000_000 + i).slice(1)}P`;
    const name = `泉城软件${i}号有限公司`;
    return {
      caseId: `bench-batch-${runId}-${i}`,
      typeCode: type.code,
      holder: { codeType: 'credit_code' as const, code: first17 + creditCodeCheckChar(first17), name },
      fields: businessLicenceFields(name, { address: `山东省济南市历下区泺源大街${100 + (i % 900)}号` }),
    };
  });
}

async function runRound(options: {
  sealing: boolean;
  config: { licenses: number; batchRows: number };
  env: Record<string, string>;
  clerkToken: () => Promise<string>;
  seal: TestSealService;
  postgres: Postgres;
  cleanups: Cleanups;
}): Promise<Round> {
  const { sealing, config, postgres } = options;
  const profileDir = join(here, 'results', 'profiles', `license-batch-${sealing ? 'sealing' : 'issuing'}`);
  const nodeFlags = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve'],
    {
      cwd: here,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, ...options.env, HOST: '127.0.0.1', PORT: '0' },
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
  options.cleanups.push(stop);
  const ask = <T extends ChildMessage['type']>(type: T, send?: ParentMessage) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`license service: no ${type} message within 120 s`)), 120_000);
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`license service exited (code ${code})`));
      });
      if (send) child.send(send);
    });

  try {
    const { port } = await ask('listening');
    const url = `http://127.0.0.1:${port}`;
    const clerk = createLicenseClient({ url, getToken: options.clerkToken });
    const db = createDatabase(options.env.DATABASE_URL!);
    options.cleanups.push(() => db.$disconnect());
    const rows = rowsFor(config.licenses, randomBytes(4).toString('hex'));

    const licenseBefore = await ask('cpu', { type: 'cpu' });
    const ownBefore = process.cpuUsage();
    const postgresBefore = postgres.cpuSeconds();
    const machineBefore = cpuTimes();
    const began = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - began) / 1e9;

    const batchIds: string[] = [];
    for (let start = 0; start < rows.length; start += config.batchRows)
      batchIds.push((await clerk.batch.issue.mutate({ rows: rows.slice(start, start + config.batchRows) })).id);

    // Issued: every batch marked done by the worker.
    const deadline = Date.now() + Math.max(600_000, config.licenses * 2_000);
    const pending = new Set(batchIds);
    let issued = 0;
    while (pending.size > 0) {
      if (Date.now() > deadline) throw new Error(`batches not done in time (${pending.size} left)`);
      await sleep(200);
      for (const batchId of [...pending]) {
        const view = await clerk.batch.get.query({ batchId, includeRows: false });
        if (!view.done) continue;
        if (view.errors > 0 || view.duplicates > 0)
          throw new Error(`batch ${batchId}: ${view.errors} errors, ${view.duplicates} duplicates`);
        issued += view.issued;
        pending.delete(batchId);
      }
    }
    const issuedSeconds = elapsed();
    if (issued !== config.licenses) throw new Error(`issued ${issued} of ${config.licenses}`);

    // Sealed: every license's file stored as sealed.
    let sealedSeconds: number | null = null;
    if (sealing) {
      for (;;) {
        const [counts] = await db.$queryRaw<Array<{ sealed: bigint; total: bigint }>>`
          SELECT count(*) FILTER (WHERE state = 'sealed') AS sealed, count(*) AS total FROM license_file`;
        if (Number(counts?.total) !== config.licenses)
          throw new Error(`${String(counts?.total)} license files for ${config.licenses} licenses`);
        if (Number(counts?.sealed) === config.licenses) break;
        if (Date.now() > deadline) throw new Error(`only ${String(counts?.sealed)} files sealed in time`);
        await sleep(200);
      }
      sealedSeconds = elapsed();
    }

    const machineAfter = cpuTimes();
    const own = process.cpuUsage(ownBefore);
    const postgresAfter = postgres.cpuSeconds();
    const licenseAfter = await ask('cpu', { type: 'cpu' });
    const [retried] = await db.$queryRaw<Array<{ count: bigint }>>`
      SELECT count(*) AS count FROM license_file WHERE attempts > 1 OR (state <> 'sealed' AND attempts > 0)`;
    const sample = sealing ? await checkSample(clerk, rows.at(-1)!.caseId, db) : 'none (files left pending_seal)';
    return {
      sealing,
      licenses: config.licenses,
      batches: batchIds.length,
      issuedSeconds: round2(issuedSeconds),
      issuedPerSecond: round2(config.licenses / issuedSeconds),
      sealedSeconds: sealedSeconds === null ? null : round2(sealedSeconds),
      sealedPerSecond: sealedSeconds === null ? null : round2(config.licenses / sealedSeconds),
      filesRetried: Number(retried?.count ?? 0),
      cpu: {
        licenseService: round2(
          (licenseAfter.userUs + licenseAfter.systemUs - licenseBefore.userUs - licenseBefore.systemUs) / 1e6,
        ),
        sealProcess: round2((own.user + own.system) / 1e6),
        postgres: postgresBefore === null || postgresAfter === null ? null : round2(postgresAfter - postgresBefore),
        machineBusy: round2((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)),
      },
      licenseServiceRssMb: Math.round(licenseAfter.rssBytes / 2 ** 20),
      sample,
    };
  } finally {
    await stop();
  }
}

/** One sealed file, fetched as a clerk would: its size and what pdfsig and qpdf say of it. */
async function checkSample(
  clerk: ReturnType<typeof createLicenseClient>,
  caseId: string,
  db: ReturnType<typeof createDatabase>,
): Promise<string> {
  const license = await db.license.findFirst({ where: { caseId }, select: { identifier: true } });
  if (!license) throw new Error(`no license for case ${caseId}`);
  const file = await clerk.file.query({ identifier: license.identifier });
  if (file.state !== 'sealed' || !file.pdf) throw new Error(`file of ${license.identifier} is ${file.state}`);
  const pdf = Buffer.from(file.pdf, 'base64');
  const dir = await mkdtemp(join(tmpdir(), 'bench-license-file-'));
  try {
    const path = join(dir, 'sample.pdf');
    await writeFile(path, pdf);
    const tool = (command: string, toolArgs: string[]) => {
      try {
        return execFileSync(command, toolArgs, { encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; code?: string };
        return e.code === 'ENOENT' ? `(${command} not installed)` : `${e.stdout ?? ''}${e.stderr ?? ''}`;
      }
    };
    const signature = /Signature Validation: ([^\n]+)/.exec(tool('pdfsig', ['-no-ocsp', path]))?.[1] ?? 'no signature';
    const qpdf = tool('qpdf', ['--check', path]).includes('No syntax or stream encoding errors')
      ? 'clean'
      : 'NOT clean';
    return `${license.identifier}, ${(pdf.length / 1024).toFixed(1)} KB, pdfsig: ${signature.trim()}, qpdf --check: ${qpdf}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Entry (last, so that every declaration above is initialised). Child: the license service exactly
// as main.ts builds it, on DATABASE_URL; parent: the benchmark.

if (args.serve) {
  await serveForBench(async () => {
    const env = loadEnv({ ...process.env, PORT: '0' });
    const db = createDatabase(env.DATABASE_URL);
    const core = createLicenseCore(env, db);
    await core.types.seed();
    const service = createLicenseService(env, db, { core });
    const port = await service.listen(0, '127.0.0.1');
    return { port, close: () => service.close() };
  });
} else {
  await runBenchmark();
}
