// Holders: their wallet, QR presentations and usage log. The holder is the token's subject_code.
import { requireTrustLevel } from '@platform/auth';
import { licenseContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { LicenseCore } from '../../composition.ts';
import { holderCodeOf } from '../../domain/holders/holder-code.ts';
import { toLicenseView } from '../../domain/licenses/license-view.ts';

/** Registry-checked real name: showing a license proves who you are, so level 1 is not enough. */
export const HOLDER_TRUST_LEVEL = 2;

export function walletProcedures(core: LicenseCore) {
  return {
    presentations: createRouter({
      create: implement(licenseContract.presentations.create).mutation(({ input, ctx }) => {
        requireTrustLevel(ctx.principal, HOLDER_TRUST_LEVEL);
        return core.presentations.create(ctx.principal, input);
      }),
    }),
    wallet: createRouter({
      list: implement(licenseContract.wallet.list).query(async ({ ctx }) => {
        const licenses = await core.repositories.licenses.byHolder(holderCodeOf(ctx.principal));
        const now = core.clock.now();
        return licenses.map((license) => toLicenseView(license, now));
      }),
    }),
    usage: createRouter({
      list: implement(licenseContract.usage.list).query(async ({ ctx }) => {
        const { entries, chainIntact } = await core.usage.forHolder(holderCodeOf(ctx.principal));
        return {
          chainIntact,
          entries: entries.map((entry) => ({
            seq: entry.seq,
            identifier: ((entry.detail as { identifier?: string } | null)?.identifier ?? null) as string | null,
            action: entry.action,
            actor: entry.actor,
            purpose: entry.purpose,
            at: entry.at.toISOString(),
            hash: entry.hash,
          })),
        };
      }),
    }),
  };
}
