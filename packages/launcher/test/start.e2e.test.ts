// npm start, as a user runs it: a fresh data folder, the embedded database, every service up and
// answering on every kit endpoint, then Ctrl-C stops everything, database included.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortFree } from '../src/processes.ts';
import { repoRoot } from '../src/services.ts';

const SERVICES = ['identity', 'license', 'seal', 'payment', 'banksim', 'console'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startPlatform(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'packages/launcher/bin/platform-start.js')], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (text: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`did not see "${text}"; output:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

describe('npm start', () => {
  let dataDir: string;
  let ports: Record<(typeof SERVICES)[number], number>;
  let platform: ReturnType<typeof startPlatform>;
  let child: ChildProcessWithoutNullStreams;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'platform-start-'));
    // mkdtemp makes a 0700 folder; the embedded server runs as the `postgres` user and must enter it.
    chmodSync(dataDir, 0o755);
    ports = {
      identity: await freePort(),
      license: await freePort(),
      seal: await freePort(),
      payment: await freePort(),
      banksim: await freePort(),
      console: await freePort(),
    };
    platform = startPlatform({
      PLATFORM_DATA_DIR: dataDir,
      PLATFORM_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_PORT`, String(ports[s])])),
    });
    child = platform.child;
    await platform.waitFor('platform running', 240_000);
  }, 300_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a table with every service’s URL, health and docs', () => {
    for (const service of SERVICES) {
      expect(platform.output()).toMatch(
        new RegExp(
          `${service}\\s+http://localhost:${ports[service]}\\s+http://localhost:${ports[service]}/readyz\\s+http://localhost:${ports[service]}/docs`,
        ),
      );
    }
  });

  it.each(SERVICES)(
    '%s answers health, readiness, metrics, OpenAPI, docs and system.info on both transports',
    async (service) => {
      const base = `http://127.0.0.1:${ports[service]}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ ready: true });
      expect(await (await fetch(`${base}/metrics`)).text()).toContain(`service="${service}"`);
      expect(((await (await fetch(`${base}/openapi.json`)).json()) as { info: { title: string } }).info.title).toBe(
        `${service} service API`,
      );
      expect((await fetch(`${base}/docs/`)).status).toBe(200);
      const rest = (await (await fetch(`${base}/api/system/info`)).json()) as Record<string, unknown>;
      expect(rest).toMatchObject({ service, database: { status: 'up' } });
      const trpc = (await (await fetch(`${base}/trpc/system.info`)).json()) as { result: { data: unknown } };
      expect(trpc.result.data).toEqual({ ...rest, database: { status: 'up', latencyMs: expect.any(Number) } });
    },
  );

  it('stops everything, database included, on Ctrl-C', async () => {
    child.kill('SIGINT');
    expect(await platform.exited).toBe(0);
    expect(platform.output()).toContain('stopped');
    for (const service of SERVICES) expect(await isPortFree(ports[service])).toBe(true);
  }, 60_000);
});

describe('npm start with a busy port', () => {
  it('refuses with one clear line and no stack trace', async () => {
    const blocker = net.createServer().listen(0, '0.0.0.0');
    await new Promise((r) => blocker.once('listening', r));
    const busy = (blocker.address() as net.AddressInfo).port;
    const platform = startPlatform({
      IDENTITY_PORT: String(busy),
      PLATFORM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'platform-busy-')),
    });
    expect(await platform.exited).toBe(1);
    blocker.close();
    expect(platform.output().trim()).toBe(
      `✖ port ${busy} (identity) is already in use; stop what uses it or set IDENTITY_PORT`,
    );
  }, 60_000);
});
