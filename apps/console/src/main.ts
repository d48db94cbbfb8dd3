import { runService } from '@platform/service-kit';
import { createConsoleService } from './app.ts';
import { loadEnv } from './env.ts';

await runService('console', () => {
  const env = loadEnv();
  return { service: createConsoleService(env), port: env.PORT, host: env.HOST };
});
