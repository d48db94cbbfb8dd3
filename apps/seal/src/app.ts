// Wires the seal service from its config and database; used by main.ts and by tests.
import { bearerAuthenticator, createTokenVerifier } from '@platform/auth';
import { sealContract } from '@platform/contracts';
import { createService, type Service } from '@platform/service-kit';
import { createSealCore, type CoreOptions, type SealCore } from './composition.ts';
import type { Database } from './db.ts';
import { CertificateAuthority } from './domain/ca/authority.ts';
import { declareSeals } from './domain/seals/declared-seals.ts';
import { publicationUrls } from './domain/ca/profiles.ts';
import { resolveKek } from './domain/keys/kek-source.ts';
import { KeyCustody } from './domain/keys/key-custody.ts';
import type { Env } from './env.ts';
import { publicationRoutes } from './http/publication-routes.ts';
import { RESOURCE, SERVICE_NAME, SERVICE_VERSION } from './meta.ts';
import { CertificateRepository } from './repositories/certificate-repository.ts';
import { createAppRouter } from './router.ts';

export interface SealServiceOptions extends CoreOptions {
  core?: SealCore;
}

/** The CA with its hierarchy ensured once per process (and once per database across replicas). */
export function createAuthority(env: Env, db: Database): () => Promise<CertificateAuthority> {
  const custody = new KeyCustody(
    resolveKek({ nodeEnv: env.NODE_ENV, configured: env.KEY_ENCRYPTION_KEY, dataDir: env.DATA_DIR }),
    env.NODE_ENV === 'production',
  );
  const authority = new CertificateAuthority(
    new CertificateRepository(db, db),
    custody,
    publicationUrls(env.PUBLIC_URL),
  );
  let ready: Promise<CertificateAuthority> | undefined;
  return () => {
    ready ??= authority.ensureHierarchy().then(
      () => authority,
      (error: unknown) => {
        ready = undefined; // retry on the next call (e.g. the database was briefly down)
        throw error;
      },
    );
    return ready;
  };
}

export function createSealCoreFor(env: Env, db: Database, options: CoreOptions = {}): SealCore {
  return createSealCore(
    db,
    createAuthority(env, db),
    { maxDocumentBytes: env.MAX_DOCUMENT_BYTES, production: env.NODE_ENV === 'production' },
    options,
  );
}

export function createSealService(env: Env, db: Database, options: SealServiceOptions = {}): Service {
  const checkDatabase = () => db.$queryRaw`SELECT 1`;
  const core = options.core ?? createSealCoreFor(env, db, options);
  const service = createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    env,
    contract: sealContract,
    router: createAppRouter({ env, checkDatabase, core }),
    checkDatabase,
    authenticate: bearerAuthenticator(
      createTokenVerifier({ issuer: env.IDENTITY_ISSUER_URL, audience: RESOURCE, jwksUrl: env.IDENTITY_JWKS_URL }),
    ),
    routes: publicationRoutes({ authority: core.authority, timestamps: core.timestamps }),
    onClose: () => db.$disconnect(),
  });
  return {
    ...service,
    async listen(port, host) {
      await declareSeals({ ...core, now: () => new Date() }, env.BOOTSTRAP_SEALS);
      return service.listen(port, host);
    },
  };
}
