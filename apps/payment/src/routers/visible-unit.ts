// Whose data a staff listing may show: the finance bureau (payment:finance) sees every collecting
// unit's, optionally narrowed to one; a unit's system (payment:notice:read) only its own (asking for another
// is refused). Returns the unit to restrict to, or null for all of them.
import { requireScope } from '@platform/auth';
import { AppError, type Principal } from '@platform/contracts';
import type { PaymentCore } from '../composition.ts';
import { SCOPES } from './deps.ts';

export async function visibleUnit(
  core: PaymentCore,
  principal: Principal | undefined,
  requested: string | undefined,
): Promise<string | null> {
  if (principal?.scopes.includes(SCOPES.finance)) return requested ?? null;
  requireScope(principal, SCOPES.readNotice);
  const own = (await core.units.unitOf(principal)).creditCode;
  if (requested && requested !== own)
    throw new AppError('INSUFFICIENT_SCOPE', `Only the "${SCOPES.finance}" scope sees other collecting units`);
  return own;
}
