// The deployables npm start runs, in start order.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LauncherEnv } from './env.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServiceSpec {
  name: 'identity' | 'license' | 'seal' | 'payment';
  dir: string;
  port: number;
  /** Database URL given by the operator, if any (otherwise the embedded database is used). */
  databaseUrl: string | undefined;
}

export function serviceSpecs(env: LauncherEnv): ServiceSpec[] {
  const spec = (name: ServiceSpec['name'], port: number, databaseUrl: string | undefined): ServiceSpec => ({
    name,
    dir: path.join(repoRoot, 'apps', name),
    port,
    databaseUrl,
  });
  return [
    spec('identity', env.IDENTITY_PORT, env.IDENTITY_DATABASE_URL),
    spec('seal', env.SEAL_PORT, env.SEAL_DATABASE_URL),
    spec('license', env.LICENSE_PORT, env.LICENSE_DATABASE_URL),
    spec('payment', env.PAYMENT_PORT, env.PAYMENT_DATABASE_URL),
  ];
}
