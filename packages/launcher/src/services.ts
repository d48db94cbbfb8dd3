// The deployables npm start runs, in start order, and how each finds the others.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LauncherEnv } from './env.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type ServiceName = 'identity' | 'seal' | 'license' | 'banksim' | 'payment' | 'console';

export interface ServiceSpec {
  name: ServiceName;
  dir: string;
  port: number;
  /** Database URL given by the operator, if any (otherwise the embedded database is used). */
  databaseUrl: string | undefined;
  /** Whether it has a database of its own (the console has none: it only calls the services). */
  database: boolean;
}

/**
 * Start order: identity first (everyone verifies its tokens), seal before its users, banksim
 * before payment (payment reads banksim's callback key), the console last (it calls them all).
 */
export function serviceSpecs(env: LauncherEnv): ServiceSpec[] {
  const spec = (name: ServiceName, port: number, databaseUrl: string | undefined): ServiceSpec => ({
    name,
    dir: path.join(repoRoot, 'apps', name),
    port,
    databaseUrl,
    database: name !== 'console',
  });
  return [
    spec('identity', env.IDENTITY_PORT, env.IDENTITY_DATABASE_URL),
    spec('seal', env.SEAL_PORT, env.SEAL_DATABASE_URL),
    spec('license', env.LICENSE_PORT, env.LICENSE_DATABASE_URL),
    spec('banksim', env.BANKSIM_PORT, env.BANKSIM_DATABASE_URL),
    spec('payment', env.PAYMENT_PORT, env.PAYMENT_DATABASE_URL),
    spec('console', env.CONSOLE_PORT, undefined),
  ];
}

/** Where each service finds the others, and where it keeps its development keys. */
export function serviceLinks(specs: ServiceSpec[], env: LauncherEnv): Record<string, string> {
  const url = (name: ServiceName) => `http://localhost:${specs.find((s) => s.name === name)?.port ?? 0}`;
  return {
    IDENTITY_ISSUER_URL: url('identity'),
    ISSUER_URL: url('identity'),
    SEAL_URL: url('seal'),
    LICENSE_URL: url('license'),
    PAYMENT_URL: url('payment'),
    BANKSIM_URL: url('banksim'),
    CONSOLE_URL: `http://localhost:${env.CONSOLE_PORT}`,
    PLATFORM_DATA_DIR: path.resolve(repoRoot, env.PLATFORM_DATA_DIR),
  };
}

/** Settings that differ per service although their names are shared. */
export function ownSettings(spec: ServiceSpec, env: LauncherEnv): Record<string, string> {
  return {
    PORT: String(spec.port),
    PUBLIC_URL: `http://localhost:${spec.port}`,
    DATA_DIR: path.resolve(repoRoot, env.PLATFORM_DATA_DIR, spec.name),
  };
}
