import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@platform/db/testing';
import { defineServiceBasicsSuite } from '@platform/service-kit/testing';
import { createSealService } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';

defineServiceBasicsSuite({
  name: 'seal',
  database: createTestDatabase,
  create: (url) => {
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    });
    return createSealService(env, createDatabase(url));
  },
});
