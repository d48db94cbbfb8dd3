import { paymentContract } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { SCOPES, type RouterDeps } from '../deps.ts';
import { itemView } from '../views.ts';

export const itemsRouter = ({ core }: RouterDeps) => ({
  create: implement(paymentContract.item.create).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.admin);
    return itemView(await core.items.create(input));
  }),
  transition: implement(paymentContract.item.transition).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.admin);
    return itemView(await core.items.transition(input.code, input.status));
  }),
  get: implement(paymentContract.item.get).query(async ({ input }) => itemView(await core.items.get(input.code))),
  list: implement(paymentContract.item.list).query(async ({ input }) => ({
    items: (await core.items.list(input.unitCode)).map(itemView),
  })),
});
