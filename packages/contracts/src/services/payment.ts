// The non-tax payment service: items, notices, channels, ledger, receipts, refunds.
import { systemContract } from '../system.ts';
import type { ContractRouter } from '../procedure.ts';

export const paymentContract = {
  system: systemContract,
};

export type PaymentRouter = ContractRouter<typeof paymentContract>;
