// license.types.*: the catalogue. Reading is public; changing it needs scope license:admin.
import { requireScope } from '@platform/auth';
import { licenseContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { LicenseCore } from '../../composition.ts';
import { toTypeView } from '../../domain/types/license-types.ts';

const c = licenseContract.types;
export const ADMIN_SCOPE = 'license:admin';

export function typesRouter(core: LicenseCore) {
  return createRouter({
    list: implement(c.list).query(({ input }) => core.types.list(input.includeRetired)),
    get: implement(c.get).query(async ({ input }) => toTypeView(await core.types.get(input.code, input.version))),
    create: implement(c.create).mutation(async ({ input, ctx }) => {
      requireScope(ctx.principal, ADMIN_SCOPE);
      return toTypeView(await core.types.create(input, ctx.principal?.subject ?? ''));
    }),
    revise: implement(c.revise).mutation(async ({ input, ctx }) => {
      requireScope(ctx.principal, ADMIN_SCOPE);
      return toTypeView(await core.types.revise(input, ctx.principal?.subject ?? ''));
    }),
    retire: implement(c.retire).mutation(async ({ input, ctx }) => {
      requireScope(ctx.principal, ADMIN_SCOPE);
      return toTypeView(await core.types.retire(input.code, input.reason));
    }),
  });
}
