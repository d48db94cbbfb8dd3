// The router implements exactly its contract: checked by the compiler (tsc runs over this file in
// `typecheck`) and at runtime (paths, kinds, schemas).
import { sealContract, type SealRouter } from '@platform/contracts';
import { contractMismatches } from '@platform/service-kit';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { expect, expectTypeOf, it } from 'vitest';
import { createAppRouter, type AppRouter } from '../src/router.ts';
import { loadEnv } from '../src/env.ts';
import { createSealCore } from '../src/composition.ts';
import { createDatabase } from '../src/db.ts';

it('has the contract’s input and output types for every procedure', () => {
  expectTypeOf<inferRouterInputs<AppRouter>>().toEqualTypeOf<inferRouterInputs<SealRouter>>();
  expectTypeOf<inferRouterOutputs<AppRouter>>().toEqualTypeOf<inferRouterOutputs<SealRouter>>();
});

it('implements every procedure of the contract with its kind and schemas, and nothing else', () => {
  const env = loadEnv({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://unused/unused' });
  const router = createAppRouter({
    env,
    checkDatabase: async () => undefined,
    // Built without connecting: no procedure runs in this test.
    core: createSealCore(createDatabase(env.DATABASE_URL), () => Promise.reject(new Error('not used by this test')), {
      maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
      production: false,
    }),
  });
  expect(contractMismatches(router, sealContract)).toEqual([]);
});
