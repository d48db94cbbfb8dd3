import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type Database = PrismaClient;
/** The client inside an interactive transaction. */
export type Transaction = Parameters<Parameters<Database['$transaction']>[0]>[0];

export function createDatabase(url: string): Database {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}
