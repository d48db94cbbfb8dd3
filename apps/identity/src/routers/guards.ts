// Who may call what: helpers the thin procedures use on the principal set by authenticate().
import { AppError } from '@platform/contracts';
import type { ServiceContext } from '@platform/service-kit';
import { ADMIN_SCOPE } from '../domain/oauth/scopes.ts';

/** The calling user's account id. Agent tokens act for a legal person and may not manage it. */
export function userOf(ctx: ServiceContext, options: { allowAgent?: boolean } = {}): string {
  const principal = ctx.principal;
  // User tokens carry acr; client_credentials tokens (a service, not a person) do not.
  if (!principal || principal.acr === undefined) throw new AppError('FORBIDDEN', 'This needs a user’s access token');
  if (principal.actor && !options.allowAgent)
    throw new AppError('FORBIDDEN', 'Agents cannot do this for the legal person');
  return principal.subject;
}

export function requireAdmin(ctx: ServiceContext): string {
  const principal = ctx.principal;
  if (!principal || !principal.scopes.includes(ADMIN_SCOPE))
    throw new AppError('FORBIDDEN', `This needs the ${ADMIN_SCOPE} scope`);
  return principal.subject;
}
