// Wires the license service from its config and database; used by main.ts and by tests.
import { licenseContract } from '@platform/contracts';
import { bearerAuthenticator, createTokenVerifier } from '@platform/auth';
import { createService, type Service } from '@platform/service-kit';
import { createLicenseCore, type CoreOptions, type LicenseCore } from './composition.ts';
import { BatchWorker } from './domain/batches/batch-worker.ts';
import type { Database } from './db.ts';
import type { Env } from './env.ts';
import { mountPublicRoutes } from './http/public-routes.ts';
import { RESOURCE, SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { createAppRouter } from './router.ts';

export function createLicenseService(
  env: Env,
  db: Database,
  options: CoreOptions & { core?: LicenseCore } = {},
): Service {
  const checkDatabase = () => db.$queryRaw`SELECT 1`;
  const core = options.core ?? createLicenseCore(env, db, options);
  // Made once the service (and its logger) exists; the router and onClose reach it through here.
  const batchWorker: { current?: BatchWorker } = {};
  const fileWorker: { current?: BatchWorker } = {};
  const service = createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    env,
    bodyLimits: { 'batch.issue': env.BATCH_BODY_LIMIT_BYTES },
    contract: licenseContract,
    router: createAppRouter({
      env,
      checkDatabase,
      core,
      onBatchSubmitted: () => batchWorker.current?.nudge(),
      onLicenseIssued: () => fileWorker.current?.nudge(),
    }),
    checkDatabase,
    authenticate: bearerAuthenticator(
      createTokenVerifier({ issuer: env.IDENTITY_ISSUER_URL, audience: RESOURCE, jwksUrl: env.IDENTITY_JWKS_URL }),
    ),
    routes: (app, kit) => mountPublicRoutes(app, core, kit.log, env.STATUS_LIST_TTL_SECONDS),
    onClose: async () => {
      await batchWorker.current?.stop();
      await fileWorker.current?.stop();
      await core.close();
      await db.$disconnect();
    },
  });
  // Every replica runs the batch worker; rows are shared out by lease, never processed twice at once.
  batchWorker.current = new BatchWorker(core.batches, env.BATCH_POLL_MS, service.log);
  batchWorker.current.start();
  // License files are sealed after issuing, by every replica (files are shared out by lease).
  fileWorker.current = new BatchWorker(core.files, env.FILE_POLL_MS, service.log, 'license file sealing');
  core.files.onSealingFailed(({ licenseId, error, retryAt }) =>
    service.log.warn({ err: error, licenseId, retryAt }, 'license file sealing failed; retrying later'),
  );
  if (core.files.sealing) fileWorker.current.start();
  else service.log.warn('SEAL_URL is not configured: license files stay pending_seal (never handed out unsealed)');
  return service;
}
