// Servers built with the service kit, exactly as production builds them (helmet, request ids,
// pino access logs at LOG_LEVEL, prom-client metrics, tRPC at /trpc and REST at /api).
//   identity — the identity service on DATABASE_URL (system.info probes the database)
//   trivial  — a kit service with one public procedure and no database work
// Logs go to this process's stdout; the benchmark points stdout at /dev/null.
import { createIdentityService } from '@platform/identity/src/app.ts';
import { createDatabase } from '@platform/identity/src/db.ts';
import { loadEnv } from '@platform/identity/src/env.ts';
import { createRouter, createService, implement, type Service } from '@platform/service-kit';
import { serveForBench } from './child.ts';
import { environmentOf, pingOf, trivialContract } from './trivial.ts';

const kind = process.argv[2];

function trivialService(): Service {
  const environment = environmentOf(process.env.NODE_ENV);
  const startedAt = new Date().toISOString();
  const router = createRouter({
    bench: createRouter({
      ping: implement(trivialContract.bench.ping).query(() => pingOf(environment, startedAt)),
    }),
  });
  return createService({
    name: 'bench',
    version: '0.0.0',
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', BODY_LIMIT_BYTES: 1_048_576, SHUTDOWN_TIMEOUT_MS: 2_000 },
    contract: trivialContract,
    router,
    checkDatabase: async () => undefined,
  });
}

await serveForBench(async () => {
  let service: Service;
  if (kind === 'identity') {
    const env = loadEnv({ ...process.env, PORT: '0' });
    service = createIdentityService(env, createDatabase(env.DATABASE_URL));
  } else if (kind === 'trivial') {
    service = trivialService();
  } else {
    throw new Error(`usage: kit-server.ts identity|trivial (got ${kind ?? 'nothing'})`);
  }
  const port = await service.listen(0, '127.0.0.1');
  return { port, close: () => service.close() };
});
