// Password logins through the real pages over HTTP (authorize → login page → POST password →
// redirect with a code): logins/s, server CPU per login, and the share of it spent in argon2id
// (target: overhead around argon2 ≤ 10 %). Reference: Keycloak's sizing guide, 15 password
// logins/s per vCPU.
//
//   npx tsx identity-password-login.bench.ts [--quick] [--duration 10] [--concurrency 4]
//
// BENCH_CPU_PROF=1 writes the servers' CPU profiles to results/profiles.
// Database as in identity-client-credentials.bench.ts. The server runs in a child process (this
// file with --serve); the parent drives the logins with fetch.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildMessage, ParentMessage } from './servers/child.ts';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);
const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    quick: { type: 'boolean' },
  },
});

const CLIENT_ID = 'bench-portal';
const REDIRECT_URI = 'https://portal.bench.invalid/cb';
const PASSWORD = 'Bench-passphrase-2026';

if (args.serve) {
  const { serveForBench } = await import('./servers/child.ts');
  const { createIdentityService } = await import('@platform/identity/src/app.ts');
  const { createDatabase } = await import('@platform/identity/src/db.ts');
  const { loadEnv } = await import('@platform/identity/src/env.ts');
  const { PasswordHasher } = await import('@platform/identity/src/domain/accounts/password-hasher.ts');
  // The comparison run: the same service with argon2 taken out, so the difference is argon2's cost.
  class NoArgon2 extends PasswordHasher {
    override async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
      return Boolean(passwordHash) && password === PASSWORD;
    }
  }
  await serveForBench(async () => {
    const env = loadEnv({ ...process.env, PORT: '0' });
    const hasher = process.env.BENCH_WITHOUT_ARGON2 === '1' ? new NoArgon2() : undefined;
    const service = createIdentityService(env, createDatabase(env.DATABASE_URL), hasher ? { hasher } : {});
    const port = await service.listen(0, '127.0.0.1');
    return { port, close: () => service.close() };
  });
} else {
  await main();
}

