// One migrated template database per test run; each test file clones its own from it.
import { fileURLToPath } from 'node:url';
import { testDatabaseGlobalSetup } from '@platform/db/testing';

export default testDatabaseGlobalSetup({
  migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
});
