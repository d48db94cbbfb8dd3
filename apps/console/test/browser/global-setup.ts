// Once per browser-test run: a real PostgreSQL, one migrated database per service, every service
// of the platform as its own process (from source, with tsx), identity with the console's client
// declared (BOOTSTRAP_CLIENTS), the single-page app built, and the console server in front.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { applyMigrations, databaseUrlWithName, dropDatabase, ensureDatabase, findFreePort } from '@platform/db';
import { provisionTestServer } from '@platform/db/testing';
import { CHROMIUM } from './chromium.ts';
import './context.ts';
import { inheritedEnv } from './env.ts';

const appsDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const consoleDir = join(appsDir, 'console');
const tsx = join(appsDir, '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');

interface Running {
  name: string;
  child: ChildProcess;
  output: string[];
}

async function waitReady(url: string, running: Running, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null)
      throw new Error(`${running.name} exited (${running.child.exitCode}):\n${running.output.slice(-15).join('\n')}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${running.name} not ready within ${timeoutMs / 1000} s:\n${running.output.slice(-15).join('\n')}`);
}

function start(name: string, cwd: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', tsx, 'src/main.ts'], {
    cwd,
    env: { ...inheritedEnv(), NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running: Running = { name, child, output: [] };
  // Every service's log is kept as a test artifact (test-output/logs/<service>.log).
  const logDir = join(consoleDir, 'test-output', 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const keep = (chunk: Buffer) => {
    running.output.push(...chunk.toString().split('\n').filter(Boolean));
    running.output.splice(0, Math.max(0, running.output.length - 200));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return running;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM))
    throw new Error(`browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);

  const server = await provisionTestServer();
  const runId = `console_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'console-browser-'));
  const services = ['identity', 'seal', 'license', 'banksim', 'payment'] as const;
  const running: Running[] = [];
  const databases: string[] = [];

  const teardown = async () => {
    for (const r of running.reverse()) r.child.kill('SIGTERM');
    await Promise.all(
      running.map(
        (r) =>
          new Promise<void>((done) => {
            if (r.child.exitCode !== null) return done();
            const timer = setTimeout(() => (r.child.kill('SIGKILL'), done()), 10_000);
            r.child.once('exit', () => (clearTimeout(timer), done()));
          }),
      ),
    );
    for (const name of databases) await dropDatabase(server.adminUrl, name).catch(() => undefined);
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const ports = Object.fromEntries(
      await Promise.all([...services, 'console'].map(async (s) => [s, await findFreePort()] as const)),
    ) as Record<(typeof services)[number] | 'console', number>;
    const url = (s: keyof typeof ports) => `http://127.0.0.1:${ports[s]}`;
    const databaseUrl = (s: string) => databaseUrlWithName(server.adminUrl, `${runId}_${s}`);
    await Promise.all(
      services.map(async (s) => {
        const name = `${runId}_${s}`;
        await ensureDatabase(server.adminUrl, name);
        databases.push(name);
        await applyMigrations({ migrationsDir: join(appsDir, s, 'prisma', 'migrations'), databaseUrl: databaseUrl(s) });
      }),
    );

    const consoleSecret = randomBytes(32).toString('base64url');
    const opsSecret = randomBytes(32).toString('base64url');
    const bootstrapClients = [
      {
        id: 'console',
        name: '政务应用支撑平台',
        secret: consoleSecret,
        grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange'],
        // As packages/launcher/src/clients.ts declares the console for npm start.
        scopes: [
          'openid',
          'profile',
          'phone',
          'email',
          'offline_access',
          'license:holder',
          'license:read',
          'license:issue',
          'license:manage',
          'license:verify',
          'license:admin',
          'seal:admin',
          'seal:sign',
          'seal:approve',
          'payment:finance',
          'payment:admin',
        ],
        redirectUris: [`${url('console')}/auth/callback`],
        postLogoutRedirectUris: [`${url('console')}/`],
        backchannelLogoutUri: `${url('console')}/auth/backchannel-logout`,
        resources: [
          'urn:platform:identity',
          'urn:platform:license',
          'urn:platform:seal',
          'urn:platform:payment',
          'urn:platform:console',
        ],
        defaultResource: 'urn:platform:license',
        firstParty: true,
      },
      {
        // The tests' own collecting-unit system: sets up items and notices like an integrator would.
        id: 'test-unit-system',
        secret: opsSecret,
        grantTypes: ['client_credentials'],
        scopes: [
          'payment:admin',
          'payment:notice:create',
          'payment:notice:read',
          'payment:refund:request',
          'payment:refund:review',
          'license:issue',
          'license:read',
          'identity:admin',
        ],
        resources: ['urn:platform:payment', 'urn:platform:license', 'urn:platform:identity'],
        defaultResource: 'urn:platform:payment',
      },
    ];
    const common = (s: (typeof services)[number]) => ({
      PORT: String(ports[s]),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl(s),
      DATA_DIR: join(dataDir, s),
      PUBLIC_URL: url(s),
      IDENTITY_ISSUER_URL: url('identity'),
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    const extra: Record<(typeof services)[number], Record<string, string>> = {
      identity: { ISSUER_URL: url('identity'), BOOTSTRAP_CLIENTS: JSON.stringify(bootstrapClients) },
      seal: {},
      license: {},
      banksim: { PAYMENT_URL: url('payment') },
      payment: { BANKSIM_URL: url('banksim'), PAYMENT_PAGE_BASE_URL: `${url('console')}/pay` },
    };
    for (const s of services) {
      const r = start(s, join(appsDir, s), { ...common(s), ...extra[s] });
      running.push(r);
      await waitReady(`${url(s)}/readyz`, r);
    }

    // The app as users get it: built by vite into dist/public, served by the console server.
    const { build } = await import('vite');
    await build({
      root: join(consoleDir, 'src', 'web'),
      configFile: join(consoleDir, 'vite.config.ts'),
      logLevel: 'warn',
    });
    const consoleProcess = start('console', consoleDir, {
      PORT: String(ports.console),
      HOST: '127.0.0.1',
      PUBLIC_URL: url('console'),
      IDENTITY_ISSUER_URL: url('identity'),
      OIDC_CLIENT_SECRET: consoleSecret,
      LICENSE_URL: url('license'),
      SEAL_URL: url('seal'),
      PAYMENT_URL: url('payment'),
      BANKSIM_URL: url('banksim'),
    });
    running.push(consoleProcess);
    await waitReady(`${url('console')}/readyz`, consoleProcess);

    project.provide('consoleUrls', {
      console: url('console'),
      identity: url('identity'),
      license: url('license'),
      payment: url('payment'),
      seal: url('seal'),
      banksim: url('banksim'),
    });
    project.provide('consoleOpsClient', { id: 'test-unit-system', secret: opsSecret });
  } catch (error) {
    await teardown().catch(() => undefined);
    throw error;
  }
  return teardown;
}
