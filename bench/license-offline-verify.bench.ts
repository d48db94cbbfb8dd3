// Offline e-license verification with @platform/license-verifier (ES256 signature + header + claims
// + both status-list lookups + validity period) vs the raw primitive it cannot beat: one node:crypto
// ES256 verify of the same credential's signature. Same process, same credentials, alternating
// rounds. The credentials, JWKS and signed status lists are real: a license node (in this process,
// on a throwaway database) issues them, as a counter terminal would have cached them.
//
//   npx tsx license-offline-verify.bench.ts                 # 5 rounds × 20,000 verifications
//   npx tsx license-offline-verify.bench.ts --quick         # 3 rounds × 5,000
//   npx tsx license-offline-verify.bench.ts --rounds 7 --per-round 50000
//
// Options also come from the environment: BENCH_ROUNDS, BENCH_PER_ROUND. The database is
// BENCH_DATABASE_URL or TEST_DATABASE_URL when set, else an embedded PostgreSQL.
import { createPublicKey, randomBytes, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release as osRelease, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { creditCodeCheckChar } from '@platform/identifiers';
import { StatusListCache, TrustStore, parseJws, verifyLicenseCredential } from '@platform/license-verifier';
import { createLicenseCore } from '@platform/license/src/composition.ts';
import { createDatabase } from '@platform/license/src/db.ts';
import { SEED_TYPES } from '@platform/license/src/domain/types/seed-types.ts';
import { loadEnv } from '@platform/license/src/env.ts';
import { businessLicenceFields } from '@platform/license/src/domain/types/sample-fields.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: { rounds: { type: 'string' }, 'per-round': { type: 'string' }, quick: { type: 'boolean' } },
});
const quick = args.quick ?? false;
const positive = (name: string, raw: string | undefined, fallback: number) => {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (got ${raw})`);
  return value;
};
const ROUNDS = positive('rounds', args.rounds ?? process.env.BENCH_ROUNDS, quick ? 3 : 5);
const PER_ROUND = positive('per-round', args['per-round'] ?? process.env.BENCH_PER_ROUND, quick ? 5_000 : 20_000);
const CREDENTIALS = 64;
const TARGET = 0.8;
const DATABASE_NAME = 'bench_license_offline';

const cleanups: Array<() => Promise<unknown>> = [];
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
}

async function provideDatabase(): Promise<{ url: string; kind: string }> {
  const db = await import('@platform/db');
  let database: { url: string; kind: string };
  if (process.env.BENCH_DATABASE_URL) {
    database = { url: process.env.BENCH_DATABASE_URL, kind: 'BENCH_DATABASE_URL' };
  } else if (process.env.TEST_DATABASE_URL) {
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
    database = { url: await server.ensureDatabase(DATABASE_NAME), kind: 'embedded PostgreSQL' };
  }
  await db.applyMigrations({
    migrationsDir: join(here, '..', 'apps', 'license', 'prisma', 'migrations'),
    databaseUrl: database.url,
  });
  return database;
}

const businessLicence = SEED_TYPES.find((type) => type.name === '营业执照');
if (!businessLicence) throw new Error('no seed type 营业执照');
const creditCode = (first17: string) => first17 + creditCodeCheckChar(first17);

/** Issues real credentials (a few revoked, a few suspended) and exports what an offline verifier caches. */
async function issueCredentials(databaseUrl: string) {
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    PUBLIC_URL: 'https://license.bench.invalid',
  });
  const db = createDatabase(databaseUrl);
  cleanups.push(() => db.$disconnect());
  const core = createLicenseCore(env, db);
  await core.types.seed();
  const clerk = { subject: 'bench-clerk' };
  const jwts: string[] = [];
  for (let i = 0; i < CREDENTIALS; i++) {
    const code = creditCode(`91370102MA${String(1_000_000 + i).slice(1)}P`);
    const license = await core.issuing.issue(
      {
        caseId: `bench-offline-${randomBytes(6).toString('hex')}-${i}`,
        typeCode: businessLicence?.code ?? '',
        holder: { codeType: 'credit_code', code, name: `济南泉城软件${i}号有限公司` },
        fields: businessLicenceFields(`济南泉城软件${i}号有限公司`),
      },
      clerk,
    );
    if (i % 16 === 3) await core.statusChanges.change(license.identifier, 'revoke', 'bench', clerk);
    if (i % 16 === 7) await core.statusChanges.change(license.identifier, 'suspend', 'bench', clerk);
    // The credential as the holder keeps it: revocation and suspension change lists, not credentials.
    jwts.push(license.credential);
  }
  const issuerCode = businessLicence?.issuingAuthority.code ?? '';
  const jwks = await core.keys.jwks(issuerCode);
  const lists = await Promise.all(
    (['revocation', 'suspension'] as const).map((purpose) => core.statusLists.signed(issuerCode, purpose, 0)),
  );
  return { jwts, issuerId: core.keys.issuerId(issuerCode), jwks, lists };
}

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
  const { jwts, issuerId, jwks, lists } = await issueCredentials(database.url);

  // What the offline verifier holds: the issuer's JWKS and the two signed status lists.
  const trust = new TrustStore([{ id: issuerId, jwks }]);
  const statusLists = new StatusListCache(trust);
  for (const list of lists) {
    if (!list) throw new Error('the node published no status list');
    statusLists.add(list);
  }
  const now = new Date();
  const expected = jwts.map((jwt) => verifyLicenseCredential(jwt, { trust, statusLists, now }));
  const statuses = expected.reduce<Record<string, number>>((count, verdict) => {
    if (!verdict.authentic) throw new Error(`a credential did not verify: ${verdict.failure?.message ?? ''}`);
    const status = verdict.status ?? 'null';
    count[status] = (count[status] ?? 0) + 1;
    return count;
  }, {});

  // The raw primitive on the same credentials: signing input and P-1363 signature, key imported once.
  const keys = new Map<string, KeyObject>(
    jwks.keys.map((jwk) => [String(jwk.kid), createPublicKey({ key: { ...jwk }, format: 'jwk' })]),
  );
  const parts = jwts.map((jwt) => {
    const [header, payload, signature] = jwt.split('.');
    const key = keys.get(String(parseJws(jwt)?.header.kid));
    if (!key) throw new Error('credential signed by an unknown key');
    return { key, data: Buffer.from(`${header}.${payload}`), signature: Buffer.from(signature ?? '', 'base64url') };
  });

  const measure = (op: (i: number) => void): number => {
    const began = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) op(i);
    return PER_ROUND / (Number(process.hrtime.bigint() - began) / 1e9);
  };
  const raw: number[] = [];
  const ours: number[] = [];
  // Where the difference goes: decoding the compact JWS (base64url, UTF-8, JSON) with no signature check.
  const parsing: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const rawRound = () =>
      measure((i) => {
        const part = parts[i % parts.length];
        if (!part || !cryptoVerify('sha256', part.data, { key: part.key, dsaEncoding: 'ieee-p1363' }, part.signature))
          throw new Error('raw verify failed');
      });
    const oursRound = () =>
      measure((i) => {
        const verdict = verifyLicenseCredential(jwts[i % jwts.length] ?? '', { trust, statusLists, now });
        if (verdict.status !== expected[i % jwts.length]?.status) throw new Error('verdict changed');
      });
    parsing.push(
      measure((i) => {
        if (!parseJws(jwts[i % jwts.length] ?? '')) throw new Error('parse failed');
      }),
    );
    // Alternate which goes first, so warm-up and drift do not favour one side.
    if (round % 2 === 0) {
      raw.push(rawRound());
      ours.push(oursRound());
    } else {
      ours.push(oursRound());
      raw.push(rawRound());
    }
    process.stderr.write(
      `round ${round + 1}/${ROUNDS}: raw ${Math.round(raw.at(-1) ?? 0)}/s, verifier ${Math.round(ours.at(-1) ?? 0)}/s\n`,
    );
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const ratios = raw.map((r, i) => (ours[i] ?? 0) / r);
  const result = {
    at: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
    database: database.kind,
    rounds: ROUNDS,
    perRound: PER_ROUND,
    credentials: { count: jwts.length, bytesAverage: Math.round(jwts.join('').length / jwts.length), statuses },
    rawNodeCryptoVerifyPerSecond: Math.round(median(raw)),
    licenseVerifierPerSecond: Math.round(median(ours)),
    parseOnlyPerSecond: Math.round(median(parsing)),
    microseconds: {
      raw: Math.round(1e6 / median(raw)),
      verifier: Math.round(1e6 / median(ours)),
      parseOnly: Math.round(1e6 / median(parsing)),
    },
    ratio: Math.round((median(ours) / median(raw)) * 100) / 100,
    ratioPerRound: ratios.map((r) => Math.round(r * 100) / 100),
    target: TARGET,
    raw,
    ours,
    parsing,
  };

  console.log('# Offline license credential verification');
  console.log();
  console.log(
    `- machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`,
  );
  console.log(
    `- ${jwts.length} real credentials (${result.credentials.bytesAverage} bytes each, statuses ${JSON.stringify(statuses)}), ${ROUNDS} rounds × ${PER_ROUND}, order alternating`,
  );
  console.log();
  console.log(`| variant | verifications/s (median of ${ROUNDS}) | µs each |\n| --- | ---: | ---: |`);
  console.log(
    `| raw node:crypto ES256 verify (signature only) | ${result.rawNodeCryptoVerifyPerSecond} | ${result.microseconds.raw} |`,
  );
  console.log(
    `| @platform/license-verifier verifyLicenseCredential (signature + claims + 2 status lists + validity) | ${result.licenseVerifierPerSecond} | ${result.microseconds.verifier} |`,
  );
  console.log(
    `| (breakdown) parseJws alone: base64url + UTF-8 + JSON.parse of the credential, no signature | ${result.parseOnlyPerSecond} | ${result.microseconds.parseOnly} |`,
  );
  console.log();
  console.log(
    `ratio verifier / raw: **${result.ratio}** (per round ${result.ratioPerRound.join(', ')}) — target ≥ ${TARGET}: ${result.ratio >= TARGET ? 'met' : 'NOT met'}`,
  );
  const dir = join(here, 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'license-offline-verify.json');
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`- raw results: ${file}`);
}

try {
  await main();
} finally {
  await cleanUp();
}
