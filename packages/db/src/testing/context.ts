// What testDatabaseGlobalSetup hands to test files through vitest's provide/inject. Declaring the
// keys on vitest's ProvidedContext makes `inject('platformDbAdminUrl')` typed everywhere.

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server provisioned for this vitest run. */
    platformDbAdminUrl: string;
    /** The migrated template database that createTestDatabase() clones. */
    platformDbTemplate: string;
    /** Prefix of every database this run creates, so teardown can remove all of them. */
    platformDbRunId: string;
  }
}

export {};
