// Authorisations to use a seal and usage requests (用印审批) in PostgreSQL.
import { AppError } from '@platform/contracts';
import type { Database } from '../db.ts';
import type { SealAuthorization, UsageRequest } from '../generated/prisma/client.ts';
import { isCheckViolation } from '@platform/db';

export type AuthorizationRecord = SealAuthorization;
/** A usage request with the seal and approvers of its authorisation. */
export type UsageRequestRecord = UsageRequest & { sealId: string; approvers: string[] };

const WITH_AUTHORIZATION = { authorization: { select: { sealId: true, approvers: true } } } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewAuthorization {
  sealId: string;
  subjects: string[];
  documentTypes: string[];
  validFrom: Date;
  validUntil: Date;
  maxUses: number | null;
  requiresApproval: boolean;
  approvers: string[];
  grantedBy: string;
}

export class AuthorizationRepository {
  constructor(private readonly db: Database) {}

  create(grant: NewAuthorization): Promise<AuthorizationRecord> {
    return this.db.sealAuthorization.create({ data: grant });
  }

  async find(id: string): Promise<AuthorizationRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    return (await this.db.sealAuthorization.findUnique({ where: { id } })) ?? undefined;
  }

  /** Sets revokedAt once; a second revocation keeps the first time. */
  async revoke(id: string, at: Date): Promise<AuthorizationRecord | undefined> {
    await this.db.sealAuthorization.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    return this.find(id);
  }

  listBySeal(sealId: string): Promise<AuthorizationRecord[]> {
    return this.db.sealAuthorization.findMany({ where: { sealId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
  }

  /** Every authorisation of the seal naming the subject, whatever its state. */
  forSubject(sealId: string, subject: string): Promise<AuthorizationRecord[]> {
    return this.db.sealAuthorization.findMany({
      where: { sealId, subjects: { has: subject } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  createUsageRequest(request: {
    authorizationId: string;
    requestedBy: string;
    documentType: string;
    purpose: string;
  }): Promise<UsageRequestRecord> {
    return this.db.usageRequest.create({ data: request, include: WITH_AUTHORIZATION }).then(withSealId);
  }

  async findUsageRequest(id: string): Promise<UsageRequestRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.db.usageRequest.findUnique({
      where: { id },
      include: WITH_AUTHORIZATION,
    });
    return row ? withSealId(row) : undefined;
  }

  /** Decides a pending request; refused (by the database too) when the decider is the requester. */
  async decide(
    id: string,
    decision: { status: 'approved' | 'rejected'; decidedBy: string; reason: string | null; at: Date },
  ): Promise<UsageRequestRecord> {
    try {
      const { count } = await this.db.usageRequest.updateMany({
        where: { id, status: 'pending' },
        data: {
          status: decision.status,
          decidedBy: decision.decidedBy,
          decidedAt: decision.at,
          decisionReason: decision.reason,
        },
      });
      if (count === 0) throw new AppError('USAGE_REQUEST_NOT_PENDING', 'The usage request was already decided');
    } catch (error) {
      if (isCheckViolation(error)) {
        throw new AppError('SEAL_SAME_PERSON_APPROVAL', 'The requester cannot decide their own usage request');
      }
      throw error;
    }
    const decided = await this.findUsageRequest(id);
    if (!decided) throw new AppError('USAGE_REQUEST_NOT_FOUND', 'No such usage request');
    return decided;
  }

  async pendingUsageRequests(filter: { sealId?: string }): Promise<UsageRequestRecord[]> {
    const rows = await this.db.usageRequest.findMany({
      where: { status: 'pending', ...(filter.sealId ? { authorization: { sealId: filter.sealId } } : {}) },
      include: WITH_AUTHORIZATION,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: 500,
    });
    return rows.map(withSealId);
  }
}

function withSealId(
  row: UsageRequest & { authorization: { sealId: string; approvers: string[] } },
): UsageRequestRecord {
  const { authorization, ...request } = row;
  return { ...request, sealId: authorization.sealId, approvers: authorization.approvers };
}
