import { runService } from '@platform/service-kit';
import { createIdentityService } from './app.ts';
import { createDatabase } from './db.ts';
import { loadEnv } from './env.ts';

await runService('identity', () => {
  const env = loadEnv();
  return { service: createIdentityService(env, createDatabase(env.DATABASE_URL)), port: env.PORT, host: env.HOST };
});
