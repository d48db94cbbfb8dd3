// @platform/db/testing — real PostgreSQL for vitest integration tests.
import './context.ts';

export { provisionTestServer, type ProvisionOptions, type TestServer } from './provision.ts';
export { testDatabaseGlobalSetup, type TestDatabaseGlobalSetupOptions } from './global-setup.ts';
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { containerEngineAnswers } from './container-engine.ts';
