// The sandbox channel's procedures; each only wires a call into the domain.
import { requireScope } from '@platform/auth';
import { banksimContract } from '@platform/contracts';
import { createRouter, implement, systemRouter, type DatabaseCheck } from '@platform/service-kit';
import type { Database } from '../db.ts';
import type { CallbackDispatcher } from '../domain/callback-dispatcher.ts';
import { signConfirmation, signMessage } from '../domain/confirmations.ts';
import { refundConfirmationOf } from '../domain/refund-desk.ts';
import type { PaymentDesk } from '../domain/payment-desk.ts';
import type { CallbackSigner } from '../domain/signing-key.ts';
import type { Env } from '../env.ts';
import { OPERATE_SCOPE, SERVICE_NAME, SERVICE_VERSION } from '../meta.ts';
import { PaymentRepository } from '../repositories/payments.ts';
import { RefundRepository } from '../repositories/refunds.ts';
import { SwitchRepository } from '../repositories/switches.ts';
import { bankPaymentView } from './views.ts';

export interface BanksimRouterDeps {
  env: Env;
  checkDatabase: DatabaseCheck;
  db: Database;
  desk: PaymentDesk;
  signer: CallbackSigner;
  /** Called after a payment was taken, so its callbacks go out without waiting for the poller. */
  onPaid?: (() => void) | undefined;
  dispatcher?: CallbackDispatcher;
}

export function createAppRouter(deps: BanksimRouterDeps) {
  const payments = new PaymentRepository(deps.db);
  const refunds = new RefundRepository(deps.db);
  const switches = new SwitchRepository(deps.db);
  return createRouter({
    system: systemRouter({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      environment: deps.env.NODE_ENV,
      checkDatabase: deps.checkDatabase,
    }),
    payment: createRouter({
      pay: implement(banksimContract.payment.pay).mutation(async ({ input }) => {
        const payment = await deps.desk.pay(input);
        deps.onPaid?.();
        return bankPaymentView(payment);
      }),
      status: implement(banksimContract.payment.status).query(async ({ input }) => {
        const now = new Date();
        const succeeded = await payments.succeededByCode(input.paymentCode);
        const refunded = await refunds.byCode(input.paymentCode);
        return {
          paymentCode: input.paymentCode,
          confirmations: succeeded.map((payment) => signConfirmation(payment, deps.signer, now)),
          refunds: refunded.map((refund) => signMessage(refundConfirmationOf(refund), deps.signer, now)),
        };
      }),
      list: implement(banksimContract.payment.list).query(async ({ input }) => ({
        payments: (await payments.listByCode(input.paymentCode)).map(bankPaymentView),
      })),
    }),
    switches: createRouter({
      get: implement(banksimContract.switches.get).query(({ ctx }) => {
        requireScope(ctx.principal, OPERATE_SCOPE);
        return switches.get();
      }),
      set: implement(banksimContract.switches.set).mutation(({ ctx, input }) => {
        requireScope(ctx.principal, OPERATE_SCOPE);
        return switches.set(input);
      }),
    }),
    keys: createRouter({
      callback: implement(banksimContract.keys.callback).query(() => ({
        algorithm: 'RSA-SHA256' as const,
        publicKeyPem: deps.signer.publicKeyPem,
      })),
    }),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
