// client_credentials token issuance over HTTP: the identity service against node-oidc-provider
// (npm `oidc-provider`, same grant, ES256 JWT access tokens, same machine, same run), reported
// as tokens/s, tokens/s per server core, and the ratio identity / oidc-provider.
//
//   cd bench && npx tsx identity-client-credentials.bench.ts   # 2 rounds × 2 servers × (2 s + 10 s)
//   npx tsx identity-client-credentials.bench.ts --quick    # 1 round, 1 s warm-up, 4 s each
//
// Options: --duration, --warmup, --connections, --rounds (or BENCH_* variables as in
// kit-overhead.bench.ts); BENCH_CPU_PROF=1 writes the servers' CPU profiles to results/profiles. Database: BENCH_DATABASE_URL, TEST_DATABASE_URL (a server on which a
// database is made) or an embedded PostgreSQL. Each server runs in its own child process (this
// file, started with --serve), autocannon stays in the parent.
//
// Honest differences: the identity service writes a hash-chained audit record per token
// (group-committed to PostgreSQL) and checks client-auth throttling in PostgreSQL; oidc-provider
// keeps nothing outside its process for JWT client_credentials tokens.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { ChildMessage, ParentMessage } from './servers/child.ts';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

const { values: args } = parseArgs({
  options: {
    serve: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    quick: { type: 'boolean' },
  },
});

const CLIENT_ID = 'bench-service';
const SCOPE = 'bench:read';
const RESOURCE = 'urn:platform:bench';

// ---------------------------------------------------------------------------------------------
// Child mode: one server under test.

if (args.serve) {
  const { serveForBench } = await import('./servers/child.ts');
  if (args.serve === 'identity') {
    const { createIdentityService } = await import('@platform/identity/src/app.ts');
    const { createDatabase } = await import('@platform/identity/src/db.ts');
    const { loadEnv } = await import('@platform/identity/src/env.ts');
    await serveForBench(async () => {
      const env = loadEnv({ ...process.env, PORT: '0' });
      const service = createIdentityService(env, createDatabase(env.DATABASE_URL));
      const port = await service.listen(0, '127.0.0.1');
      return { port, close: () => service.close() };
    });
  } else if (args.serve === 'oidc-provider') {
    // oidc-provider ships no types; this is the little of its API the benchmark uses.
    type ProviderClass = new (issuer: string, configuration: object) => { callback(): RequestListener };
    const providerModule = 'oidc-provider';
    const { default: Provider } = (await import(providerModule)) as { default: ProviderClass };
    await serveForBench(async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256', use: 'sig' };
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const provider = new Provider(`http://127.0.0.1:${port}`, {
        clients: [
          {
            client_id: CLIENT_ID,
            client_secret: process.env.BENCH_CLIENT_SECRET ?? '',
            grant_types: ['client_credentials'],
            redirect_uris: [],
            response_types: [],
            token_endpoint_auth_method: 'client_secret_basic',
            id_token_signed_response_alg: 'ES256',
          },
        ],
        jwks: { keys: [jwk] },
        cookies: { keys: [randomBytes(32).toString('hex')] },
        features: {
          devInteractions: { enabled: false },
          clientCredentials: { enabled: true },
          resourceIndicators: {
            enabled: true,
            defaultResource: () => RESOURCE,
            useGrantedResource: () => true,
            getResourceServerInfo: () => ({
              scope: SCOPE,
              audience: RESOURCE,
              accessTokenTTL: 600,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'ES256' } },
            }),
          },
        },
      });
      server.on('request', provider.callback());
      return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    });
  } else {
    throw new Error(`--serve identity|oidc-provider (got ${args.serve})`);
  }
} else {
  await main();
}

// ---------------------------------------------------------------------------------------------
// Parent mode: database, client registration, measurements, report.

