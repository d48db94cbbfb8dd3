// Prisma CLI config (Prisma 7 keeps the connection URL out of schema.prisma). Only `generate` uses
// the CLI here; migrations run through @platform/db's platform-db, which reads DATABASE_URL itself.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
