import { createTestDatabase } from '@platform/db/testing';
import { defineServiceBasicsSuite } from '@platform/service-kit/testing';
import { createLicenseService } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';

defineServiceBasicsSuite({
  name: 'license',
  database: createTestDatabase,
  create: (url) => {
    const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url });
    return createLicenseService(env, createDatabase(url));
  },
});
