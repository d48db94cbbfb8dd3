import { runService } from '@platform/service-kit';
import { createLicenseService } from './app.ts';
import { createDatabase } from './db.ts';
import { loadEnv } from './env.ts';

await runService('license', () => {
  const env = loadEnv();
  return { service: createLicenseService(env, createDatabase(env.DATABASE_URL)), port: env.PORT, host: env.HOST };
});
