// The license service's config in tests: a fixed test KEK (no file written), silent logs.
import { randomBytes } from 'node:crypto';
import { loadEnv, type Env } from '../../src/env.ts';

const TEST_KEK = randomBytes(32).toString('base64url');

export function testEnv(databaseUrl: string, overrides: Record<string, string> = {}): Env {
  return loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    KEY_ENCRYPTION_KEY: TEST_KEK,
    PUBLIC_URL: 'http://license.test',
    ...overrides,
  });
}
