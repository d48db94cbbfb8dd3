// Verifying a sealed ~100 KB PDF (PAdES B-T: RSA-2048 seal, RFC 3161 timestamp, chain to the
// service's root, revocation from the CA's current CRL in PostgreSQL, seal lookup by certificate):
//   1. in-process: verifyPdf with the service's trust, as one verify.pdf request does it (one at a
//      time, and several in flight), with the CPU time it costs;
//   2. over HTTP: POST /api/verify/pdf (base64 in JSON) with autocannon against the seal service
//      in a child process.
// No peer is run side by side: EU DSS (Java) and pdfsig are not comparable in-process verifiers.
//
//   npx tsx seal-verify.bench.ts                  # 4 s in-process, 2 s warm-up + 8 s HTTP
//   npx tsx seal-verify.bench.ts --quick          # 2 s, 1 s + 3 s
//   npx tsx seal-verify.bench.ts --connections 8
//
// The database is BENCH_DATABASE_URL or TEST_DATABASE_URL when set, else an embedded PostgreSQL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createAuthority, createSealService } from '../apps/seal/src/app.ts';
import { OID } from '../apps/seal/src/domain/asn1/oids.ts';
import { certificateFacts } from '../apps/seal/src/domain/ca/certificate-facts.ts';
import { drawSeal } from '../apps/seal/src/domain/images/seal-image.ts';
import { signPdf } from '../apps/seal/src/domain/pdf/pades-sign.ts';
import { TimestampAuthority } from '../apps/seal/src/domain/tsa/timestamp-authority.ts';
import { serviceTrust } from '../apps/seal/src/domain/verify/service-trust.ts';
import { verifyPdf } from '../apps/seal/src/domain/verify/verify-pdf.ts';
import { createDatabase } from '../apps/seal/src/db.ts';
import { loadEnv } from '../apps/seal/src/env.ts';
import { SealHistoryRepository } from '../apps/seal/src/repositories/seal-history-repository.ts';
import { machine, rate } from './seal/fixture.ts';
import { serveForBench, type ChildMessage } from './servers/child.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    quick: { type: 'boolean' },
    connections: { type: 'string' },
  },
});

if (args.serve) {
  // Child: the seal service as main.ts builds it, on DATABASE_URL (logs silenced: stdout is ignored anyway).
  await serveForBench(async () => {
    const env = loadEnv({ ...process.env, PORT: '0' });
    const service = createSealService(env, createDatabase(env.DATABASE_URL));
    const port = await service.listen(0, '127.0.0.1');
    return { port, close: () => service.close() };
  });
} else {
  await run();
}

async function provideDatabase(cleanups: Array<() => Promise<unknown>>): Promise<string> {
  const db = await import('@platform/db');
  let url: string;
  if (process.env.BENCH_DATABASE_URL) {
    url = process.env.BENCH_DATABASE_URL;
  } else if (process.env.TEST_DATABASE_URL) {
    await db.dropDatabase(process.env.TEST_DATABASE_URL, 'bench_seal_verify').catch(() => undefined);
    await db.ensureDatabase(process.env.TEST_DATABASE_URL, 'bench_seal_verify');
    url = db.databaseUrlWithName(process.env.TEST_DATABASE_URL, 'bench_seal_verify');
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'platform-bench-pg-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const server = await db.startEmbeddedPostgres({ dataDir, port: await db.findFreePort() });
    cleanups.push(() => server.stop());
    url = await server.ensureDatabase('bench_seal_verify');
  }
  await db.applyMigrations({
    migrationsDir: join(here, '..', 'apps', 'seal', 'prisma', 'migrations'),
    databaseUrl: url,
  });
  return url;
}

