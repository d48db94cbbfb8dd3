#!/usr/bin/env node
// `platform-db generate` points PRISMA_SCHEMA_ENGINE_BINARY here so that the Prisma CLI never
// downloads its native schema engine (generate only checks that the file exists). Should a
// Prisma command ever try to run it, say what to use instead.
console.error(
  'platform-db: the native Prisma schema engine is not installed; use `platform-db migrate`, ' +
    '`platform-db migrate:create NAME` or `platform-db drift` instead of `prisma migrate`.',
);
process.exit(1);
