// The errors come from a real PostgreSQL, through node-postgres and through Prisma's pg driver
// adapter (the layer every service's Prisma client sits on); the Prisma client's own wrapper
// (P2002, adapter error in `meta`) is built in the shape Prisma 7 throws.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCheckViolation, isUniqueViolation } from '../src/index.ts';
import { emptyDatabase } from './helpers.ts';

const SCHEMA = `CREATE TABLE notice (code text PRIMARY KEY, amount integer NOT NULL CHECK (amount > 0))`;

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

describe('constraint errors', () => {
  let client: pg.Client;
  let adapter: Awaited<ReturnType<PrismaPg['connect']>>;

  beforeAll(async () => {
    const url = await emptyDatabase();
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(SCHEMA);
    await client.query(`INSERT INTO notice VALUES ('A', 1)`);
    adapter = await new PrismaPg({ connectionString: url }).connect();
  });
  afterAll(async () => {
    await client?.end();
    await adapter?.dispose();
  });

  const duplicate = { sql: `INSERT INTO notice VALUES ('A', 2)`, args: [], argTypes: [] };
  const negative = { sql: `INSERT INTO notice VALUES ('B', -1)`, args: [], argTypes: [] };

  it('recognises a duplicate key from node-postgres and from the Prisma adapter', async () => {
    const fromPg = await failureOf(() => client.query(duplicate.sql));
    const fromAdapter = await failureOf(() => adapter.executeRaw(duplicate));
    for (const error of [fromPg, fromAdapter]) {
      expect(isUniqueViolation(error)).toBe(true);
      expect(isCheckViolation(error)).toBe(false);
    }
  });

  it('recognises a refused CHECK from node-postgres and from the Prisma adapter', async () => {
    const fromPg = await failureOf(() => client.query(negative.sql));
    const fromAdapter = await failureOf(() => adapter.executeRaw(negative));
    for (const error of [fromPg, fromAdapter]) {
      expect(isCheckViolation(error)).toBe(true);
      expect(isUniqueViolation(error)).toBe(false);
    }
  });

  it("recognises the Prisma client's wrapper of an adapter error", async () => {
    const fromAdapter = await failureOf(() => adapter.executeRaw(negative));
    const wrapped = Object.assign(new Error('Invalid `prisma.notice.create()` invocation'), {
      code: 'P2004',
      meta: { driverAdapterError: fromAdapter },
    });
    expect(isCheckViolation(wrapped)).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBe(true);
  });

  it('does not take other failures for constraint violations', async () => {
    const syntax = await failureOf(() => client.query('INSERT INTO nowhere VALUES (1)'));
    for (const error of [syntax, new Error('duplicate key value violates unique constraint'), undefined, 'P2002']) {
      expect(isUniqueViolation(error)).toBe(false);
      expect(isCheckViolation(error)).toBe(false);
    }
  });
});
