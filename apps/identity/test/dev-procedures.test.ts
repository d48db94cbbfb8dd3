// The development-only outbox (it shows SMS codes) is refused on production deployments.
import { randomBytes } from 'node:crypto';
import { createCallerFactory, createLogger } from '@platform/service-kit';
import { TRPCError } from '@trpc/server';
import { expect, it } from 'vitest';
import { createIdentityCore } from '../src/composition.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';
import { createAppRouter } from '../src/router.ts';

it('refuses dev.smsOutbox when NODE_ENV=production, before touching the database', async () => {
  const env = loadEnv({
    NODE_ENV: 'production',
    DATABASE_URL: 'postgresql://unused/unused',
    ISSUER_URL: 'https://id.example.gov.cn',
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    ALLOW_DEVELOPMENT_ADAPTERS: 'true',
  });
  const log = createLogger({ service: 'identity', level: 'silent' });
  const core = createIdentityCore(env, createDatabase(env.DATABASE_URL), log);
  const caller = createCallerFactory(createAppRouter({ env, checkDatabase: async () => undefined, core }))({
    requestId: 'test',
    log,
    transport: 'trpc',
    headers: {},
    principal: undefined,
    metrics: { start: () => () => undefined },
  });
  const failure = await caller.dev.smsOutbox({ limit: 5 }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(TRPCError);
  expect((failure as TRPCError).cause).toMatchObject({ code: 'DEVELOPMENT_ONLY' });
});
