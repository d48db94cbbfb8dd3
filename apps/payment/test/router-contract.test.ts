// The router implements exactly its contract: checked by the compiler (tsc runs over this file in
// `typecheck`) and at runtime (paths, kinds, schemas).
import { paymentContract, type PaymentRouter } from '@platform/contracts';
import { contractMismatches } from '@platform/service-kit';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { expect, expectTypeOf, it } from 'vitest';
import { createAppRouter, type AppRouter } from '../src/router.ts';
import { loadEnv } from '../src/env.ts';
import { createPaymentCore } from '../src/composition.ts';
import { createDatabase } from '../src/db.ts';
import { createLogger } from '@platform/service-kit';

it('has the contract’s input and output types for every procedure', () => {
  expectTypeOf<inferRouterInputs<AppRouter>>().toEqualTypeOf<inferRouterInputs<PaymentRouter>>();
  expectTypeOf<inferRouterOutputs<AppRouter>>().toEqualTypeOf<inferRouterOutputs<PaymentRouter>>();
});

it('implements every procedure of the contract with its kind and schemas, and nothing else', () => {
  const env = loadEnv({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://unused/unused' });
  // No query runs: the client connects lazily.
  const db = createDatabase(env.DATABASE_URL);
  const core = createPaymentCore(env, db, createLogger({ service: 'payment', level: 'silent' }));
  const router = createAppRouter({ env, checkDatabase: async () => undefined, core, db });
  expect(contractMismatches(router, paymentContract)).toEqual([]);
});
