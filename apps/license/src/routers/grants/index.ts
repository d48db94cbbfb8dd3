// license.grants.*: holders grant, list and revoke; third parties fetch annotated copies.
import { requireTrustLevel } from '@platform/auth';
import { licenseContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { LicenseCore } from '../../composition.ts';
import { grantView } from '../../domain/grants/use-grants.ts';
import { HOLDER_TRUST_LEVEL } from '../wallet/index.ts';

const c = licenseContract.grants;

export function grantsRouter(core: LicenseCore) {
  const now = () => core.clock.now();
  return createRouter({
    create: implement(c.create).mutation(async ({ input, ctx }) => {
      requireTrustLevel(ctx.principal, HOLDER_TRUST_LEVEL);
      return grantView(await core.grants.create(ctx.principal, input), now());
    }),
    list: implement(c.list).query(async ({ ctx }) =>
      (await core.grants.list(ctx.principal)).map((g) => grantView(g, now())),
    ),
    revoke: implement(c.revoke).mutation(async ({ input, ctx }) =>
      grantView(await core.grants.revoke(ctx.principal, input.grantId), now()),
    ),
    fetch: implement(c.fetch).mutation(({ input, ctx }) => core.grants.fetch(ctx.principal, input)),
  });
}
