// license.trust.*: the mutual-recognition trust list. Reading is public; changes need license:admin.
import { requireScope } from '@platform/auth';
import { licenseContract, type Principal } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { LicenseCore } from '../../composition.ts';
import { ADMIN_SCOPE } from '../types/index.ts';

const c = licenseContract.trust;

export function trustRouter(core: LicenseCore) {
  const admin = (principal: Principal | undefined) => {
    requireScope(principal, ADMIN_SCOPE);
    return { subject: principal?.subject ?? '', clientId: principal?.clientId };
  };
  return createRouter({
    list: implement(c.list).query(() => core.recognition.list()),
    add: implement(c.add).mutation(({ input, ctx }) => core.recognition.add(input, admin(ctx.principal))),
    remove: implement(c.remove).mutation(({ input, ctx }) =>
      core.recognition.remove(input.issuerId, input.reason, admin(ctx.principal)),
    ),
    mapType: implement(c.mapType).mutation(({ input, ctx }) =>
      core.recognition.mapType(input.foreignTypeCode, input.localTypeCode, input.reason, admin(ctx.principal)),
    ),
  });
}
