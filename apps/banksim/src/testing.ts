// For other services' tests: run the sandbox channel in-process on its own migrated database.
import { fileURLToPath } from 'node:url';

export { createBanksimService, type BanksimService } from './app.ts';
export { createDatabase } from './db.ts';
export { loadEnv } from './env.ts';
export { OPERATE_SCOPE, RESOURCE as BANKSIM_RESOURCE } from './meta.ts';

/** The banksim migrations folder, to migrate a test database with @platform/db's applyMigrations. */
export const BANKSIM_MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
