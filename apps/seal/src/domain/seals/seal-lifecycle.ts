// The seal's lifecycle operations: apply, approve (four-eyes), make (key, certificate, image),
// file with the registry, activate, suspend, reinstate, report lost, cancel; expiry once validUntil
// passes. Suspension puts the certificate on hold and reinstatement releases it; lost and cancelled
// seals have their certificate revoked for good — each in the same transaction as the status change.
import { AppError, type SealApplication, type SealStatus } from '@platform/contracts';
import { CRL_LOCK, type CertificateAuthority } from '../ca/authority.ts';
import type {
  SealChanges,
  SealEventRecord,
  SealRecord,
  SealRepository,
  TransitionScope,
} from '../../repositories/seal-repository.ts';
import { drawSealOf } from './seal-appearance.ts';
import { assertTransition, certificateActionFor, isDueToExpire } from './lifecycle.ts';
import type { SealRegistry } from './seal-registry.ts';

/** The actor of changes the service makes by itself (expiry). */
export const SYSTEM_ACTOR = 'system';

type Step = (seal: SealRecord, scope: TransitionScope) => Promise<SealChanges | undefined>;

export class SealLifecycle {
  constructor(
    private readonly seals: SealRepository,
    private readonly authority: () => Promise<CertificateAuthority>,
    private readonly registry: SealRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async apply(actor: string, application: SealApplication): Promise<SealRecord> {
    // Whole seconds: X.509 validity has no fractions, and the seal and its certificate must agree.
    const validUntil = new Date(Math.floor(Date.parse(application.validUntil) / 1000) * 1000);
    if (validUntil.getTime() <= this.now().getTime()) {
      throw new AppError('VALIDATION_FAILED', 'validUntil must lie in the future', {
        issues: [{ path: 'validUntil', message: 'must lie in the future' }],
      });
    }
    return this.seals.create(
      {
        orgCode: application.orgCode,
        orgName: application.orgName,
        name: application.name,
        kind: application.kind,
        keyAlgorithm: application.keyAlgorithm,
        widthMm: application.widthMm,
        heightMm: application.heightMm,
        validUntil,
        appliedBy: actor,
      },
      application.reason,
    );
  }

  approve(sealId: string, actor: string, reason?: string): Promise<SealRecord> {
    return this.move(sealId, 'approved', actor, reason, async (seal) => {
      if (seal.appliedBy === actor) {
        throw new AppError('SEAL_SAME_PERSON_APPROVAL', 'The applicant cannot approve their own application');
      }
      return { approvedBy: actor };
    });
  }

  /**
   * Makes the seal: a key pair and certificate from the issuing CA, and its image; an SM2 seal's
   * certificate comes from the SM2 hierarchy, with its GB/T 38540 SESeal.
   */
  make(sealId: string, actor: string, reason?: string): Promise<SealRecord> {
    return this.move(sealId, 'made', actor, reason, async (seal, scope) => {
      const now = this.now();
      if (seal.validUntil.getTime() <= now.getTime()) {
        throw new AppError('SEAL_TRANSITION_INVALID', 'The seal’s requested validity has already ended');
      }
      const authority = await this.authority();
      const artwork = drawSealOf(seal);
      // A minute early so that a verifier whose clock is slightly behind accepts fresh seals.
      const notBefore = new Date(now.getTime() - 60_000);
      const made = { validFrom: now, imageSvg: artwork.svg, imagePng: artwork.png };
      if (seal.keyAlgorithm === 'sm2') {
        const sm2 = await authority.sm2.makeSeal(
          {
            id: seal.id,
            name: seal.name,
            orgName: seal.orgName,
            orgCode: seal.orgCode,
            notBefore,
            notAfter: seal.validUntil,
            picture: { png: artwork.png, widthMm: seal.widthMm, heightMm: seal.heightMm },
          },
          scope.certificates,
        );
        return { ...made, certificateId: sm2.certificate.id, gbt38540Seal: sm2.sealDer };
      }
      const certificate = await authority.issueSealCertificate(
        {
          subject: {
            commonName: seal.name,
            organization: seal.orgName,
            organizationIdentifier: seal.orgCode,
            country: 'CN',
          },
          algorithm: seal.keyAlgorithm,
          notBefore,
          notAfter: seal.validUntil,
        },
        scope.certificates,
      );
      return { ...made, certificateId: certificate.id };
    });
  }

  file(sealId: string, actor: string, reason?: string): Promise<SealRecord> {
    return this.move(sealId, 'filed', actor, reason, async (seal) => {
      if (!seal.certificate) throw new AppError('SEAL_TRANSITION_INVALID', 'The seal has not been made');
      let filingNumber: string;
      try {
        ({ filingNumber } = await this.registry.file({
          id: seal.id,
          orgCode: seal.orgCode,
          orgName: seal.orgName,
          name: seal.name,
          kind: seal.kind,
          certificateSerial: seal.certificate.serial,
        }));
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('SEAL_REGISTRY_UNAVAILABLE', 'The seal registry did not accept the filing', {
          cause: error,
        });
      }
      return { filingNumber };
    });
  }

  activate(sealId: string, actor: string, reason?: string): Promise<SealRecord> {
    return this.move(sealId, 'active', actor, reason, async (seal) => {
      if (seal.status !== 'filed') throw invalid(seal.status, 'active');
      return undefined;
    });
  }

  suspend(sealId: string, actor: string, reason: string): Promise<SealRecord> {
    return this.move(sealId, 'suspended', actor, reason);
  }

  reinstate(sealId: string, actor: string, reason?: string): Promise<SealRecord> {
    return this.move(sealId, 'active', actor, reason, async (seal) => {
      if (seal.status !== 'suspended') throw invalid(seal.status, 'active');
      return undefined;
    });
  }

  reportLost(sealId: string, actor: string, reason: string): Promise<SealRecord> {
    return this.move(sealId, 'lost', actor, reason);
  }

  cancel(sealId: string, actor: string, reason: string): Promise<SealRecord> {
    return this.move(sealId, 'cancelled', actor, reason);
  }

  /** The seal, expired first when its validity has ended (so every reader sees the same status). */
  async get(sealId: string): Promise<SealRecord> {
    const seal = await this.seals.find(sealId);
    if (!seal) throw new AppError('SEAL_NOT_FOUND', 'No such seal');
    return this.expireIfDue(seal);
  }

  async list(filter: {
    orgCode?: string | undefined;
    status?: SealStatus | undefined;
    limit: number;
  }): Promise<SealRecord[]> {
    const seals = await this.seals.list({
      limit: filter.limit,
      ...(filter.orgCode ? { orgCode: filter.orgCode } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    });
    const current = await Promise.all(seals.map((seal) => this.expireIfDue(seal)));
    return filter.status ? current.filter((seal) => seal.status === filter.status) : current;
  }

  async events(sealId: string): Promise<SealEventRecord[]> {
    await this.get(sealId);
    return this.seals.events(sealId);
  }

  async expireIfDue(seal: SealRecord): Promise<SealRecord> {
    if (!isDueToExpire(seal, this.now())) return seal;
    try {
      return await this.move(seal.id, 'expired', SYSTEM_ACTOR, 'validity ended', async (locked) => {
        // Another replica may have expired (or otherwise changed) it meanwhile.
        if (!isDueToExpire(locked, this.now())) throw new StaleExpiry();
        return undefined;
      });
    } catch (error) {
      if (error instanceof StaleExpiry) return (await this.seals.find(seal.id)) ?? seal;
      throw error;
    }
  }

  private move(
    sealId: string,
    to: SealStatus,
    actor: string,
    reason: string | undefined,
    step?: Step,
  ): Promise<SealRecord> {
    return this.seals.transition(sealId, actor, reason, async (seal, scope) => {
      assertTransition(seal.status, to);
      const changes = (await step?.(seal, scope)) ?? {};
      await this.applyToCertificate(seal, to, scope);
      return { to, changes };
    });
  }

  /** The certificate side of a status change, in the seal's transaction, so both commit or neither. */
  private async applyToCertificate(seal: SealRecord, to: SealStatus, scope: TransitionScope): Promise<void> {
    const action = certificateActionFor(seal.status, to);
    const certificate = seal.certificate;
    if (!action || !certificate) return;
    const held = certificate.revocationReason === 'certificateHold';
    if (action.kind === 'release-hold' && !held) return;
    // Already revoked for good (e.g. lost, then cancelled): the first final reason stands.
    if (action.kind === 'revoke' && certificate.revokedAt && !held) return;
    if (action.kind === 'revoke' && held && action.reason === 'certificateHold') return;
    await scope.lock(CRL_LOCK);
    const authority = await this.authority();
    if (action.kind === 'release-hold') await authority.releaseHoldIn(scope.certificates, certificate.id);
    else await authority.revokeIn(scope.certificates, certificate.id, action.reason);
  }
}

class StaleExpiry extends Error {}

const invalid = (from: SealStatus, to: SealStatus) =>
  new AppError('SEAL_TRANSITION_INVALID', `A seal that is ${from} cannot become ${to}`);
