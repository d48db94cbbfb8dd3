import { createTestDatabase } from '@platform/db/testing';
import { defineServiceBasicsSuite } from '@platform/service-kit/testing';
import { createPaymentService } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';

defineServiceBasicsSuite({
  name: 'payment',
  database: createTestDatabase,
  create: (url) => {
    const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url });
    return createPaymentService(env, createDatabase(url));
  },
});
