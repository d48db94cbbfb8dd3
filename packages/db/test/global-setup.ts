import { testDatabaseGlobalSetup } from '../src/testing/index.ts';

// Exactly what a service's test/global-setup.ts looks like, pointed at the fixture migrations.
export default testDatabaseGlobalSetup({
  migrationsDir: new URL('./fixtures/prisma/migrations', import.meta.url),
});
