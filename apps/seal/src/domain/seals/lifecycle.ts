// The seal lifecycle (apply → approve → make → file → active ⇄ suspended; lost, cancelled, expired).
// The same table is enforced by the database trigger `seal_guard_transition`; this copy gives
// callers a specific error before any write.
import { AppError, type SealStatus } from '@platform/contracts';

const ALLOWED: Record<SealStatus, readonly SealStatus[]> = {
  applied: ['approved', 'cancelled'],
  approved: ['made', 'cancelled'],
  made: ['filed', 'cancelled', 'expired'],
  filed: ['active', 'cancelled', 'expired'],
  active: ['suspended', 'lost', 'cancelled', 'expired'],
  suspended: ['active', 'lost', 'cancelled', 'expired'],
  lost: ['cancelled'],
  cancelled: [],
  expired: [],
};

export function canTransition(from: SealStatus, to: SealStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function assertTransition(from: SealStatus, to: SealStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('SEAL_TRANSITION_INVALID', `A seal that is ${from} cannot become ${to}`);
  }
}

/** Statuses in which reaching validUntil turns the seal expired. */
const EXPIRABLE: readonly SealStatus[] = ['made', 'filed', 'active', 'suspended'];

export function isDueToExpire(seal: { status: SealStatus; validUntil: Date }, now: Date): boolean {
  return EXPIRABLE.includes(seal.status) && seal.validUntil.getTime() <= now.getTime();
}

/**
 * What a status change does to the seal's certificate: suspension puts it on hold (RFC 5280
 * certificateHold, reversible), reinstatement releases the hold, loss and cancellation revoke it
 * for good with the reason each implies (replacing a hold).
 */
export type CertificateAction =
  { kind: 'revoke'; reason: 'certificateHold' | 'keyCompromise' | 'cessationOfOperation' } | { kind: 'release-hold' };

export function certificateActionFor(from: SealStatus, to: SealStatus): CertificateAction | undefined {
  if (to === 'suspended') return { kind: 'revoke', reason: 'certificateHold' };
  if (from === 'suspended' && to === 'active') return { kind: 'release-hold' };
  if (to === 'lost') return { kind: 'revoke', reason: 'keyCompromise' };
  if (to === 'cancelled') return { kind: 'revoke', reason: 'cessationOfOperation' };
  return undefined;
}
