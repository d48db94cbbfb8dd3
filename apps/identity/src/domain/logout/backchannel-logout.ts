// OIDC Back-Channel Logout 1.0: when a session ends, every client that took part in it and has a
// back-channel URI gets a signed logout token (`typ: logout+jwt`). Each notification is a row with
// its status; failures are retried with backoff, then marked failed.
import type { Logger } from '@platform/service-kit';
import { addSeconds, type Clock } from '../../clock.ts';
import type { ClientRepository } from '../../repositories/clients.ts';
import type { LogoutDelivery, LogoutDeliveryRepository } from '../../repositories/logout-deliveries.ts';
import type { SessionWithClients } from '../sessions/sessions.ts';
import type { JwtService } from '../tokens/jwt.ts';

const BACKOFF_SECONDS = [10, 30, 120, 600, 3600];
const LOGOUT_TOKEN_TTL_SECONDS = 120;
const REQUEST_TIMEOUT_MS = 5_000;
const LEASE_SECONDS = 60;

export class BackchannelLogout {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      deliveries: LogoutDeliveryRepository;
      clients: ClientRepository;
      jwt: JwtService;
      clock: Clock;
      log: Logger;
      fetch?: typeof fetch;
    },
  ) {}

  /** Records one delivery per client of the session and sends them right away (not awaited). */
  async sessionEnded(session: SessionWithClients): Promise<void> {
    const clientIds = session.clients.map((client) => client.clientId);
    if (clientIds.length === 0) return;
    const targets = (await this.deps.clients.findMany(clientIds)).filter((client) => client.backchannelLogoutUri);
    if (targets.length === 0) return;
    const now = this.deps.clock.now();
    const rows = await this.deps.deliveries.createMany(
      targets.map((client) => ({
        sessionSid: session.sid,
        accountId: session.accountId,
        clientId: client.id,
        uri: client.backchannelLogoutUri ?? '',
        status: 'pending',
        createdAt: now,
        // Leased for the immediate attempt below; the retry loop picks it up if this replica dies.
        nextAttemptAt: addSeconds(now, LEASE_SECONDS),
      })),
    );
    for (const row of rows) this.track(this.attempt(row));
  }

  /** One client leaves a session that goes on (its consent was revoked): only that client is told. */
  async clientRemoved(session: SessionWithClients, clientId: string): Promise<void> {
    await this.sessionEnded({ ...session, clients: session.clients.filter((client) => client.clientId === clientId) });
  }

  /** Sends every due delivery (the retry loop; also called by tests with a moved clock). */
  async deliverDue(): Promise<number> {
    const now = this.deps.clock.now();
    const due = await this.deps.deliveries.claimDue(now, addSeconds(now, LEASE_SECONDS), 50);
    await Promise.all(due.map((row) => this.attempt(row)));
    return due.length;
  }

  start(intervalMs = 10_000): void {
    this.timer = setInterval(() => {
      this.deliverDue().catch((error: unknown) =>
        this.deps.log.warn({ err: error }, 'back-channel logout retry failed'),
      );
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the retry loop and waits for attempts under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when the attempts started so far have finished (tests). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async attempt(delivery: LogoutDelivery): Promise<void> {
    const attempts = delivery.attempts + 1;
    try {
      const { token } = await this.deps.jwt.sign(
        'logout',
        {
          sub: delivery.accountId,
          aud: delivery.clientId,
          sid: delivery.sessionSid,
          events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
        },
        LOGOUT_TOKEN_TTL_SECONDS,
      );
      const response = await (this.deps.fetch ?? fetch)(delivery.uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await this.deps.deliveries.markDelivered(delivery.id, this.deps.clock.now(), attempts);
    } catch (error) {
      const backoff = BACKOFF_SECONDS[attempts - 1];
      const next = backoff === undefined ? null : addSeconds(this.deps.clock.now(), backoff);
      const message = error instanceof Error ? error.message : 'delivery failed';
      await this.deps.deliveries.markFailedAttempt(delivery.id, attempts, message, next).catch(() => undefined);
      this.deps.log.warn(
        { clientId: delivery.clientId, attempts, error: message },
        'back-channel logout not delivered',
      );
    }
  }
}
