import { runService } from '@platform/service-kit';
import { createPaymentService } from './app.ts';
import { createDatabase } from './db.ts';
import { loadEnv } from './env.ts';

await runService('payment', () => {
  const env = loadEnv();
  return { service: createPaymentService(env, createDatabase(env.DATABASE_URL)), port: env.PORT, host: env.HOST };
});
