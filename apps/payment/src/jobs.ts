// Background loops of one replica: webhook delivery, refund instructions awaiting the channel's
// answer, lost-callback recovery and notice expiry.
// Each loop's work is claimed in the database, so any number of replicas may run them at once.
import type { Logger } from '@platform/service-kit';
import type { PaymentCore } from './composition.ts';
import type { Env } from './env.ts';

export interface Jobs {
  start(): void;
  stop(): Promise<void>;
  /** Asks the webhook loop to run now (after a payment was recorded). */
  nudgeWebhooks(): void;
}

export function createJobs(env: Env, core: PaymentCore, log: Logger): Jobs {
  let running = false;
  let nudging = false;
  let nudgeAgain = false;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();

  const loop = (name: string, everyMs: number, work: () => Promise<unknown>) => {
    const tick = () => {
      if (!running) return;
      const run = work()
        .catch((error: unknown) => log.warn({ err: error, job: name }, 'background job failed'))
        .finally(() => {
          inFlight.delete(run);
          if (!running) return;
          const timer = setTimeout(tick, everyMs);
          timer.unref();
          timers.add(timer);
        });
      inFlight.add(run);
    };
    return tick;
  };

  const webhooks = loop('webhooks', env.JOB_INTERVAL_MS, () => core.webhooks.runOnce());
  const slowEvery = Math.max(env.JOB_INTERVAL_MS, 30_000);
  const recovery = loop('recovery', slowEvery, () => core.recovery.run(env.RECOVERY_AFTER_SECONDS));
  const expiry = loop('expiry', slowEvery, () => core.lifecycle.expireOverdue(env.EXPIRY_GRACE_DAYS));
  const refunds = loop('refunds', env.JOB_INTERVAL_MS, () => core.refundExecutor.runOnce());

  return {
    start() {
      if (running) return;
      running = true;
      webhooks();
      recovery();
      expiry();
      refunds();
    },
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
    nudgeWebhooks() {
      if (!running) return;
      // Coalesced: a burst of payments causes one delivery run at a time (plus one after it for
      // what arrived meanwhile), not one claim query per payment.
      if (nudging) {
        nudgeAgain = true;
        return;
      }
      nudging = true;
      const run = core.webhooks
        .runOnce()
        .catch((error: unknown) => log.warn({ err: error }, 'webhook delivery failed'))
        .finally(() => {
          inFlight.delete(run);
          nudging = false;
          if (nudgeAgain) {
            nudgeAgain = false;
            this.nudgeWebhooks();
          }
        });
      inFlight.add(run);
    },
  };
}