async function main(): Promise<void> {
  const positive = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
    return value;
  };
  const quick = args.quick ?? false;
  const config = {
    durationSeconds: positive('duration', args.duration ?? process.env.BENCH_DURATION, quick ? 4 : 10),
    warmupSeconds: positive('warmup', args.warmup ?? process.env.BENCH_WARMUP, quick ? 1 : 2),
    connections: Math.round(positive('connections', args.connections ?? process.env.BENCH_CONNECTIONS, 32)),
    rounds: Math.round(positive('rounds', args.rounds ?? process.env.BENCH_ROUNDS, quick ? 1 : 2)),
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  };

  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  process.on('SIGINT', () => void cleanUp().then(() => process.exit(130)));

  try {
    const db = await import('@platform/db');
    let databaseUrl: string;
    let databaseKind: string;
    if (process.env.BENCH_DATABASE_URL) {
      databaseUrl = process.env.BENCH_DATABASE_URL;
      databaseKind = 'BENCH_DATABASE_URL';
    } else if (process.env.TEST_DATABASE_URL) {
      await db.ensureDatabase(process.env.TEST_DATABASE_URL, 'bench_identity_cc');
      databaseUrl = db.databaseUrlWithName(process.env.TEST_DATABASE_URL, 'bench_identity_cc');
      databaseKind = 'TEST_DATABASE_URL server';
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'platform-bench-pg-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const server = await db.startEmbeddedPostgres({ dataDir, port: await db.findFreePort() });
      cleanups.push(() => server.stop());
      databaseUrl = await server.ensureDatabase('bench_identity_cc');
      databaseKind = `embedded PostgreSQL (127.0.0.1:${server.port})`;
    }
    const identityDir = dirname(createRequire(import.meta.url).resolve('@platform/identity/package.json'));
    await db.applyMigrations({ migrationsDir: join(identityDir, 'prisma', 'migrations'), databaseUrl });

    // One key-encryption key for the registration here and the server child.
    const identityDataDir = await mkdtemp(join(tmpdir(), 'platform-bench-identity-'));
    cleanups.push(() => rm(identityDataDir, { recursive: true, force: true }));
    const identityEnv: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: config.logLevel,
      DATABASE_URL: databaseUrl,
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      ISSUER_URL: 'https://identity.bench.invalid',
      ALLOW_DEVELOPMENT_ADAPTERS: 'true',
      DATA_DIR: identityDataDir,
    };
    const secret = await registerClient(identityEnv);

    const servers = ['identity', 'oidc-provider'] as const;
    const measurements: Array<Awaited<ReturnType<typeof measure>>> = [];
    for (let round = 1; round <= config.rounds; round += 1) {
      // Alternate the order so neither always runs on a warmer (or more tired) machine.
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const kind of order) {
        const result = await measure(kind, round);
        measurements.push(result);
        process.stdout.write(
          `round ${round} ${kind.padEnd(13)} ${result.tokensPerSecond.toFixed(0).padStart(6)} tokens/s` +
            `  server ${result.serverCores.toFixed(2)} cores → ${result.tokensPerServerCoreSecond.toFixed(0)} tokens/s/core` +
            `  p99 ${result.latencyP99Ms} ms  errors ${result.errors + result.non2xx}\n`,
        );
      }
    }

    const best = (kind: string) =>
      measurements.filter((m) => m.server === kind).sort((a, b) => b.tokensPerSecond - a.tokensPerSecond)[0];
    const ours = best('identity');
    const peer = best('oidc-provider');
    const summary = {
      benchmark: 'identity client_credentials token issuance',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverage1m: loadavg()[0] },
      database: databaseKind,
      config,
      measurements,
      best: { identity: ours, oidcProvider: peer },
      ratio: ours && peer ? ours.tokensPerSecond / peer.tokensPerSecond : null,
      ratioPerCore: ours && peer ? ours.tokensPerServerCoreSecond / peer.tokensPerServerCoreSecond : null,
      targets: { tokensPerSecondPerCore: 2000, ratio: 1 },
    };
    process.stdout.write(
      `\nidentity ${ours?.tokensPerSecond.toFixed(0)} tokens/s (${ours?.tokensPerServerCoreSecond.toFixed(0)}/core), ` +
        `oidc-provider ${peer?.tokensPerSecond.toFixed(0)} tokens/s (${peer?.tokensPerServerCoreSecond.toFixed(0)}/core): ` +
        `ratio ${summary.ratio?.toFixed(2)} (per core ${summary.ratioPerCore?.toFixed(2)}; target ≥ 1)\n`,
    );
    await mkdir(join(here, 'results'), { recursive: true });
    await writeFile(join(here, 'results', 'identity-client-credentials.json'), `${JSON.stringify(summary, null, 2)}\n`);

    async function registerClient(env: Record<string, string>): Promise<string> {
      const { createIdentityCore } = await import('@platform/identity/src/composition.ts');
      const { createDatabase } = await import('@platform/identity/src/db.ts');
      const { loadEnv } = await import('@platform/identity/src/env.ts');
      const { createLogger } = await import('@platform/service-kit');
      const database = createDatabase(databaseUrl);
      try {
        const core = createIdentityCore(
          loadEnv({ ...env, PORT: '0' }),
          database,
          createLogger({ service: 'bench', level: 'warn' }),
        );
        const existing = await core.clients.find(CLIENT_ID);
        if (existing) return core.clients.rotateSecret(CLIENT_ID);
        const { secret: created } = await core.clients.create({
          id: CLIENT_ID,
          name: 'benchmark service',
          type: 'confidential',
          grantTypes: ['client_credentials'],
          scopes: [SCOPE],
          resources: [RESOURCE],
          defaultResource: RESOURCE,
          redirectUris: [],
          postLogoutRedirectUris: [],
          backchannelLogoutUri: null,
          firstParty: true,
        });
        return created ?? '';
      } finally {
        await database.$disconnect();
      }
    }

    async function start(kind: (typeof servers)[number]) {
      const profile =
        process.env.BENCH_CPU_PROF === '1'
          ? ['--cpu-prof', `--cpu-prof-dir=${join(here, 'results', 'profiles', `identity-cc-${kind}`)}`]
          : [];
      const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', self, '--serve', kind], {
        cwd: here,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        env: { ...process.env, ...identityEnv, BENCH_CLIENT_SECRET: secret, HOST: '127.0.0.1', PORT: '0' },
      });
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
        const timer = setTimeout(() => reject(new Error(`${kind}: did not start within 60 s`)), 60_000);
        child.on('message', (message: ChildMessage) => {
          if (message.type === 'listening') {
            clearTimeout(timer);
            resolve(message.port);
          }
        });
        child.once('exit', (code) => reject(new Error(`${kind}: exited before listening (code ${code})`)));
      });
      const cpu = () =>
        new Promise<{ userUs: number; systemUs: number }>((resolve) => {
          const onMessage = (message: ChildMessage) => {
            if (message.type !== 'cpu') return;
            child.off('message', onMessage);
            resolve(message);
          };
          child.on('message', onMessage);
          const request: ParentMessage = { type: 'cpu' };
          child.send(request);
        });
      return { url: `http://127.0.0.1:${port}${kind === 'identity' ? '/oidc/token' : '/token'}`, cpu, stop };
    }

    async function measure(kind: (typeof servers)[number], round: number) {
      const server = await start(kind);
      try {
        const headers = {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64')}`,
        };
        const body = new URLSearchParams({
          grant_type: 'client_credentials',
          scope: SCOPE,
          resource: RESOURCE,
        }).toString();
        // Same grant, same answer shape: an ES256 JWT access token for the bench resource.
        const check = await fetch(server.url, { method: 'POST', headers, body });
        const token = (await check.json()) as { access_token?: string };
        const header = JSON.parse(
          Buffer.from((token.access_token ?? '').split('.')[0] ?? '', 'base64url').toString() || '{}',
        ) as {
          alg?: string;
        };
        if (check.status !== 200 || header.alg !== 'ES256')
          throw new Error(
            `${kind}: expected an ES256 access token, got ${check.status} ${JSON.stringify(token).slice(0, 300)}`,
          );
        const load = (seconds: number) =>
          autocannon({
            url: server.url,
            method: 'POST',
            headers,
            body,
            connections: config.connections,
            duration: seconds,
          });
        await load(config.warmupSeconds);
        const before = await server.cpu();
        const began = process.hrtime.bigint();
        const result = await load(config.durationSeconds);
        const wallSeconds = Number(process.hrtime.bigint() - began) / 1e9;
        const after = await server.cpu();
        const serverSeconds = (after.userUs + after.systemUs - before.userUs - before.systemUs) / 1e6;
        const ok = result.requests.total - result.non2xx - result.errors;
        return {
          server: kind,
          round,
          tokensPerSecond: ok / wallSeconds,
          serverCores: serverSeconds / wallSeconds,
          tokensPerServerCoreSecond: ok / serverSeconds,
          latencyP50Ms: result.latency.p50,
          latencyP99Ms: result.latency.p99,
          errors: result.errors,
          non2xx: result.non2xx,
        };
      } finally {
        await server.stop();
      }
    }
  } finally {
    await cleanUp();
  }
}
