import { createRouter, systemRouter, type DatabaseCheck } from '@platform/service-kit';
import type { PaymentCore } from './composition.ts';
import type { Database } from './db.ts';
import type { Env } from './env.ts';
import { SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { itemsRouter } from './routers/items/items-router.ts';
import { ledgerRouter } from './routers/ledger/ledger-router.ts';
import { noticesRouter } from './routers/notices/notices-router.ts';
import { receiptsRouter } from './routers/receipts/receipts-router.ts';
import { reconciliationRouter } from './routers/reconciliation/reconciliation-router.ts';
import { refundsRouter } from './routers/refunds/refunds-router.ts';
import { statsRouter } from './routers/stats/stats-router.ts';
import { unitsRouter } from './routers/units/units-router.ts';
import { webhooksRouter } from './routers/webhooks/webhooks-router.ts';

export function createAppRouter(deps: { env: Env; checkDatabase: DatabaseCheck; core: PaymentCore; db: Database }) {
  return createRouter({
    system: systemRouter({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      environment: deps.env.NODE_ENV,
      checkDatabase: deps.checkDatabase,
    }),
    unit: createRouter(unitsRouter(deps)),
    item: createRouter(itemsRouter(deps)),
    notice: createRouter(noticesRouter(deps)),
    receipt: createRouter(receiptsRouter(deps)),
    webhook: createRouter(webhooksRouter(deps)),
    refund: createRouter(refundsRouter(deps)),
    reconciliation: createRouter(reconciliationRouter(deps)),
    stats: createRouter(statsRouter(deps)),
    ledger: createRouter(ledgerRouter(deps)),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
