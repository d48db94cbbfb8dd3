import { paymentContract } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { SCOPES, type RouterDeps } from '../deps.ts';

export const reconciliationRouter = ({ core }: RouterDeps) => ({
  run: implement(paymentContract.reconciliation.run).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.finance);
    return core.reconciliation.run(input.channel, input.date);
  }),
  get: implement(paymentContract.reconciliation.get).query(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.finance);
    return core.reconciliation.get(input.channel, input.date);
  }),
});
