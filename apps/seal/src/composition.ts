// The seal service's parts, made once from config and database: the CA, the timestamp authority,
// the seal lifecycle, authorisations, usage approval and signing.
import type { Database } from './db.ts';
import type { CertificateAuthority } from './domain/ca/authority.ts';
import { Authorizations } from './domain/authorization/authorizations.ts';
import { UsageApproval } from './domain/authorization/usage-approval.ts';
import { addLongTermValidation } from './domain/pdf/ltv.ts';
import { SealRasterCache } from './domain/seals/seal-appearance.ts';
import { SealLifecycle } from './domain/seals/seal-lifecycle.ts';
import { DevelopmentSealRegistry, type SealRegistry } from './domain/seals/seal-registry.ts';
import { SealSigning, type LongTermExtender } from './domain/signing/seal-signing.ts';
import { TimestampAuthority } from './domain/tsa/timestamp-authority.ts';
import { Verification } from './domain/verify/verification.ts';
import { AuthorizationRepository } from './repositories/authorization-repository.ts';
import { SealHistoryRepository } from './repositories/seal-history-repository.ts';
import { SealRepository } from './repositories/seal-repository.ts';
import { SigningOperationRepository } from './repositories/signing-operation-repository.ts';

export interface CoreOptions {
  registry?: SealRegistry;
  /** Produces B-LT from B-T (DSS with chain and revocation data); B-LT and B-LTA are refused without it. */
  longTerm?: LongTermExtender;
  now?: () => Date;
}

export interface SealCore {
  authority: () => Promise<CertificateAuthority>;
  timestamps: () => Promise<TimestampAuthority>;
  lifecycle: SealLifecycle;
  authorizations: Authorizations;
  usage: UsageApproval;
  signing: SealSigning;
  verification: Verification;
}

export function createSealCore(
  db: Database,
  authority: () => Promise<CertificateAuthority>,
  config: { maxDocumentBytes: number; production: boolean },
  options: CoreOptions = {},
): SealCore {
  const registry = options.registry ?? new DevelopmentSealRegistry();
  if (config.production && registry.development) {
    throw new Error('the development seal registry is refused in production: configure the registry adapter');
  }
  const now = options.now ?? (() => new Date());
  const seals = new SealRepository(db);
  const authorizationRepository = new AuthorizationRepository(db);
  const timestamps = async () => {
    const ca = await authority();
    return new TimestampAuthority(() => ca.timestamping(), now);
  };
  const lifecycle = new SealLifecycle(seals, authority, registry, now);
  return {
    authority,
    timestamps,
    lifecycle,
    authorizations: new Authorizations(authorizationRepository, seals, now),
    usage: new UsageApproval(authorizationRepository, seals, now),
    signing: new SealSigning({
      lifecycle,
      authorizations: authorizationRepository,
      operations: new SigningOperationRepository(db),
      authority,
      timestamps,
      rasters: new SealRasterCache(),
      maxDocumentBytes: config.maxDocumentBytes,
      // B-LT: the DSS revision from domain/pdf/ltv.ts unless a test or deployment supplies another.
      longTerm: options.longTerm ?? (async (pdf) => addLongTermValidation(pdf, { authority: await authority(), now })),
      now,
    }),
    verification: new Verification({
      authority,
      seals: new SealHistoryRepository(db),
      maxDocumentBytes: config.maxDocumentBytes,
      now,
    }),
  };
}
