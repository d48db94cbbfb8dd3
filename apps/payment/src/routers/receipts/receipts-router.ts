import { paymentContract } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { SCOPES, type RouterDeps } from '../deps.ts';
import { payerOf } from '../../domain/payers/payer-of.ts';
import { receiptView } from '../views.ts';

export const receiptsRouter = ({ core }: RouterDeps) => ({
  get: implement(paymentContract.receipt.get).query(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.readNotice);
    const unit = await core.units.unitOf(ctx.principal);
    const { receipt } = await core.receipts.forNotice(input.paymentCode, unit.creditCode, input.withPdf);
    return receiptView(receipt, input.paymentCode);
  }),
  // A payer's own receipts: found by the token's subject_code only, so no input can reach another
  // payer's. No scope: any signed-in person may see what they paid.
  mine: implement(paymentContract.receipt.mine).query(({ ctx, input }) =>
    core.queries.receiptsOf(payerOf(ctx.principal), input.cursor, input.limit),
  ),
  minePdf: implement(paymentContract.receipt.minePdf).query(async ({ ctx, input }) => {
    const receipt = await core.receipts.forPayer(input.paymentCode, payerOf(ctx.principal));
    if (!receipt.pdf) throw new Error(`receipt ${receipt.id} has no PDF after rendering`);
    return {
      paymentCode: input.paymentCode,
      fileName: `receipt-${receipt.receiptCode}-${receipt.receiptNumber}.pdf`,
      sealed: receipt.sealed,
      pdfBase64: Buffer.from(receipt.pdf).toString('base64'),
    };
  }),
  verify: implement(paymentContract.receipt.verify).query(({ input }) =>
    core.receipts.verify(input.receiptCode, input.receiptNumber, input.checkCode),
  ),
});
