// Test files' view of the running platform: URLs as the services know them (http://payment:4004)
// mapped to where this process reaches the containers, typed clients from @platform/contracts,
// client-credentials tokens from identity, and container control for the fault flows.
import {
  createBanksimClient,
  createIdentityClient,
  createLicenseClient,
  createPaymentClient,
} from '@platform/contracts';
import { getContainerRuntimeClient } from 'testcontainers';
import { inject } from 'vitest';
import type { E2eClient, E2ePlatformInfo } from './context.ts';
import './context.ts';

export const info = (): E2ePlatformInfo => inject('e2ePlatform');

type Runtime = Awaited<ReturnType<typeof getContainerRuntimeClient>>;
let runtime: Runtime | undefined;
const endpoints = new Map<string, string>();

async function docker(): Promise<Runtime> {
  runtime ??= await getContainerRuntimeClient();
  return runtime;
}

/** host:port where this process reaches a compose service (re-read after a container restart). */
export async function endpointOf(alias: string, refresh = false): Promise<string> {
  const cached = endpoints.get(alias);
  if (cached && !refresh) return cached;
  const container = info().containers[alias];
  if (!container) throw new Error(`service ${alias} is not running in this e2e run`);
  const client = await docker();
  const inspected = await client.container.inspect(client.container.getById(container.id));
  const hostPort = inspected.NetworkSettings.Ports[`${container.port}/tcp`]?.[0]?.HostPort;
  if (!hostPort) throw new Error(`${alias} publishes no port ${container.port}`);
  const endpoint = `${client.info.containerRuntime.host}:${hostPort}`;
  endpoints.set(alias, endpoint);
  return endpoint;
}

/** An in-network URL (http://identity:4001/x) as this process must call it. */
export async function reach(url: string): Promise<string> {
  const parsed = new URL(url);
  if (!(parsed.hostname in info().containers)) return url;
  const endpoint = await endpointOf(parsed.hostname);
  return `${parsed.protocol}//${endpoint}${parsed.pathname}${parsed.search}`;
}

/** fetch for in-network URLs. */
export async function call(url: string, init?: RequestInit): Promise<Response> {
  return fetch(await reach(url), init);
}

export const serviceUrl = (name: string): string => `http://${name}:${info().containers[name]?.port ?? 0}`;

/** fetch for the contract clients: every request goes to the current endpoint of its service. */
const mappedFetch: typeof fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return fetch(await reach(url), init);
};

/** A client-credentials access token for one of the suite's integrator clients. */
export async function clientToken(client: E2eClient, scope: string, resource: string): Promise<string> {
  const response = await call(`${serviceUrl('identity')}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!response.ok || !body.access_token)
    throw new Error(`token for ${client.id} refused: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

let keys = 0;
export const idempotencyKey = (): string => `e2e-${Date.now()}-${keys++}`;

export function paymentClient(getToken?: () => Promise<string>, headers?: () => Record<string, string>) {
  return createPaymentClient({
    url: serviceUrl('payment'),
    fetch: mappedFetch,
    ...(getToken ? { getToken } : {}),
    ...(headers ? { headers } : {}),
  });
}

export function identityClient(getToken?: () => Promise<string>) {
  return createIdentityClient({ url: serviceUrl('identity'), fetch: mappedFetch, ...(getToken ? { getToken } : {}) });
}

/** The sandbox bank as its operator uses it: paying is public, the switches need banksim:operate. */
export const banksimClient = () =>
  createBanksimClient({
    url: serviceUrl('banksim'),
    fetch: mappedFetch,
    getToken: tokenSource(info().clients.operator, 'banksim:operate', 'urn:platform:banksim'),
  });

export function licenseClient(getToken?: () => Promise<string>) {
  return createLicenseClient({ url: serviceUrl('license'), fetch: mappedFetch, ...(getToken ? { getToken } : {}) });
}

/** The payment service as its operator (administration and finance) uses it. */
export const paymentOperator = () =>
  paymentClient(tokenSource(info().clients.operator, 'payment:admin payment:finance', 'urn:platform:payment'));

/** The payment service as a collecting unit's system uses it: every request with an idempotency key. */
export const collectingUnit = (key: () => string = idempotencyKey) =>
  paymentClient(
    tokenSource(
      info().clients.unit,
      'payment:notice:create payment:notice:read payment:webhooks',
      'urn:platform:payment',
    ),
    () => ({ 'idempotency-key': key() }),
  );

/** Tokens are cached until shortly before they expire (10 minutes). */
export function tokenSource(client: E2eClient, scope: string, resource: string): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  return async () => {
    if (!cached || cached.until < Date.now()) {
      cached = { token: await clientToken(client, scope, resource), until: Date.now() + 5 * 60_000 };
    }
    return cached.token;
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; last value ${JSON.stringify(last)}${lastError ? `, last error ${String(lastError)}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Container control for the fault flows. */
export async function containerOf(alias: string) {
  const container = info().containers[alias];
  if (!container) throw new Error(`service ${alias} is not running in this e2e run`);
  const client = await docker();
  return client.container.getById(container.id);
}

/** Forgets where the containers were published: a restarted container may get another host port. */
export function forgetEndpoints(): void {
  endpoints.clear();
}

/**
 * Stops a service the hard way and brings it back: `kill` sends SIGKILL (a crash: no drain, no
 * goodbye to the database), `restart` stops and starts it. Resolves once it answers /readyz (or,
 * for PostgreSQL, accepts connections) again.
 */
export async function bounce(alias: string, how: 'kill' | 'restart'): Promise<void> {
  const container = await containerOf(alias);
  if (how === 'kill') {
    await container.kill();
    // Docker does not restart a container killed through its API: start it as an operator would.
    await waitFor(
      'the container to stop',
      async () => (await container.inspect()).State.Running,
      (r) => !r,
      30_000,
    );
    await container.start();
  } else await container.restart({ t: 2 });
  forgetEndpoints();
  if (alias === 'postgres')
    await waitFor(
      'PostgreSQL to accept connections',
      () => sql('postgres', 'SELECT 1'),
      (rows) => rows === '1',
      60_000,
    );
  else
    await waitFor(
      `${alias} to be ready again`,
      async () => (await call(`${serviceUrl(alias)}/readyz`)).status,
      (status) => status === 200,
      120_000,
    );
}

/** One value (first column of the first row, as text) from a service's database, read with psql. */
export async function sql(database: string, query: string): Promise<string> {
  const client = await docker();
  const container = await containerOf('postgres');
  const result = await client.container.exec(container, [
    'psql',
    '-U',
    'platform',
    '-d',
    database,
    '-tAq',
    '-c',
    query,
  ]);
  if (result.exitCode !== 0) throw new Error(`psql ${database}: ${result.output}`);
  return result.output.trim();
}

/**
 * Calls `action` until it succeeds, as an integrator does when a service or its database is
 * briefly unavailable: the same request (same idempotency key) again after a pause.
 */
export async function untilItSucceeds<T>(
  action: () => Promise<T>,
  timeoutMs = 120_000,
  onRetry: () => void = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      onRetry();
      forgetEndpoints();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
