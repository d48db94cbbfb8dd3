import { paymentContract } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { checkLedgerInvariants } from '../../domain/ledger/invariants.ts';
import { SCOPES, type RouterDeps } from '../deps.ts';

export const ledgerRouter = ({ db }: RouterDeps) => ({
  check: implement(paymentContract.ledger.check).query(async ({ ctx }) => {
    requireScope(ctx.principal, SCOPES.admin);
    return checkLedgerInvariants(db);
  }),
});
