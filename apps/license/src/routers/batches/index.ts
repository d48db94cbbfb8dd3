// Batch issue: upload rows (JSON or CSV), then follow progress and per-row results.
import { requireScope } from '@platform/auth';
import { createRouter, implement } from '@platform/service-kit';
import { licenseContract, type Principal } from '@platform/contracts';
import type { LicenseCore } from '../../composition.ts';
import { ISSUE_SCOPE } from '../licenses/index.ts';

const actor = (principal: Principal | undefined) => ({
  subject: principal?.actor ? `${principal.actor} for ${principal.subject}` : (principal?.subject ?? ''),
  clientId: principal?.clientId,
});

export function batchesRouter(core: LicenseCore, onSubmitted: () => void) {
  return createRouter({
    issue: implement(licenseContract.batch.issue).mutation(async ({ input, ctx }) => {
      requireScope(ctx.principal, ISSUE_SCOPE);
      const view = await core.batches.submit(input, actor(ctx.principal));
      onSubmitted();
      return view;
    }),
    get: implement(licenseContract.batch.get).query(async ({ input, ctx }) => {
      requireScope(ctx.principal, ISSUE_SCOPE);
      return core.batches.view(input.batchId, input.includeRows);
    }),
  });
}
