/**
 * One database factory for both engines. minsheng speaks plain PostgreSQL SQL; the embedded
 * PGlite (a folder, or memory for tests) and a real server through node-postgres sit behind
 * the same small interface, so every repository runs unchanged on both.
 *
 * Transactions are explicit: a use case opens one with `db.transaction(fn)` and passes the
 * `Tx` to every repository call and to the audit writer, so a write and its audit row commit
 * or roll back together.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { acquireDirLock } from './lock';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A connection inside an open transaction. */
export interface Tx extends Queryable {
  readonly inTransaction: true;
}

export type EngineKind = 'pglite' | 'postgresql';

export interface Db extends Queryable {
  readonly kind: EngineKind;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Run several statements of a trusted script (migrations only). */
  execScript(sql: string): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (test templates, backups). */
  snapshot?(): Promise<Blob>;
}

export type DbConfig =
  | { engine: 'pglite'; dataDir: string | 'memory'; loadDataDir?: Blob }
  | { engine: 'postgresql'; url: string; searchPath?: string; poolSize?: number };

/** int8 (counts, bigserial ids) come back as JavaScript numbers on both engines. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * A Db whose `transaction` joins an already open transaction, so several use cases can commit
 * together (the demo seed is all or nothing). Closing it does nothing.
 */
export function joinTransaction(tx: Tx, kind: EngineKind): Db {
  return {
    kind,
    query: (sql, params) => tx.query(sql, params),
    transaction: (fn) => fn(tx),
    execScript: async () => {
      throw new Error('execScript is not available inside a transaction');
    },
    close: async () => undefined,
  };
}

export async function openDb(config: DbConfig): Promise<Db> {
  return config.engine === 'pglite' ? openPglite(config) : openPostgres(config);
}

async function openPglite(config: Extract<DbConfig, { engine: 'pglite' }>): Promise<Db> {
  const parsers = { [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => Number(v) };
  const options = { parsers, ...(config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}) };
  const release = config.dataDir === 'memory' ? () => undefined : acquireDirLock(config.dataDir);
  let lite: PGlite;
  try {
    lite = config.dataDir === 'memory' ? await PGlite.create(options) : await PGlite.create(config.dataDir, options);
  } catch (e) {
    release();
    throw e;
  }
  await lite.exec(`SET TIME ZONE 'UTC'`);
  const run = async <R extends Row>(q: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]) =>
    (await q.query<R>(sql, params ? [...params] : undefined)).rows;
  return {
    kind: 'pglite',
    query: (sql, params) => run(lite, sql, params),
    transaction: (fn) =>
      lite.transaction(async (t) =>
        fn({ inTransaction: true, query: (sql, params) => run(t as unknown as Pick<PGlite, 'query'>, sql, params) }),
      ),
    execScript: async (sql) => {
      await lite.exec(sql);
    },
    close: async () => {
      await lite.close();
      release();
    },
    snapshot: async () => (await lite.dumpDataDir('none')) as Blob,
  };
}

async function openPostgres(config: Extract<DbConfig, { engine: 'postgresql' }>): Promise<Db> {
  const typeParser = (oid: number, format?: string) => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  };
  // Session settings ride in the startup packet's `options`, merged with any the URL carries:
  // every connection works in UTC (and in the test schema, when one is given).
  const url = new URL(config.url);
  const options = [url.searchParams.get('options'), '-c TimeZone=UTC', config.searchPath ? `-c search_path=${config.searchPath}` : null]
    .filter(Boolean)
    .join(' ');
  url.searchParams.set('options', options);
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: config.poolSize ?? 10,
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  // A broken idle connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  const run = async <R extends Row>(q: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) =>
    (await q.query<R>(sql, params ? [...params] : undefined)).rows;
  return {
    kind: 'postgresql',
    query: (sql, params) => run(pool, sql, params),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ inTransaction: true, query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    execScript: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
