import { runService } from '@platform/service-kit';
import { createSealService } from './app.ts';
import { createDatabase } from './db.ts';
import { loadEnv } from './env.ts';

await runService('seal', () => {
  const env = loadEnv();
  return { service: createSealService(env, createDatabase(env.DATABASE_URL)), port: env.PORT, host: env.HOST };
});
