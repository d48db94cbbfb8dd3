// Approval of each use (用印审批): the user asks, a second person approves or rejects, and an
// approved request is good for exactly one signature (marked used in the signing transaction).
import { AppError } from '@platform/contracts';
import type { AuthorizationRepository, UsageRequestRecord } from '../../repositories/authorization-repository.ts';
import type { SealRepository } from '../../repositories/seal-repository.ts';
import { chooseAuthorization } from './use-authorization.ts';

export class UsageApproval {
  constructor(
    private readonly authorizations: AuthorizationRepository,
    private readonly seals: SealRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A request under the caller's valid authorisation that requires approval. */
  async request(
    subject: string,
    input: { sealId: string; documentType: string; purpose: string },
  ): Promise<UsageRequestRecord> {
    if (!(await this.seals.find(input.sealId))) throw new AppError('SEAL_NOT_FOUND', 'No such seal');
    const candidates = (await this.authorizations.forSubject(input.sealId, subject)).filter((a) => a.requiresApproval);
    // Every check but the approval itself (that is what this request is for).
    const authorization = chooseAuthorization(
      candidates.map((a) => ({ ...a, requiresApproval: false })),
      { subject, documentType: input.documentType, now: this.now() },
    );
    return this.authorizations.createUsageRequest({
      authorizationId: authorization.id,
      requestedBy: subject,
      documentType: input.documentType,
      purpose: input.purpose,
    });
  }

  approve(usageRequestId: string, approver: string, reason?: string): Promise<UsageRequestRecord> {
    return this.decide(usageRequestId, approver, 'approved', reason ?? null);
  }

  reject(usageRequestId: string, approver: string, reason: string): Promise<UsageRequestRecord> {
    return this.decide(usageRequestId, approver, 'rejected', reason);
  }

  /** Pending requests the caller may decide: not their own, and they are a named approver (if any are named). */
  async pending(approver: string, sealId?: string): Promise<UsageRequestRecord[]> {
    const requests = await this.authorizations.pendingUsageRequests(sealId ? { sealId } : {});
    return requests.filter((r) => r.requestedBy !== approver && mayApprove(r, approver));
  }

  private async decide(
    usageRequestId: string,
    approver: string,
    status: 'approved' | 'rejected',
    reason: string | null,
  ): Promise<UsageRequestRecord> {
    const request = await this.authorizations.findUsageRequest(usageRequestId);
    if (!request) throw new AppError('USAGE_REQUEST_NOT_FOUND', 'No such usage request');
    if (request.requestedBy === approver) {
      throw new AppError('SEAL_SAME_PERSON_APPROVAL', 'The requester cannot decide their own usage request');
    }
    if (!mayApprove(request, approver)) {
      throw new AppError('NOT_AN_APPROVER', 'You are not among the approvers of this authorisation');
    }
    if (request.status !== 'pending') {
      throw new AppError('USAGE_REQUEST_NOT_PENDING', `The usage request is already ${request.status}`);
    }
    return this.authorizations.decide(usageRequestId, { status, decidedBy: approver, reason, at: this.now() });
  }
}

const mayApprove = (request: UsageRequestRecord, approver: string) =>
  request.approvers.length === 0 || request.approvers.includes(approver);
