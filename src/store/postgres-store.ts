import pg from 'pg';
import { RequestError, queryTimedOut } from '../domain/index.js';
import type { Param, Row, SessionTx, Store, WriteTx } from './store.js';
import { Mutex } from './mutex.js';

// Numbers as numbers (counts fit in 2^53), dates and instants as ISO text: the same row shapes the DuckDB adapter gives.
const TYPES = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20 || oid === 1700 || oid === 21 || oid === 23 || oid === 700 || oid === 701) return (v: string) => Number(v);
    if (oid === 1082) return (v: string) => v;
    if (oid === 1114) return (v: string) => new Date(`${v.replace(' ', 'T')}Z`).toISOString();
    if (oid === 1184) return (v: string) => new Date(v).toISOString();
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** `?` placeholders (the DuckDB style the code writes) → `$1…$n`; question marks inside quoted text stay. */
export function toPositional(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    if (quote) {
      out += c;
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

const values = (params: readonly Param[]) => params.map((p) => (Array.isArray(p) ? [...p] : p));

function txOn(client: pg.PoolClient): WriteTx {
  return {
    dialect: 'postgres',
    all: async <T extends Row>(sql: string, params: readonly Param[] = []) => (await client.query(toPositional(sql), values(params))).rows as T[],
    run: async (sql: string, params: readonly Param[] = []) => {
      await client.query(toPositional(sql), values(params));
    },
  };
}


export interface PostgresOptions {
  /** A schema of its own (created if missing): several stores can share one database. */
  readonly schema?: string;
  /** Run once after connecting, inside a write transaction (schema creation). */
  readonly migrate?: (store: Store) => Promise<void>;
}

/**
 * The server store: PostgreSQL through a connection pool. Writes are serialised in this process (one server owns the
 * store, as with DuckDB), so hash chains and sequences see one writer; reads run in parallel on the pool (MVCC).
 */
export class PostgresStore implements Store {
  private readonly mutex = new Mutex();
  private closed = false;
  generation = 0;
  readonly dialect = 'postgres' as const;
  readTimeoutMs: number | null = null;

  private constructor(readonly location: string, private readonly pool: pg.Pool) {}

  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const parsed = new URL(url);
    const schema = options.schema ?? parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RequestError('bad_request', `invalid schema name "${schema}"`);
    const pool = new pg.Pool({
      connectionString: parsed.toString(),
      max: 8,
      types: TYPES,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const shown = `${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}${schema ? ` (schema ${schema})` : ''}`;
    try {
      const client = await pool.connect();
      try {
        if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new RequestError('store_busy', `cannot reach PostgreSQL at ${shown}: ${(error as Error).message}`, { store: shown });
    }
    const store = new PostgresStore(shown, pool);
    if (options.migrate) await options.migrate(store);
    return store;
  }

  async all<T extends Row = Row>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    if (this.closed) throw new Error(`the store ${this.location} is closed`);
    if (this.readTimeoutMs === null) return (await this.pool.query(toPositional(sql), values(params))).rows as T[];
    // The server stops the statement (statement_timeout), so a slow read does not keep running after its answer.
    const ms = Math.max(1, Math.round(this.readTimeoutMs));
    const client = await this.pool.connect();
    try {
      await client.query(`SET statement_timeout = ${ms}`);
      return (await client.query(toPositional(sql), values(params))).rows as T[];
    } catch (error) {
      if ((error as { code?: string }).code === '57014') throw queryTimedOut(ms);
      throw error;
    } finally {
      await client.query('RESET statement_timeout').catch(() => undefined);
      client.release();
    }
  }

  write<T>(work: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      const client = await this.pool.connect();
      try {
        return await this.inTransaction(client, work);
      } finally {
        client.release();
      }
    });
  }

  session<T>(work: (tx: SessionTx) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      const client = await this.pool.connect();
      try {
        return await work({ ...txOn(client), transaction: (inner) => this.inTransaction(client, inner) });
      } finally {
        client.release();
      }
    });
  }

  /** One transaction on one client, for PostgreSQL-only work such as COPY (publishing statistics). Serialised with writes. */
  clientTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      const client = await this.pool.connect();
      try {
        return await this.inTransaction(client, () => work(client));
      } finally {
        client.release();
      }
    });
  }

  private async inTransaction<T>(client: pg.PoolClient, work: (tx: WriteTx) => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      const result = await work(txOn(client));
      await client.query('COMMIT');
      this.generation++;
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.mutex.lock(() => this.pool.end());
  }
}
