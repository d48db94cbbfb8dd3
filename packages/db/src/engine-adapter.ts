import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQueryable,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { databaseUrlWithName, dropDatabase, ensureDatabase } from './databases.ts';
import { randomSuffix } from './names.ts';

/** OIDs of PostgreSQL's internal one-byte `"char"` type and of `text`. */
const CHAR_OID = 18;
const TEXT_OID = 25;

/*
 * @prisma/adapter-pg 7.10 rejects result columns of the catalog type `"char"` (OID 18) as an
 * unsupported native type, yet the schema engine's PostgreSQL describer selects such columns
 * (pg_constraint.contype) and then reads them as Character values; so every diff would fail, and
 * PostgreSQL 18 (which records NOT NULL constraints there) makes the describer panic on them.
 * We fix it in two steps: the pg client relabels those columns as `text` so the adapter accepts
 * them, remembering which columns they were (keyed by the rows array, which the adapter passes
 * through unchanged); then the adapter's result is corrected to report them as Character.
 */
const charColumnsOfRows = new WeakMap<object, number[]>();

function relabelCharColumns(result: unknown): void {
  for (const one of Array.isArray(result) ? result : [result]) {
    const { fields, rows } = (one ?? {}) as { fields?: unknown; rows?: unknown };
    if (!Array.isArray(fields) || !Array.isArray(rows)) continue;
    const charColumns: number[] = [];
    (fields as Array<{ dataTypeID?: number }>).forEach((field, index) => {
      if (field.dataTypeID === CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        charColumns.push(index);
      }
    });
    if (charColumns.length > 0) charColumnsOfRows.set(rows, charColumns);
  }
}

class CatalogFriendlyClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      // pg.Pool#query passes a callback; direct callers (transactions) use the promise.
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: unknown, result: unknown) => {
          if (!error) relabelCharColumns(result);
          (callback as (error: unknown, result: unknown) => void)(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) {
        return result.then((value: unknown) => {
          relabelCharColumns(value);
          return value;
        });
      }
      return result;
    }) as pg.Client['query'];
  }
}

function reportCharColumns<T extends SqlQueryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const resultSet = await queryRaw(query);
    for (const index of charColumnsOfRows.get(resultSet.rows) ?? []) {
      resultSet.columnTypes[index] = ColumnTypeEnum.Character;
    }
    return resultSet;
  };
  return queryable;
}

/*
 * @prisma/adapter-pg 7.10 runs a migration script by splitting it at every `;` and sending the
 * pieces one by one, which breaks any function body or string that contains a semicolon (a
 * PL/pgSQL trigger, say). PostgreSQL's simple-query protocol takes the whole script at once, so we
 * send it unsplit; the server still runs it statement by statement, in one implicit transaction.
 */
function wholeScripts(adapter: SqlDriverAdapter, pool: pg.Pool): SqlDriverAdapter {
  const onError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      onError(error);
    }
  };
  return adapter;
}

function withCharColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  reportCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => reportCharColumns(await startTransaction(...args));
  return adapter;
}

export interface EngineAdapterFactory {
  /** What SchemaEngine.new expects (before bindMigrationAwareSqlAdapterFactory). */
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Closes every pool the engine opened and drops any shadow database it left behind. */
  close(): Promise<void>;
}

/**
 * Builds the driver-adapter factory the schema engine talks through: the main connection goes to
 * `databaseUrl`; each shadow database is a throwaway database created on the same server and
 * dropped when the engine disposes it (or, at the latest, on close()). We create shadow databases
 * ourselves because PrismaPg's own connectToShadowDb spreads `{ database }` over a config whose
 * connectionString still wins in pg, so it would connect to the main database instead.
 */
export function createEngineAdapterFactory(databaseUrl: string): EngineAdapterFactory {
  const closers: Array<() => Promise<void>> = [];

  async function connectTo(url: string, afterClose?: () => Promise<void>): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString: url, Client: CatalogFriendlyClient, max: 4 });
    pool.on('error', () => undefined);
    const adapter = wholeScripts(withCharColumns(await new PrismaPg(pool).connect()), pool);
    const disposeAdapter = adapter.dispose.bind(adapter);
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await disposeAdapter().catch(() => undefined);
        await pool.end().catch(() => undefined);
        await afterClose?.();
      })());
    adapter.dispose = close;
    closers.push(close);
    return adapter;
  }

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectTo(databaseUrl),
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomSuffix()}`;
      await ensureDatabase(databaseUrl, name);
      return connectTo(databaseUrlWithName(databaseUrl, name), () => dropDatabase(databaseUrl, name));
    },
  };

  return {
    factory,
    async close() {
      await Promise.all(closers.map((close) => close()));
    },
  };
}
