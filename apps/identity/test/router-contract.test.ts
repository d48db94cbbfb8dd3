// The router implements exactly its contract: checked by the compiler (tsc runs over this file in
// `typecheck`) and at runtime (paths, kinds, schemas).
import { randomBytes } from 'node:crypto';
import { identityContract, type IdentityRouter } from '@platform/contracts';
import { contractMismatches, createLogger } from '@platform/service-kit';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { expect, expectTypeOf, it } from 'vitest';
import { createIdentityCore } from '../src/composition.ts';
import { createDatabase } from '../src/db.ts';
import { createAppRouter, type AppRouter } from '../src/router.ts';
import { loadEnv } from '../src/env.ts';

it('has the contract’s input and output types for every procedure', () => {
  expectTypeOf<inferRouterInputs<AppRouter>>().toEqualTypeOf<inferRouterInputs<IdentityRouter>>();
  expectTypeOf<inferRouterOutputs<AppRouter>>().toEqualTypeOf<inferRouterOutputs<IdentityRouter>>();
});

it('implements every procedure of the contract with its kind and schemas, and nothing else', () => {
  const env = loadEnv({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgresql://unused/unused',
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  });
  // The Prisma client connects lazily: nothing here touches a database.
  const core = createIdentityCore(
    env,
    createDatabase(env.DATABASE_URL),
    createLogger({ service: 'identity', level: 'silent' }),
  );
  const router = createAppRouter({ env, checkDatabase: async () => undefined, core });
  expect(contractMismatches(router, identityContract)).toEqual([]);
});
