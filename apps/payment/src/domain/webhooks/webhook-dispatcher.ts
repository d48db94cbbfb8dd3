// Delivers the webhook outbox. Any replica may run it: events are claimed with a lease, so two
// replicas never send the same attempt, and a crash mid-delivery only delays it. Retries back off
// exponentially (30 s, 1 min, 2 min … capped at 6 h), which with the default 20 attempts spans
// about three days; then the event is marked failed and can still be replayed.
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db.ts';
import { WebhookEventRepository, type ClaimedEvent } from '../../repositories/webhook-events.ts';
import { signWebhook } from './webhook-signature.ts';

const LEASE_SECONDS = 60;

export function backoffSeconds(attempt: number): number {
  return Math.min(30 * 2 ** Math.max(0, attempt - 1), 6 * 3600);
}

export interface DispatcherOptions {
  maxAttempts: number;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export class WebhookDispatcher {
  private readonly events: WebhookEventRepository;
  constructor(
    db: Database,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions,
  ) {
    this.events = new WebhookEventRepository(db);
  }

  /** Delivers every due event once; returns how many were delivered. */
  async runOnce(batch = 50): Promise<number> {
    const claimed = await this.events.claimDue(this.clock.now(), LEASE_SECONDS, batch);
    const results = await Promise.all(claimed.map((event) => this.deliver(event)));
    return results.filter(Boolean).length;
  }

  private async deliver(event: ClaimedEvent): Promise<boolean> {
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      sequence: event.sequence,
      createdAt: event.createdAt.toISOString(),
      data: event.payload,
    });
    const now = this.clock.now();
    const signature = signWebhook(event.webhookSecret, body, Math.floor(now.getTime() / 1000));
    let error: string;
    try {
      const response = await (this.options.fetch ?? fetch)(event.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'platform-signature': signature, 'platform-event-id': event.id },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (response.ok) {
        await this.events.markDelivered(event.id, this.clock.now());
        return true;
      }
      error = `HTTP ${response.status}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.name : 'delivery failed';
    }
    const next =
      event.attempts >= this.options.maxAttempts
        ? null
        : new Date(now.getTime() + backoffSeconds(event.attempts) * 1000);
    await this.events.markFailedAttempt(event.id, error, next);
    return false;
  }
}
