import { AppError, paymentContract, type Principal } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { SCOPES, type RouterDeps } from '../deps.ts';
import { refundView } from '../views.ts';

/** Who acted: the person behind an agent token, else the token's subject. */
const actorOf = (principal: Principal | undefined) => principal?.actor ?? principal?.subject ?? 'unknown';

export const refundsRouter = ({ core }: RouterDeps) => ({
  request: implement(paymentContract.refund.request).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.requestRefund);
    const unit = await core.units.unitOf(ctx.principal);
    return refundView(await core.refunds.request(unit.creditCode, actorOf(ctx.principal), input));
  }),
  requestBatch: implement(paymentContract.refund.requestBatch).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.requestRefund);
    const unit = await core.units.unitOf(ctx.principal);
    const batch = await core.refunds.requestBatch(unit.creditCode, actorOf(ctx.principal), input.refunds);
    return { batchId: batch.batchId, refunds: batch.refunds.map(refundView) };
  }),
  review: implement(paymentContract.refund.review).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.reviewRefund);
    const unit = await core.units.unitOf(ctx.principal);
    return refundView(
      await core.refunds.review(unit.creditCode, actorOf(ctx.principal), input.refundId, input.approve, input.reason),
    );
  }),
  approve: implement(paymentContract.refund.approve).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.finance);
    return refundView(await core.refunds.approve(actorOf(ctx.principal), input.refundId, input.approve, input.reason));
  }),
  execute: implement(paymentContract.refund.execute).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.finance);
    return refundView(await core.refunds.execute(input.refundId));
  }),
  list: implement(paymentContract.refund.list).query(async ({ ctx, input }) => {
    // Finance sees every unit's refunds; a unit's system only its own.
    const finance = ctx.principal?.scopes.includes(SCOPES.finance) ?? false;
    if (!finance && !ctx.principal?.scopes.includes(SCOPES.requestRefund))
      throw new AppError('INSUFFICIENT_SCOPE', `The access token lacks the "${SCOPES.requestRefund}" scope`);
    const unitCode = finance ? null : (await core.units.unitOf(ctx.principal)).creditCode;
    return { refunds: (await core.refunds.list(unitCode, input)).map(refundView) };
  }),
});
