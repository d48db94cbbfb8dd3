// usage.*: approval of each use (用印审批): users ask (seal:sign), a second person decides (seal:approve).
import { sealContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { SealCore } from '../../composition.ts';
import { callerWith, SCOPES } from '../access.ts';
import { usageRequestView } from '../views.ts';

const c = sealContract.usage;

export function usageRouter(core: SealCore) {
  return createRouter({
    request: implement(c.request).mutation(async ({ input, ctx }) =>
      usageRequestView(await core.usage.request(callerWith(ctx.principal, SCOPES.sign), input)),
    ),
    approve: implement(c.approve).mutation(async ({ input, ctx }) =>
      usageRequestView(
        await core.usage.approve(input.usageRequestId, callerWith(ctx.principal, SCOPES.approve), input.reason),
      ),
    ),
    reject: implement(c.reject).mutation(async ({ input, ctx }) =>
      usageRequestView(
        await core.usage.reject(input.usageRequestId, callerWith(ctx.principal, SCOPES.approve), input.reason),
      ),
    ),
    pending: implement(c.pending).query(async ({ input, ctx }) =>
      (await core.usage.pending(callerWith(ctx.principal, SCOPES.approve), input.sealId)).map(usageRequestView),
    ),
  });
}
