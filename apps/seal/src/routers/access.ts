// Scopes of the seal API (requested by clients from identity for audience urn:platform:seal) and
// the caller identity that authorisations name.
import { requireScope } from '@platform/auth';
import { AppError, type Principal } from '@platform/contracts';

export const SCOPES = {
  /** Seal lifecycle and authorisations. */
  admin: 'seal:admin',
  /** Signing, and asking for approval of a use. */
  sign: 'seal:sign',
  /** Deciding usage requests (用印审批). */
  approve: 'seal:approve',
} as const;

/** The caller's subject after checking the scope: a person's account or, for client_credentials, the client. */
export function callerWith(principal: Principal | undefined, scope: string): string {
  requireScope(principal, scope);
  return principal!.subject;
}

/** Reading seals needs any of the seal scopes. */
export function reader(principal: Principal | undefined): string {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
  if (!Object.values(SCOPES).some((scope) => principal.scopes.includes(scope))) {
    throw new AppError('INSUFFICIENT_SCOPE', 'The access token lacks a seal:* scope');
  }
  return principal.subject;
}
