// Sends due callback copies to the payment service, signed. Copies are claimed in the database
// (any replica may run this). Retries: network errors and 5xx back off (1 s, 2 s, 4 s …); a 4xx
// means the payment service refused the message as such, so the copy is marked failed.
import type { Database } from '../db.ts';
import { PaymentRepository, type ClaimedCallback } from '../repositories/payments.ts';
import { SwitchRepository } from '../repositories/switches.ts';
import { signConfirmation } from './confirmations.ts';
import type { CallbackSigner } from './signing-key.ts';

export interface DispatcherOptions {
  callbackUrl: string;
  maxAttempts: number;
  timeoutMs: number;
  now?: () => Date;
}

const LEASE_MS = 30_000;

export class CallbackDispatcher {
  private readonly payments: PaymentRepository;
  private readonly now: () => Date;
  constructor(
    private readonly db: Database,
    private readonly signer: CallbackSigner,
    private readonly options: DispatcherOptions,
  ) {
    this.payments = new PaymentRepository(db);
    this.now = options.now ?? (() => new Date());
  }

  /** Sends every due copy once; returns how many were delivered. */
  async runOnce(batch = 100): Promise<number> {
    const { reorder } = await new SwitchRepository(this.db).get();
    const claimed = await this.payments.claimDue(this.now(), LEASE_MS, batch, reorder);
    let delivered = 0;
    // In claim order, one by one: with "reorder" on, the payment service sees newest first.
    for (const callback of claimed) if (await this.send(callback)) delivered++;
    return delivered;
  }

  private async send(callback: ClaimedCallback): Promise<boolean> {
    const message = signConfirmation(callback.payment, this.signer, this.now());
    let error: string;
    let retry = true;
    try {
      const response = await fetch(this.options.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-channel-timestamp': String(message.timestamp),
          'x-channel-signature': message.signature,
        },
        body: message.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.arrayBuffer();
      if (response.ok) {
        await this.payments.finish(callback.id, 'delivered', this.now());
        return true;
      }
      error = `HTTP ${response.status}`;
      retry = response.status >= 500 || response.status === 429;
    } catch (cause) {
      error = cause instanceof Error ? cause.name : 'send failed';
    }
    if (!retry || callback.attempts >= this.options.maxAttempts)
      await this.payments.finish(callback.id, 'failed', this.now(), error);
    else
      await this.payments.retryAt(
        callback.id,
        new Date(this.now().getTime() + 1000 * 2 ** (callback.attempts - 1)),
        error,
      );
    return false;
  }
}
