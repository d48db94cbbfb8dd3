// POST /refunds — refund instructions from the payment service. Plain HTTP (not tRPC): the merchant
// signed the body byte for byte. The answer is the refund's outcome signed with the channel's key
// (the same key as callbacks), so the payment service can trust a "declined" as much as a success.
import express, { type Express, type Request, type Response } from 'express';
import { AppError, RefundInstruction } from '@platform/contracts';
import { toErrorBody } from '@platform/service-kit';
import { signMessage } from '../domain/confirmations.ts';
import { MERCHANT_SIGNATURE_HEADER, MERCHANT_TIMESTAMP_HEADER, type MerchantVerifier } from '../domain/merchant-key.ts';
import { refundConfirmationOf, type RefundDesk } from '../domain/refund-desk.ts';
import type { CallbackSigner } from '../domain/signing-key.ts';

export interface RefundRouteDeps {
  desk: RefundDesk;
  merchant: MerchantVerifier;
  signer: CallbackSigner;
  bodyLimitBytes: number;
}

function instructionOf(body: string): RefundInstruction {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AppError('MALFORMED_REQUEST', 'The signed body is not JSON');
  }
  const result = RefundInstruction.safeParse(parsed);
  if (!result.success)
    throw new AppError('VALIDATION_FAILED', 'The signed body is not a refund instruction', {
      issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  return result.data;
}

export function refundRoutes(app: Express, deps: RefundRouteDeps): void {
  app.post(
    '/refunds',
    express.text({ type: () => true, limit: deps.bodyLimitBytes }),
    async (req: Request, res: Response) => {
      try {
        const body = typeof req.body === 'string' ? req.body : '';
        await deps.merchant.verify(req.get(MERCHANT_TIMESTAMP_HEADER), req.get(MERCHANT_SIGNATURE_HEADER), body);
        const refund = await deps.desk.execute(instructionOf(body));
        req.log.info({ merchantRef: refund.merchantRef, status: refund.status }, 'refund instruction');
        res.status(200).json({ refund: signMessage(refundConfirmationOf(refund), deps.signer, new Date()) });
      } catch (error) {
        const body = toErrorBody(error, req.requestId);
        if (body.code === 'INTERNAL') req.log.error({ err: error }, 'internal error');
        res.status(body.httpStatus).json({ error: body });
      }
    },
  );
}
