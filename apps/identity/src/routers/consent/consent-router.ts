// consent.*: the third-party apps I consented to, and withdrawing a consent.
import { identityContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { IdentityCore } from '../../composition.ts';
import { userOf } from '../guards.ts';

const contract = identityContract.consent;

export function consentRouter(core: IdentityCore) {
  return createRouter({
    listMine: implement(contract.listMine).query(async ({ ctx }) =>
      (await core.consents.listFor(userOf(ctx))).map((consent) => ({
        ...consent,
        grantedAt: consent.grantedAt.toISOString(),
      })),
    ),
    revoke: implement(contract.revoke).mutation(async ({ ctx, input }) => ({
      revoked: true as const,
      ...(await core.consents.revoke(userOf(ctx), input.clientId, undefined)),
    })),
  });
}
