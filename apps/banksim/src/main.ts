import { runService } from '@platform/service-kit';
import { createBanksimService } from './app.ts';
import { createDatabase } from './db.ts';
import { loadEnv } from './env.ts';

await runService('banksim', () => {
  const env = loadEnv();
  return { service: createBanksimService(env, createDatabase(env.DATABASE_URL)), port: env.PORT, host: env.HOST };
});
