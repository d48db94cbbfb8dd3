// The `system.*` procedures, identical in every service.
import { systemContract } from '@platform/contracts';
import { probeDatabase, type DatabaseCheck } from './database-health.ts';
import { createRouter, implement } from './trpc.ts';

export function systemRouter(options: {
  service: string;
  version: string;
  environment: 'development' | 'test' | 'production';
  checkDatabase: DatabaseCheck;
}) {
  const startedAt = new Date().toISOString();
  return createRouter({
    info: implement(systemContract.info).query(async () => ({
      service: options.service,
      version: options.version,
      environment: options.environment,
      startedAt,
      database: await probeDatabase(options.checkDatabase),
    })),
  });
}
