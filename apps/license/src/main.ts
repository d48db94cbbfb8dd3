import { runService } from '@platform/service-kit';
import { createLicenseService } from './app.ts';
import { createLicenseCore } from './composition.ts';
import { createDatabase } from './db.ts';
import { loadEnv } from './env.ts';

await runService('license', async () => {
  const env = loadEnv();
  const db = createDatabase(env.DATABASE_URL);
  const core = createLicenseCore(env, db);
  // The seed types are inserted when missing (idempotent, safe on several replicas at once).
  await core.types.seed();
  return { service: createLicenseService(env, db, { core }), port: env.PORT, host: env.HOST };
});
