// The composition root: every domain service of the payment service from its config, database and
// clock. Tests pass their own clock, channel or sealer.
import type { Logger } from '@platform/service-kit';
import { systemClock, type Clock } from './clock.ts';
import type { Database } from './db.ts';
import type { Env } from './env.ts';
import { BanksimChannel } from './domain/channels/banksim-channel.ts';
import type { PaymentChannel } from './domain/channels/channel.ts';
import { loadMerchantSigner } from './domain/channels/merchant-key.ts';
import { ItemCatalogue } from './domain/items/item-catalogue.ts';
import { NoticeIssuer } from './domain/notices/notice-issuer.ts';
import { NoticeLifecycle } from './domain/notices/notice-lifecycle.ts';
import { PaymentRecorder } from './domain/payments/payment-recorder.ts';
import { PaymentRecovery } from './domain/payments/recovery.ts';
import { PaymentQueries } from './domain/queries/payment-queries.ts';
import { Reconciliation } from './domain/reconciliation/reconciliation.ts';
import { RefundExecutor } from './domain/refunds/refund-executor.ts';
import { RefundWorkflow } from './domain/refunds/refund-workflow.ts';
import { ReceiptService } from './domain/receipts/receipt-service.ts';
import { receiptSealerFor } from './domain/receipts/receipt-sealer-config.ts';
import type { ReceiptSealer } from './domain/receipts/receipt-sealer.ts';
import { UnitRegistry } from './domain/units/unit-registry.ts';
import { WebhookEventLog } from './domain/webhooks/event-log.ts';
import { WebhookDispatcher } from './domain/webhooks/webhook-dispatcher.ts';

export interface CoreOptions {
  clock?: Clock;
  channel?: PaymentChannel;
  sealer?: ReceiptSealer;
  fetch?: typeof fetch;
}

export type PaymentCore = ReturnType<typeof createPaymentCore>;

export function createPaymentCore(env: Env, db: Database, log: Logger, options: CoreOptions = {}) {
  const clock = options.clock ?? systemClock;
  const channel =
    options.channel ??
    new BanksimChannel({
      url: env.BANKSIM_URL,
      publicKeyPem: env.BANKSIM_CALLBACK_PUBLIC_KEY,
      toleranceSeconds: env.CALLBACK_TOLERANCE_SECONDS,
      clock,
      merchant: loadMerchantSigner(env.DATA_DIR, 'banksim'),
      refundTimeoutMs: env.REFUND_TIMEOUT_MS,
    });
  const sealer = options.sealer ?? receiptSealerFor(env, log);
  const units = new UnitRegistry(db);
  const items = new ItemCatalogue(db);
  const recorder = new PaymentRecorder(db, clock, units);
  const refundExecutor = new RefundExecutor(db, [channel], clock, log);
  return {
    clock,
    channel,
    units,
    items,
    issuer: new NoticeIssuer(db, clock, items),
    lifecycle: new NoticeLifecycle(db, clock),
    recorder,
    recovery: new PaymentRecovery(db, channel, recorder, clock, log),
    receipts: new ReceiptService(db, sealer, clock),
    queries: new PaymentQueries(db),
    refunds: new RefundWorkflow(db, clock, refundExecutor),
    refundExecutor,
    reconciliation: new Reconciliation(db, [channel], clock),
    events: new WebhookEventLog(db, clock),
    webhooks: new WebhookDispatcher(db, clock, {
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  };
}
