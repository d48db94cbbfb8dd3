import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from './generated/prisma/client.ts';

export type Database = PrismaClient;
/** The client inside an interactive transaction; repositories accept either. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

export function createDatabase(url: string, options: { poolSize?: number } = {}): Database {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 }) });
}

/**
 * Options for interactive transactions. Waiting for a pooled connection may take a while under a
 * burst (e.g. a thousand duplicate callbacks), which must queue rather than fail.
 */
export const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;
