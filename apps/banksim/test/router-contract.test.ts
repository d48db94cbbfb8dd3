// The router implements exactly its contract: checked by the compiler (tsc runs over this file in
// `typecheck`) and at runtime (paths, kinds, schemas).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { banksimContract, type BanksimRouter } from '@platform/contracts';
import { contractMismatches } from '@platform/service-kit';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { expect, expectTypeOf, it } from 'vitest';
import { createDatabase } from '../src/db.ts';
import { PaymentDesk } from '../src/domain/payment-desk.ts';
import { loadCallbackSigner } from '../src/domain/signing-key.ts';
import { loadEnv } from '../src/env.ts';
import { createAppRouter, type AppRouter } from '../src/routers/banksim-router.ts';

it('has the contract’s input and output types for every procedure', () => {
  expectTypeOf<inferRouterInputs<AppRouter>>().toEqualTypeOf<inferRouterInputs<BanksimRouter>>();
  expectTypeOf<inferRouterOutputs<AppRouter>>().toEqualTypeOf<inferRouterOutputs<BanksimRouter>>();
});

it('implements every procedure of the contract with its kind and schemas, and nothing else', () => {
  const env = loadEnv({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://unused/unused' });
  const db = createDatabase(env.DATABASE_URL); // connects lazily: no query runs here
  const signer = loadCallbackSigner(mkdtempSync(join(tmpdir(), 'banksim-keys-')));
  const router = createAppRouter({
    env,
    checkDatabase: async () => undefined,
    db,
    desk: new PaymentDesk(db, env.PAYMENT_URL, env.OUTLET),
    signer,
  });
  expect(contractMismatches(router, banksimContract)).toEqual([]);
});