async function main(): Promise<void> {
  const number = (raw: string | undefined, fallback: number) => (raw ? Number(raw) : fallback);
  const quick = args.quick ?? false;
  const config = {
    durationSeconds: number(args.duration ?? process.env.BENCH_DURATION, quick ? 5 : 15),
    warmupSeconds: number(args.warmup ?? process.env.BENCH_WARMUP, quick ? 1 : 3),
    concurrency: number(args.concurrency, cpus().length * 2),
    users: 8,
  };
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const db = await import('@platform/db');
    let databaseUrl: string;
    if (process.env.BENCH_DATABASE_URL) databaseUrl = process.env.BENCH_DATABASE_URL;
    else if (process.env.TEST_DATABASE_URL) {
      await db.ensureDatabase(process.env.TEST_DATABASE_URL, 'bench_identity_login');
      databaseUrl = db.databaseUrlWithName(process.env.TEST_DATABASE_URL, 'bench_identity_login');
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'platform-bench-pg-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const server = await db.startEmbeddedPostgres({ dataDir, port: await db.findFreePort() });
      cleanups.push(() => server.stop());
      databaseUrl = await server.ensureDatabase('bench_identity_login');
    }
    const identityDir = dirname(createRequire(import.meta.url).resolve('@platform/identity/package.json'));
    await db.applyMigrations({ migrationsDir: join(identityDir, 'prisma', 'migrations'), databaseUrl });

    const dataDir = await mkdtemp(join(tmpdir(), 'platform-bench-identity-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const issuer = 'https://identity.bench.invalid';
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DATABASE_URL: databaseUrl,
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      ISSUER_URL: issuer,
      ALLOW_DEVELOPMENT_ADAPTERS: 'true',
      DATA_DIR: dataDir,
      // Every login comes from 127.0.0.1 here.
      LOGIN_ATTEMPTS_PER_IP: '1000000000',
    };
    const { phones, argon2CpuMs } = await prepare(databaseUrl, env);

    /** Runs `work` against a fresh server child (with or without argon2). */
    const withServer = async <T>(
      withoutArgon2: boolean,
      work: (base: string, cpuMs: () => Promise<number>) => Promise<T>,
    ) => {
      const profile =
        process.env.BENCH_CPU_PROF === '1'
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${join(here, 'results', 'profiles', `identity-login-${withoutArgon2 ? 'without' : 'with'}-argon2`)}`,
            ]
          : [];
      const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', self, '--serve'], {
        cwd: here,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: '0', BENCH_WITHOUT_ARGON2: withoutArgon2 ? '1' : '0' },
      });
      try {
        const port = await new Promise<number>((resolve, reject) => {
          child.on('message', (message: ChildMessage) => message.type === 'listening' && resolve(message.port));
          child.once('exit', (code) => reject(new Error(`server exited (code ${code})`)));
        });
        const cpuMs = () =>
          new Promise<number>((resolve) => {
            const onMessage = (message: ChildMessage) => {
              if (message.type !== 'cpu') return;
              child.off('message', onMessage);
              resolve((message.userUs + message.systemUs) / 1000);
            };
            child.on('message', onMessage);
            const request: ParentMessage = { type: 'cpu' };
            child.send(request);
          });
        return await work(`http://127.0.0.1:${port}`, cpuMs);
      } finally {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
        }
      }
    };

    // One login, as a browser does it; throws unless it ends at the client with a code.
    const fullLogin = async (base: string, phone: string) => {
      const authorize = new URL(`${base}/oidc/authorize`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        code_challenge: randomBytes(32).toString('base64url').slice(0, 43),
        code_challenge_method: 'S256',
      }).toString();
      const first = await fetch(authorize, { redirect: 'manual' });
      await first.arrayBuffer();
      const cookie = (first.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
      const page = await fetch(new URL(first.headers.get('location') ?? '', base), { headers: { cookie } });
      const html = await page.text();
      const field = (name: string) => new RegExp(`name="${name}"\\s+value="([^"]+)"`).exec(html)?.[1] ?? '';
      const done = await fetch(`${base}/login/password`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          csrf: field('csrf'),
          interaction: field('interaction'),
          login_name: phone,
          password: PASSWORD,
        }),
      });
      await done.arrayBuffer();
      if (!done.headers.get('location')?.startsWith(`${REDIRECT_URI}?code=`))
        throw new Error(`login failed: HTTP ${done.status}`);
    };

    // The password step alone: login page (no database work) and the POST, outside any
    // authorization request (the POST then only checks, audits and starts a session).
    const passwordStep = async (base: string, phone: string) => {
      const page = await fetch(`${base}/login`);
      const html = await page.text();
      const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
      const csrf = /name="csrf"\s+value="([^"]+)"/.exec(html)?.[1] ?? '';
      const done = await fetch(`${base}/login/password`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, login_name: phone, password: PASSWORD }),
      });
      await done.arrayBuffer();
      // Without an authorization request a successful login lands on the account page.
      if (done.status !== 303 || done.headers.get('location') !== '/account')
        throw new Error(`login failed: HTTP ${done.status}`);
    };

    type Login = (base: string, phone: string) => Promise<void>;
    const drive = async (base: string, login: Login, seconds: number) => {
      const deadline = Date.now() + seconds * 1000;
      let logins = 0;
      let failures = 0;
      const latencies: number[] = [];
      await Promise.all(
        Array.from({ length: config.concurrency }, async (_, worker) => {
          while (Date.now() < deadline) {
            const began = performance.now();
            try {
              await login(base, phones[worker % phones.length] ?? '');
              logins += 1;
              latencies.push(performance.now() - began);
            } catch {
              failures += 1;
            }
          }
        }),
      );
      return { logins, failures, latencies: latencies.sort((a, b) => a - b) };
    };

    /** Logins/s and server CPU per login for one kind of login on one server. */
    const measure = (login: Login, withoutArgon2: boolean) =>
      withServer(withoutArgon2, async (base, cpuMs) => {
        await login(base, phones[0] ?? '');
        await drive(base, login, config.warmupSeconds);
        const before = await cpuMs();
        const began = process.hrtime.bigint();
        const run = await drive(base, login, config.durationSeconds);
        const wallSeconds = Number(process.hrtime.bigint() - began) / 1e9;
        const cpuPerLoginMs = ((await cpuMs()) - before) / run.logins;
        return {
          loginsPerSecond: run.logins / wallSeconds,
          loginsPerServerCoreSecond: 1000 / cpuPerLoginMs,
          serverCpuPerLoginMs: cpuPerLoginMs,
          failures: run.failures,
          latencyMs: {
            p50: run.latencies[Math.floor(run.latencies.length / 2)],
            p99: run.latencies[Math.floor(run.latencies.length * 0.99)],
          },
        };
      });

    const load = loadavg()[0];
    const full = await measure(fullLogin, false);
    const fullWithoutArgon2 = await measure(fullLogin, true);
    const step = await measure(passwordStep, false);
    const stepWithoutArgon2 = await measure(passwordStep, true);
    // argon2's share: the CPU a login stops costing when argon2 is taken out.
    const shares = (withArgon2: number, without: number) => ({
      argon2Share: 1 - without / withArgon2,
      overheadShare: without / withArgon2,
    });
    const result = {
      benchmark: 'identity password login over HTTP',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverage1mAtStart: load },
      config,
      fullLogin: {
        ...full,
        ...shares(full.serverCpuPerLoginMs, fullWithoutArgon2.serverCpuPerLoginMs),
        withoutArgon2: fullWithoutArgon2,
      },
      passwordStep: {
        ...step,
        ...shares(step.serverCpuPerLoginMs, stepWithoutArgon2.serverCpuPerLoginMs),
        withoutArgon2: stepWithoutArgon2,
      },
      argon2CpuPerVerifyMeasuredInParentMs: argon2CpuMs,
      targets: { overheadShare: 0.1, keycloakLoginsPerVcpu: 15 },
    };
    for (const [label, row] of [
      ['full login (authorize → page → password → code)', result.fullLogin],
      ['password step alone (page + POST)', result.passwordStep],
    ] as const)
      process.stdout.write(
        `${label}: ${row.loginsPerSecond.toFixed(1)} logins/s, ${row.loginsPerServerCoreSecond.toFixed(1)} per server core, ` +
          `server CPU ${row.serverCpuPerLoginMs.toFixed(1)} ms/login (${row.withoutArgon2.serverCpuPerLoginMs.toFixed(1)} without argon2) → ` +
          `argon2 ${(row.argon2Share * 100).toFixed(0)} %, overhead ${(row.overheadShare * 100).toFixed(0)} % (target ≤ 10 %), p50 ${row.latencyMs.p50?.toFixed(0)} ms, failures ${row.failures}\n`,
      );
    await mkdir(join(here, 'results'), { recursive: true });
    await writeFile(join(here, 'results', 'identity-password-login.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }

  /** Registers the client and users, and measures one argon2id verification's CPU time here. */
  async function prepare(databaseUrl: string, env: Record<string, string>) {
    const { createIdentityCore } = await import('@platform/identity/src/composition.ts');
    const { createDatabase } = await import('@platform/identity/src/db.ts');
    const { loadEnv } = await import('@platform/identity/src/env.ts');
    const { createLogger } = await import('@platform/service-kit');
    const { citizenIdCheckChar } = await import('@platform/identifiers');
    const database = createDatabase(databaseUrl);
    try {
      const core = createIdentityCore(
        loadEnv({ ...env, PORT: '0' }),
        database,
        createLogger({ service: 'bench', level: 'warn' }),
      );
      if (!(await core.clients.find(CLIENT_ID)))
        await core.clients.create({
          id: CLIENT_ID,
          name: 'benchmark portal',
          type: 'confidential',
          grantTypes: ['authorization_code'],
          scopes: ['openid'],
          resources: [],
          defaultResource: null,
          redirectUris: [REDIRECT_URI],
          postLogoutRedirectUris: [],
          backchannelLogoutUri: null,
          firstParty: true,
        });
      const passwordHash = await core.hasher.hash(PASSWORD);
      const phones: string[] = [];
      for (let i = 0; i < config.users; i += 1) {
        const phone = `1370000${String(i).padStart(4, '0')}`;
        const body = `11010519900101${String(100 + i).padStart(3, '0')}`;
        phones.push(phone);
        if (!(await core.repositories.accounts.findByPhone(phone)))
          await core.repositories.accounts.create({
            kind: 'natural_person',
            subjectId: body + citizenIdCheckChar(body),
            name: '压测用户',
            phone,
            passwordHash,
            passwordChangedAt: new Date(),
            createdAt: new Date(),
          });
      }
      const rounds = 20;
      await core.hasher.verify(passwordHash, PASSWORD);
      const usage = process.cpuUsage();
      for (let i = 0; i < rounds; i += 1) await core.hasher.verify(passwordHash, PASSWORD);
      const spent = process.cpuUsage(usage);
      return { phones, argon2CpuMs: (spent.user + spent.system) / 1000 / rounds };
    } finally {
      await database.$disconnect();
    }
  }
}
