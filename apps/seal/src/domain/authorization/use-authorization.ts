// Which authorisation lets a caller use a seal now, or the most specific reason none does.
import { AppError, type ErrorCode } from '@platform/contracts';
import type { AuthorizationRecord } from '../../repositories/authorization-repository.ts';

export interface UseAttempt {
  subject: string;
  documentType: string;
  now: Date;
  /** The authorisation of the approved usage request the caller presents, if any. */
  viaAuthorizationId?: string;
}

// Later checks are more specific: when no authorisation passes, the caller hears about the last
// check the best one failed (e.g. "exhausted" rather than "not authorised").
const CHECKS: Array<{ code: ErrorCode; message: string; passes: (a: AuthorizationRecord, u: UseAttempt) => boolean }> =
  [
    {
      code: 'DOCUMENT_TYPE_NOT_AUTHORIZED',
      message: 'No authorisation of yours covers this document type for this seal',
      passes: (a, u) => a.documentTypes.includes(u.documentType),
    },
    {
      code: 'AUTHORIZATION_REVOKED',
      message: 'Your authorisation for this seal was revoked',
      passes: (a) => a.revokedAt === null,
    },
    {
      code: 'AUTHORIZATION_NOT_YET_VALID',
      message: 'Your authorisation for this seal has not started yet',
      passes: (a, u) => a.validFrom.getTime() <= u.now.getTime(),
    },
    {
      code: 'AUTHORIZATION_EXPIRED',
      message: 'Your authorisation for this seal has ended',
      passes: (a, u) => u.now.getTime() < a.validUntil.getTime(),
    },
    {
      code: 'AUTHORIZATION_EXHAUSTED',
      message: 'Your authorisation for this seal has no uses left',
      passes: (a) => a.maxUses === null || a.usedCount < a.maxUses,
    },
    {
      code: 'USAGE_APPROVAL_REQUIRED',
      message: 'Each use of this seal needs an approved usage request (usageRequestId)',
      passes: (a, u) => !a.requiresApproval || a.id === u.viaAuthorizationId,
    },
  ];

/** The authorisation to use (or throws the most specific refusal). */
export function chooseAuthorization(candidates: AuthorizationRecord[], attempt: UseAttempt): AuthorizationRecord {
  const mine = candidates.filter(
    (a) =>
      a.subjects.includes(attempt.subject) &&
      (attempt.viaAuthorizationId === undefined || a.id === attempt.viaAuthorizationId),
  );
  if (mine.length === 0) throw new AppError('NOT_AUTHORIZED_FOR_SEAL', 'You are not authorised to use this seal');
  let furthest = -1;
  for (const authorization of mine) {
    const failed = CHECKS.findIndex((check) => !check.passes(authorization, attempt));
    if (failed === -1) return authorization;
    furthest = Math.max(furthest, failed);
  }
  const check = CHECKS[furthest]!;
  throw new AppError(check.code, check.message);
}
