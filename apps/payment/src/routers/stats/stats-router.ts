import { paymentContract } from '@platform/contracts';
import { implement } from '@platform/service-kit';
import type { RouterDeps } from '../deps.ts';
import { visibleUnit } from '../visible-unit.ts';

export const statsRouter = ({ core }: RouterDeps) => ({
  collection: implement(paymentContract.stats.collection).query(async ({ ctx, input }) => {
    const unitCode = await visibleUnit(core, ctx.principal, input.unitCode);
    return core.queries.collection({ from: input.from, to: input.to, unitCode });
  }),
});
