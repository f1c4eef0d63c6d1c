/** A row as read from the store: numbers as numbers (BIGINT narrowed), lists as arrays, NULL as null. */
export type Row = Record<string, unknown>;
export type Param = string | number | boolean | null | readonly string[];

/** The SQL dialect behind a store: the few statements that differ are written for each (see docs/architecture.md). */
export type Dialect = 'duckdb' | 'postgres';

/** What every read needs; read-only work is typed so it cannot write. */
export interface ReadTx {
  readonly dialect: Dialect;
  all<T extends Row = Row>(sql: string, params?: readonly Param[]): Promise<T[]>;
}

export interface WriteTx extends ReadTx {
  run(sql: string, params?: readonly Param[]): Promise<void>;
}

/** How a transaction's COMMIT meets the reads that arrive meanwhile (DuckDB; PostgreSQL's MVCC needs neither). */
export interface TransactionOptions {
  /**
   * The caller's promise that the transaction adds no row a reader could see before the COMMIT ends: it changes rows by
   * UPDATE and appends rows through the transaction, never by a parallel `INSERT … SELECT`, whose row groups readers
   * see during its COMMIT even when a column hides them (docs/architecture.md, "Readers and writers"). Reads then keep
   * answering from a snapshot taken before the COMMIT instead of waiting for it.
   */
  readonly readersKeepSnapshot?: boolean;
  /** Leave the WAL unfolded after the COMMIT: a checkpoint may renumber row ids that the caller's next transaction uses. */
  readonly deferCheckpoint?: boolean;
}

export interface SessionTx extends WriteTx {
  transaction<T>(work: (tx: WriteTx) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

export interface Store extends ReadTx {
  readonly location: string;
  /** Increases with every committed write; equal generations mean the data has not changed (one process owns a store). */
  readonly generation: number;
  /**
   * Reads (not writes) longer than this are stopped and answered with RequestError 'unavailable' (503 with
   * Retry-After over HTTP), so no public request can hold the engine for the others. null: no limit (the CLI).
   */
  readTimeoutMs: number | null;
  /** Runs `work` in one transaction: it commits whole, or (on any throw) changes nothing. */
  write<T>(work: (tx: WriteTx) => Promise<T>): Promise<T>;
  /** Runs `work` on a connection of its own, for staging tables that must not be seen by other work. */
  session<T>(work: (tx: SessionTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