/** Operations per second with `concurrency` loops running `once` side by side for about `ms`. */
async function rateConcurrent(once: () => Promise<unknown>, ms: number, concurrency: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  const loop = async () => {
    while (performance.now() - start < ms) {
      await once();
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return (count * 1000) / (performance.now() - start);
}

async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < 3; i++) {
    doc.addPage([595.28, 841.89]).drawText(`Contract page ${i + 1}`, { x: 72, y: 760, size: 18, font });
  }
  await doc.attach(randomBytes(96 * 1024), 'annex.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save());
}

async function run(): Promise<void> {
  const quick = args.quick ?? false;
  const config = {
    inProcessSeconds: quick ? 2 : 4,
    warmupSeconds: quick ? 1 : 2,
    httpSeconds: quick ? 3 : 8,
    connections: Number(args.connections ?? 4),
  };
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const databaseUrl = await provideDatabase(cleanups);
    const serverEnv = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    };
    const env = loadEnv(serverEnv);
    const db = createDatabase(databaseUrl);
    cleanups.push(() => db.$disconnect());
    const authority = await createAuthority(env, db)();

    // One sealed document, made by the service's own PAdES code with its CA and TSA.
    const now = Date.now();
    const record = await authority.issueSealCertificate({
      subject: { commonName: '基准测试单位公章', organization: '基准测试单位', country: 'CN' },
      algorithm: 'rsa-2048',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 365 * 86400_000),
    });
    const tsa = new TimestampAuthority(() => authority.timestamping());
    const image = drawSeal({ shape: 'round', widthMm: 42, heightMm: 42, organisation: '基准测试单位', caption: '' });
    const input = await samplePdf();
    const { pdf } = await signPdf(
      input,
      {
        placement: { page: 1, x: 380, y: 80, widthMm: 42, heightMm: 42 },
        image: image.raster,
        signingTime: new Date(),
        name: '基准测试单位',
      },
      {
        signer: authority.signerOf(record),
        certificate: certificateFacts(record.der),
        chain: (await authority.chain()).map((m) => m.facts),
        timestamp: async (imprint) =>
          (await tsa.token({ hashAlgorithm: OID.sha256, hashedMessage: imprint, certReq: true })).der,
      },
    );

    // 1. In-process: trust (root, CRLs) loaded per verification, as each request does.
    const seals = new SealHistoryRepository(db);
    const verifyOnce = async () => {
      const report = await verifyPdf(pdf, await serviceTrust(authority, seals));
      if (report.verdict !== 'passed') throw new Error(`verification did not pass: ${report.reason}`);
    };
    await rate(verifyOnce, 500);
    const cpuBefore = process.cpuUsage();
    let verified = 0;
    const counted = async () => {
      await verifyOnce();
      verified++;
    };
    const inProcess = await rate(counted, config.inProcessSeconds * 1000);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerVerification = (cpu.user + cpu.system) / 1000 / verified;
    // Several in flight, as a server has: database round trips overlap with other verifications' CPU work.
    const concurrent = await rateConcurrent(verifyOnce, config.inProcessSeconds * 1000, config.connections);

    // 2. Over HTTP, server in a child process, the same database and key-encryption key.
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
      cwd: here,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, ...serverEnv, HOST: '127.0.0.1', PORT: '0' },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.on('message', (message: ChildMessage) => message.type === 'listening' && resolve(message.port));
      child.once('exit', (code) => reject(new Error(`seal server exited (${code})`)));
    });
    const url = `http://127.0.0.1:${port}/api/verify/pdf`;
    const body = JSON.stringify({ pdf: pdf.toString('base64') });
    const check = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const sample = (await check.json()) as { verdict?: string };
    if (check.status !== 200 || sample.verdict !== 'passed') throw new Error(`verify.pdf answered ${check.status}`);
    const load = (seconds: number) =>
      autocannon({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections: config.connections,
        duration: seconds,
      });
    await load(config.warmupSeconds);
    const http = await load(config.httpSeconds);

    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      inputPdfBytes: input.length,
      sealedPdfBytes: pdf.length,
      config,
      inProcess: {
        sequentialPerSecond: inProcess,
        concurrentPerSecond: concurrent,
        concurrency: config.connections,
        cpuMsPerVerification,
      },
      http: {
        requestsPerSecond: http.requests.average,
        latencyMs: { p50: http.latency.p50, p99: http.latency.p99 },
        non2xx: http.non2xx,
        errors: http.errors,
      },
    };
    const m = result.machine;
    console.log('# Verify a sealed ~100 KB PDF (PAdES B-T, RSA-2048, chain + CRL + seal lookup)');
    console.log();
    console.log(
      `- machine: ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, load ${m.loadAverage.join(' ')}`,
    );
    console.log(
      `- PDF: ${input.length} bytes, ${pdf.length} once sealed (seal image, CMS); HTTP: ${config.connections} connections, ${config.httpSeconds} s`,
    );
    console.log();
    console.log('| path | verifications/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |');
    console.log(`| in-process verifyPdf, one at a time | ${inProcess.toFixed(1)} | | |`);
    console.log(`| in-process verifyPdf, ${config.connections} in flight | ${concurrent.toFixed(1)} | | |`);
    console.log(
      `| HTTP POST /api/verify/pdf | ${http.requests.average.toFixed(1)} | ${http.latency.p50} | ${http.latency.p99} |`,
    );
    console.log(
      `- CPU per in-process verification: ${cpuMsPerVerification.toFixed(1)} ms (this process, including its database client)`,
    );
    if (http.non2xx || http.errors) console.log(`- WARNING: ${http.non2xx} non-2xx, ${http.errors} errors`);
    const dir = join(here, 'results');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'seal-verify.json');
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`- raw results: ${file}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
