import pg from 'pg';
import { PlatformDbError, conciseMessage } from './errors.ts';
import { assertDatabaseName, quoteIdentifier } from './names.ts';

// SQLSTATE codes we react to (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';
const OBJECT_IN_USE = '55006';

/** Opens one connection, runs `work`, always closes it. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A server that goes away (stopped, or DROP … WITH (FORCE)) emits 'error' on idle clients;
  // without a listener Node would crash the process instead of failing the current query.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same server and credentials as `url`, pointing at database `name`. */
export function databaseUrlWithName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/** The database name a URL points at (PostgreSQL's default is the user name). */
export function databaseNameOf(url: string): string {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return name || decodeURIComponent(parsed.username) || 'postgres';
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** Creates database `name` unless it exists; safe when several processes race to create it. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withClient(adminUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    } catch (error) {
      // Someone else created it between our check and our CREATE: that is what we wanted.
      const code = errorCode(error);
      if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw error;
    }
  });
}

/** Drops database `name` if it exists, disconnecting any sessions still using it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}

/**
 * Creates `name` as a copy of `template` (CREATE DATABASE … TEMPLATE), which is much faster than
 * migrating every test database. PostgreSQL refuses while another session is connected to the
 * template, which can happen for a moment (e.g. a copy finishing), so we retry briefly.
 */
export async function cloneDatabase(adminUrl: string, template: string, name: string): Promise<void> {
  assertDatabaseName(template);
  assertDatabaseName(name);
  const deadline = Date.now() + 15_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await withClient(adminUrl, (client) =>
        client.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`),
      );
      return;
    } catch (error) {
      if (errorCode(error) !== OBJECT_IN_USE || Date.now() > deadline) throw error;
      await sleep(Math.min(50 * attempt, 500));
    }
  }
}

/** Resolves once `url` accepts connections and answers a query; fails after `timeoutMs`. */
export async function waitForDatabase(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() <= deadline) {
    try {
      await withClient(url, (client) => client.query('SELECT 1'));
      return;
    } catch (error) {
      lastError = error;
      await sleep(200);
    }
  }
  throw new PlatformDbError(
    `Database at ${redactUrl(url)} did not answer within ${timeoutMs} ms: ${conciseMessage(lastError)}`,
  );
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
