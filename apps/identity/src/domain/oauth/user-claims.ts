// The claims about a user released to a client, by scope (userinfo and, minimally, the ID token).
import type { Account } from '../../repositories/accounts.ts';
import { CLAIMS_BY_SCOPE } from './scopes.ts';

export class UserClaims {
  claims(account: Account, scopes: string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {
      name: account.name,
      subject_type: account.kind,
      id_number: account.subjectId,
      trust_level: account.trustLevel,
      phone_number: account.phone,
      phone_number_verified: account.phone !== null,
      email: account.email,
    };
    const released: Record<string, unknown> = { sub: account.id };
    for (const scope of scopes)
      for (const claim of CLAIMS_BY_SCOPE[scope] ?? [])
        if (all[claim] !== null && all[claim] !== undefined) released[claim] = all[claim];
    return released;
  }
}
