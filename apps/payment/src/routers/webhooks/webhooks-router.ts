import { paymentContract } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { SCOPES, type RouterDeps } from '../deps.ts';
import { eventView } from '../views.ts';

export const webhooksRouter = ({ core }: RouterDeps) => ({
  list: implement(paymentContract.webhook.list).query(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.webhooks);
    const unit = await core.units.unitOf(ctx.principal);
    return { events: (await core.events.list(unit.creditCode, input)).map(eventView) };
  }),
  replay: implement(paymentContract.webhook.replay).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.webhooks);
    const unit = await core.units.unitOf(ctx.principal);
    return eventView(await core.events.replay(unit.creditCode, input.eventId));
  }),
});
