// Staff scopes: what a person's token may do beyond acting as themselves. A client may be allowed
// to ask for them (the console asks for all), but a user's grant only carries those the account's
// roles confer; citizens' own scopes (apply, pay, …) need no role. Without this, every citizen
// logging in through the console would hold a clerk's, a seal officer's and a treasurer's powers.
import { ACCOUNT_ROLES, type AccountRole } from '@platform/contracts';

export { ACCOUNT_ROLES, type AccountRole };

/** Each staff scope and the roles that confer it. Scopes not listed here are not staff scopes. */
export const STAFF_SCOPE_ROLES: Readonly<Record<string, readonly AccountRole[]>> = {
  'identity:admin': ['admin'],
  'license:read': ['license-clerk', 'license-admin'],
  'license:issue': ['license-clerk'],
  'license:manage': ['license-clerk'],
  'license:admin': ['license-admin'],
  'license:verify': ['verifier', 'license-clerk'],
  'license:verify:sensitive': ['verifier'],
  'seal:admin': ['seal-officer'],
  'seal:approve': ['seal-approver'],
  'seal:sign': ['seal-user', 'seal-officer'],
  'payment:finance': ['finance'],
  'payment:admin': ['payment-admin'],
  'payment:notice:create': ['finance'],
  'payment:notice:read': ['finance'],
  'payment:refund:request': ['finance'],
  'payment:refund:review': ['finance'],
  'payment:webhooks': ['payment-admin'],
};

/** The requested scopes a user with these roles may hold. */
export function scopesForRoles(requested: string[], roles: readonly string[]): string[] {
  return requested.filter((scope) => {
    const conferredBy = STAFF_SCOPE_ROLES[scope];
    return !conferredBy || conferredBy.some((role) => roles.includes(role));
  });
}
