// The composition root: every repository and domain service of the license service, built from its
// config, database and clock. Tests pass their own clock.
import { systemClock, type Clock } from './clock.ts';
import type { Database } from './db.ts';
import type { Env } from './env.ts';
import { loadKeyEncryptionKey, SecretBox } from '@platform/key-custody';
import { BatchIssuing } from './domain/batches/batch-issuing.ts';
import { LicenseFiles } from './domain/files/license-files.ts';
import { licenseSealerFor, sealVerifierFor } from './domain/files/license-sealer-config.ts';
import type { LicenseSealer } from './domain/files/license-sealer.ts';
import { MutualRecognition, fetchText, type FetchText } from './domain/recognition/mutual-recognition.ts';
import { UseGrants } from './domain/grants/use-grants.ts';
import { IssuerKeys } from './domain/keys/issuer-keys.ts';
import { LicenseIssuing } from './domain/licenses/issuing.ts';
import { LicenseStatusChanges } from './domain/licenses/status-changes.ts';
import { Presentations } from './domain/presentations/presentations.ts';
import { StatusLists } from './domain/status/status-lists.ts';
import { LicenseTypes } from './domain/types/license-types.ts';
import { UsageLog } from './domain/usage/usage-log.ts';
import { LicenseRowCache } from './domain/verification/license-row-cache.ts';
import { FileVerification, type FileSealVerifier } from './domain/verification/file-verification.ts';
import { Verification } from './domain/verification/verification.ts';
import { PgLicenseChangeFeed, type LicenseChangeFeed } from './repositories/license-change-feed.ts';
import { BatchRepository } from './repositories/batches.ts';
import { LicenseFileRepository } from './repositories/license-files.ts';
import { TrustRepository } from './repositories/trust.ts';
import { GrantRepository } from './repositories/grants.ts';
import { IssuerKeyRepository } from './repositories/issuer-keys.ts';
import { LicenseTypeRepository } from './repositories/license-types.ts';
import { LicenseRepository } from './repositories/licenses.ts';
import { PresentationRepository } from './repositories/presentations.ts';
import { StatusListRepository } from './repositories/status-lists.ts';
import { UsageRepository } from './repositories/usage.ts';

export interface CoreOptions {
  clock?: Clock;
  /** How other regions' JWKS and status lists are fetched (tests may count or fail the calls). */
  fetchText?: FetchText;
  /** Where verification learns of license changes; by default a LISTEN connection, opened on first use. */
  licenseChanges?: LicenseChangeFeed;
  /** Seals license files; by default the seal service at SEAL_URL (none: files stay pending_seal). */
  sealer?: LicenseSealer;
  /** Verifies uploaded license files' seals; by default the seal service at SEAL_URL. */
  sealVerifier?: FileSealVerifier;
}

export type LicenseCore = ReturnType<typeof createLicenseCore>;

export function createLicenseCore(env: Env, db: Database, options: CoreOptions = {}) {
  const clock = options.clock ?? systemClock;
  const box = new SecretBox(
    loadKeyEncryptionKey({ configured: env.KEY_ENCRYPTION_KEY, nodeEnv: env.NODE_ENV, dataDir: env.DATA_DIR }).key,
  );
  const repositories = {
    types: new LicenseTypeRepository(db),
    keys: new IssuerKeyRepository(db),
    licenses: new LicenseRepository(db),
    statusLists: new StatusListRepository(db),
    presentations: new PresentationRepository(db),
    usage: new UsageRepository(db),
    grants: new GrantRepository(db),
    batches: new BatchRepository(db),
    trust: new TrustRepository(db),
    files: new LicenseFileRepository(db),
  };
  const keys = new IssuerKeys(repositories.keys, box, env.PUBLIC_URL);
  const statusLists = new StatusLists(repositories.statusLists, keys, clock, {
    publicUrl: env.PUBLIC_URL,
    ttlSeconds: env.STATUS_LIST_TTL_SECONDS,
  });
  const types = new LicenseTypes(repositories.types, clock);
  const usage = new UsageLog(repositories.usage, clock);
  const issuing = new LicenseIssuing({ licenses: repositories.licenses, types, keys, statusLists, clock });
  const licenseChanges = options.licenseChanges ?? new PgLicenseChangeFeed(env.DATABASE_URL);
  const licenseRows = new LicenseRowCache(licenseChanges);
  const statusChanges = new LicenseStatusChanges({
    licenses: repositories.licenses,
    statusLists,
    issuing,
    clock,
    committed: (identifier) => licenseRows.forget(identifier),
  });
  const recognition = new MutualRecognition({
    trust: repositories.trust,
    types,
    clock,
    fetchText: options.fetchText ?? fetchText,
    localIssuerPrefix: `${env.PUBLIC_URL}/issuers/`,
  });
  const verification = new Verification({
    rows: licenseRows,
    recognition,
    licenses: repositories.licenses,
    types: repositories.types,
    presentations: repositories.presentations,
    keys,
    usage,
    clock,
  });
  const presentations = new Presentations({
    licenses: repositories.licenses,
    presentations: repositories.presentations,
    keys,
    statusLists,
    clock,
    ttlSeconds: env.PRESENTATION_TTL_SECONDS,
  });
  const grants = new UseGrants({
    grants: repositories.grants,
    licenses: repositories.licenses,
    keys,
    usage,
    clock,
    copyTtlSeconds: env.ANNOTATED_COPY_TTL_SECONDS,
    nodeUrl: env.PUBLIC_URL,
  });
  const batches = new BatchIssuing({
    batches: repositories.batches,
    licenses: repositories.licenses,
    issuing,
    types,
    clock,
    options: { claimSize: env.BATCH_CLAIM_SIZE, leaseSeconds: env.BATCH_LEASE_SECONDS },
  });
  const files = new LicenseFiles({
    files: repositories.files,
    licenses: repositories.licenses,
    grants: repositories.grants,
    usage,
    sealer: options.sealer ?? licenseSealerFor(env),
    clock,
    options: {
      claimSize: env.FILE_CLAIM_SIZE,
      leaseSeconds: env.FILE_LEASE_SECONDS,
      retryBaseSeconds: env.FILE_RETRY_BASE_SECONDS,
      retryMaxSeconds: env.FILE_RETRY_MAX_SECONDS,
      publicUrl: env.PUBLIC_URL,
    },
  });
  const fileVerification = new FileVerification({
    licenses: repositories.licenses,
    files: repositories.files,
    verification,
    seals: options.sealVerifier ?? sealVerifierFor(env),
  });
  return {
    files,
    fileVerification,
    recognition,
    batches,
    grants,
    clock,
    repositories,
    keys,
    statusLists,
    types,
    usage,
    issuing,
    statusChanges,
    verification,
    presentations,
    /** Releases what the core holds open besides the database client (the change feed). */
    close: () => licenseChanges.close(),
  };
}
