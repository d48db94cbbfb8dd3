// Granting, revoking and listing authorisations to use a seal (用印授权).
import { AppError, type AuthorizationGrant } from '@platform/contracts';
import type { AuthorizationRecord, AuthorizationRepository } from '../../repositories/authorization-repository.ts';
import type { SealRepository } from '../../repositories/seal-repository.ts';

const FINAL = ['lost', 'cancelled', 'expired'];

export class Authorizations {
  constructor(
    private readonly authorizations: AuthorizationRepository,
    private readonly seals: SealRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async grant(actor: string, grant: AuthorizationGrant): Promise<AuthorizationRecord> {
    const seal = await this.seals.find(grant.sealId);
    if (!seal) throw new AppError('SEAL_NOT_FOUND', 'No such seal');
    if (FINAL.includes(seal.status)) {
      throw new AppError('SEAL_NOT_ACTIVE', `The seal is ${seal.status}: it can no longer be authorised`);
    }
    const validFrom = grant.validFrom ? new Date(grant.validFrom) : this.now();
    const validUntil = new Date(grant.validUntil);
    if (validUntil.getTime() <= validFrom.getTime()) {
      throw new AppError('VALIDATION_FAILED', 'validUntil must be after validFrom', {
        issues: [{ path: 'validUntil', message: 'must be after validFrom' }],
      });
    }
    return this.authorizations.create({
      sealId: grant.sealId,
      subjects: unique(grant.subjects),
      documentTypes: unique(grant.documentTypes),
      validFrom,
      validUntil,
      maxUses: grant.maxUses,
      requiresApproval: grant.requiresApproval,
      approvers: unique(grant.approvers),
      grantedBy: actor,
    });
  }

  async revoke(authorizationId: string): Promise<AuthorizationRecord> {
    const revoked = await this.authorizations.revoke(authorizationId, this.now());
    if (!revoked) throw new AppError('AUTHORIZATION_NOT_FOUND', 'No such authorisation');
    return revoked;
  }

  async list(sealId: string): Promise<AuthorizationRecord[]> {
    if (!(await this.seals.find(sealId))) throw new AppError('SEAL_NOT_FOUND', 'No such seal');
    return this.authorizations.listBySeal(sealId);
  }
}

const unique = (values: string[]) => [...new Set(values)];
