// What the console shows a user, derived from the scopes identity granted: a role is a set of
// screens, and every service still checks the scope of each call itself.
import type { ConsoleRole } from '@platform/contracts';

export type Role = ConsoleRole;

export function rolesOf(scopes: string[]): Role[] {
  const has = (scope: string) => scopes.includes(scope);
  const roles: Role[] = ['citizen'];
  if (has('license:issue') || has('license:manage') || has('license:read')) roles.push('clerk');
  if (has('license:admin')) roles.push('licenseAdmin');
  if (has('payment:finance') || has('payment:admin')) roles.push('finance');
  if (has('seal:admin') || has('seal:sign') || has('seal:approve')) roles.push('sealOfficer');
  return roles;
}
