import { createRouter, systemRouter, type DatabaseCheck } from '@platform/service-kit';
import type { LicenseCore } from './composition.ts';
import type { Env } from './env.ts';
import { SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { batchesRouter } from './routers/batches/index.ts';
import { grantsRouter } from './routers/grants/index.ts';
import { licenseProcedures } from './routers/licenses/index.ts';
import { trustRouter } from './routers/trust/index.ts';
import { typesRouter } from './routers/types/index.ts';
import { verifyFileProcedure, verifyProcedure } from './routers/verify/index.ts';
import { walletProcedures } from './routers/wallet/index.ts';

export function createAppRouter(deps: {
  env: Env;
  checkDatabase: DatabaseCheck;
  core: LicenseCore;
  onBatchSubmitted?: () => void;
  onLicenseIssued?: () => void;
}) {
  return createRouter({
    system: systemRouter({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      environment: deps.env.NODE_ENV,
      checkDatabase: deps.checkDatabase,
    }),
    types: typesRouter(deps.core),
    ...licenseProcedures(deps.core, deps.onLicenseIssued ?? (() => undefined)),
    batch: batchesRouter(deps.core, deps.onBatchSubmitted ?? (() => undefined)),
    verify: verifyProcedure(deps.core),
    verifyFile: verifyFileProcedure(deps.core),
    ...walletProcedures(deps.core),
    grants: grantsRouter(deps.core),
    trust: trustRouter(deps.core),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
