import { paymentContract } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { SCOPES, type RouterDeps } from '../deps.ts';
import { receiptView } from '../views.ts';

export const receiptsRouter = ({ core }: RouterDeps) => ({
  get: implement(paymentContract.receipt.get).query(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.readNotice);
    const unit = await core.units.unitOf(ctx.principal);
    const { receipt } = await core.receipts.forNotice(input.paymentCode, unit.creditCode, input.withPdf);
    return receiptView(receipt, input.paymentCode);
  }),
  verify: implement(paymentContract.receipt.verify).query(({ input }) =>
    core.receipts.verify(input.receiptCode, input.receiptNumber, input.checkCode),
  ),
});
