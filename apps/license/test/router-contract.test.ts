// The router implements exactly its contract: checked by the compiler (tsc runs over this file in
// `typecheck`) and at runtime (paths, kinds, schemas).
import { licenseContract, type LicenseRouter } from '@platform/contracts';
import { contractMismatches } from '@platform/service-kit';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { expect, expectTypeOf, it } from 'vitest';
import { createLicenseCore } from '../src/composition.ts';
import { createDatabase } from '../src/db.ts';
import { createAppRouter, type AppRouter } from '../src/router.ts';
import { testEnv } from './support/env.ts';

it('has the contract’s input and output types for every procedure', () => {
  expectTypeOf<inferRouterInputs<AppRouter>>().toEqualTypeOf<inferRouterInputs<LicenseRouter>>();
  expectTypeOf<inferRouterOutputs<AppRouter>>().toEqualTypeOf<inferRouterOutputs<LicenseRouter>>();
});

it('implements every procedure of the contract with its kind and schemas, and nothing else', () => {
  const env = testEnv('postgresql://unused/unused');
  // The Prisma client connects lazily: building the router touches no database.
  const core = createLicenseCore(env, createDatabase(env.DATABASE_URL));
  const router = createAppRouter({ env, checkDatabase: async () => undefined, core });
  expect(contractMismatches(router, licenseContract)).toEqual([]);
});
