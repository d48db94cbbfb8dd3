import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@platform/db/testing';
import { defineServiceBasicsSuite } from '@platform/service-kit/testing';
import { createBanksimService } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';

defineServiceBasicsSuite({
  name: 'banksim',
  database: createTestDatabase,
  create: (url) => {
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'banksim-keys-')),
    });
    return createBanksimService(env, createDatabase(url));
  },
});
