import { paymentContract } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { SCOPES, type RouterDeps } from '../deps.ts';

export const unitsRouter = ({ core }: RouterDeps) => ({
  register: implement(paymentContract.unit.register).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.admin);
    return core.units.register(input);
  }),
});
