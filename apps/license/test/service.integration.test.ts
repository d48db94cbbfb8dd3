import { createTestDatabase } from '@platform/db/testing';
import { defineServiceBasicsSuite } from '@platform/service-kit/testing';
import { createLicenseService } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { testEnv } from './support/env.ts';

defineServiceBasicsSuite({
  name: 'license',
  database: createTestDatabase,
  create: (url) => createLicenseService(testEnv(url), createDatabase(url)),
});
