// Tells this replica, within milliseconds, that some replica changed or removed a license row:
// a trigger on the license table (migration *_license_change_notify) sends NOTIFY on commit, and
// one LISTEN connection per replica receives it. While that connection is down the feed says so
// (`live` is false) and callers must not trust anything they cached from it.
import pg from 'pg';

export const LICENSE_CHANGED_CHANNEL = 'license_changed';

export interface LicenseChangeFeed {
  /** True while changes are being received; anything cached before a gap must be dropped. */
  readonly live: boolean;
  /** Starts listening (idempotent); resolves once LISTEN is in place or the attempt failed. */
  start(): Promise<void>;
  onChange(listener: (identifier: string) => void): void;
  /** Called whenever the feed stops being live, so caches can clear themselves. */
  onGap(listener: () => void): void;
  close(): Promise<void>;
}

interface Logger {
  warn(object: object, message: string): void;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export class PgLicenseChangeFeed implements LicenseChangeFeed {
  private client: pg.Client | undefined;
  private starting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  private closed = false;
  private readonly changeListeners: Array<(identifier: string) => void> = [];
  private readonly gapListeners: Array<() => void> = [];
  live = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly log?: Logger,
  ) {}

  onChange(listener: (identifier: string) => void): void {
    this.changeListeners.push(listener);
  }

  onGap(listener: () => void): void {
    this.gapListeners.push(listener);
  }

  start(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.starting ??= this.connect().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async connect(): Promise<void> {
    if (this.client || this.closed) return;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('notification', (message) => {
      if (message.channel !== LICENSE_CHANGED_CHANNEL || !message.payload) return;
      for (const listener of this.changeListeners) listener(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${LICENSE_CHANGED_CHANNEL}`);
      if (this.client !== client) return;
      this.live = true;
      this.reconnectDelay = RECONNECT_MIN_MS;
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.live = false;
    for (const listener of this.gapListeners) listener();
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.log?.warn({ err: error }, 'license change feed lost; verification reads the database until it is back');
    this.reconnectTimer = setTimeout(() => void this.start(), this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    this.live = false;
    await client?.end().catch(() => undefined);
  }
}
