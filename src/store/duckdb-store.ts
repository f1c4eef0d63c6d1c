import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { RequestError, queryTimedOut } from '../domain/index.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { checkIntegrity, type IntegrityReport } from './integrity.js';
import { migrate } from './schema.js';
import type { Param, Row, SessionTx, Store, TransactionOptions, WriteTx } from './store.js';
import { Mutex } from './mutex.js';
import { privatiseStoreFiles, withPrivateFiles } from './private-files.js';

function narrow(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(narrow);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, narrow(v)]));
  }
  return value;
}

function toValues(params: readonly Param[]): DuckDBValue[] {
  return params.map((p) => {
    if (Array.isArray(p)) throw new Error('list parameters are not supported; pass a comma-joined string and split in SQL');
    return p as DuckDBValue;
  });
}

/** A row object fresh from the reader, narrowed in place (a municipal series is 10⁵ rows: no copy of each). */
function narrowRow(row: Record<string, unknown>): Row {
  for (const key in row) {
    const value = row[key];
    if (value !== null && (typeof value === 'bigint' || typeof value === 'object')) row[key] = narrow(value);
  }
  return row as Row;
}

async function all<T extends Row>(conn: DuckDBConnection, sql: string, params: readonly Param[] = []): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params.length > 0 ? toValues(params) : undefined);
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  for (const row of rows) narrowRow(row);
  return rows as T[];
}

function txOn(conn: DuckDBConnection): WriteTx {
  return {
    dialect: 'duckdb',
    all: (sql, params) => all(conn, sql, params),
    run: async (sql, params = []) => {
      await conn.run(sql, params.length > 0 ? toValues(params) : undefined);
    },
  };
}


/** Keeps `read` in `reads` until it settles. */
function track<T>(reads: Set<Promise<unknown>>, read: Promise<T>): Promise<T> {
  reads.add(read);
  const forget = () => reads.delete(read);
  read.then(forget, forget);
  return read;
}

/**
 * What the process holding a store's lock is running, from its command line (Linux /proc; the same user can read it):
 * the server and an import need different advice. Unknown when it cannot be read.
 */
export function describeHolder(pid: number): string {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return 'another Observa process: an import or the server';
  }
  const command = args.find((a) => ['serve', 'start', 'ingest', 'load-bundled', 'assistance', 'publish', 'bake', 'report', 'scorecard'].includes(a));
  if (command === 'serve' || command === 'start') return `\`observa ${command}\`: the server`;
  if (command === 'ingest' || command === 'load-bundled' || command === 'assistance') return `an import (\`observa ${args.slice(args.indexOf(command)).join(' ').slice(0, 120)}\`)`;
  if (command !== undefined) return `\`observa ${command}\``;
  const shown = args.map((a) => a.split('/').at(-1)).join(' ').slice(0, 80);
  return shown === '' ? 'another process' : `running "${shown}"`;
}

export interface OpenOptions {
  readonly readOnly?: boolean;
  /** Seed/refresh the catalog tables (default true for read-write opens). */
  readonly seedCatalog?: boolean;
  /** Told before a long step of opening (a table rewritten for a new schema), so that a person waiting knows why. */
  readonly onNotice?: (message: string) => void;
}

/** DuckDB's default `checkpoint_threshold`: the WAL size past which a commit folds it into the data file. */
const CHECKPOINT_WAL_BYTES = 16 * 2 ** 20;

/**
 * Read isolation around a commit. Reads run beside a write transaction (MVCC: they see the last committed state while
 * an import stages, writes and compares its release). DuckDB 1.5 runs a large INSERT … SELECT in parallel, and the row
 * groups its threads write carry no transaction version until the commit gives them one, last; the COMMIT merges them
 * into the table first, so meanwhile every transaction (new ones, and snapshots pinned before the COMMIT) sees the new
 * rows beside the old ones not yet superseded (scripts/duckdb-commit-visibility.js), even rows a column hides (their
 * `superseded_by` read as NULL: read-during-import.test.ts, 4 of 60 runs under load). So, by default, reads arriving
 * during a COMMIT wait for it, and the COMMIT waits for reads already running. A transaction that promises no such rows
 * (`readersKeepSnapshot`: an import's second transaction, which shows its hidden observations and supersedes the old
 * ones by UPDATE) commits while reads go on: they are sent to snapshot connections whose transactions
 * began before the COMMIT, once the reads already running on the readers have finished. A transaction begun during a
 * COMMIT of UPDATEs may see some of them and not others, or wait for DuckDB's commit lock (~130 ms measured at the end
 * of a 10 M-row UPDATE's COMMIT; 9 ms from a snapshot). Those snapshots also keep DuckDB from checkpointing
 * inside the COMMIT (a checkpoint at commit would lengthen it); the store checkpoints after it, while reads run.
 */
export class DuckDbStore implements Store {
  private readonly mutex = new Mutex();
  private readerIndex = 0;
  private readonly reading = new Set<Promise<unknown>>();
  /** Per reader connection, the end of the last bounded read queued on it (see bounded). */
  private readonly lanes = new Map<DuckDBConnection, Promise<void>>();
  private closed = false;
  /** Opened (schema in place, integrity checked): commits hold a snapshot from now on. */
  private ready = false;
  /** Set while the writer's COMMIT runs: reads wait for it. */
  private committing: Promise<void> | null = null;
  /** Set while a COMMIT that reads need not wait for runs: reads go to these snapshots of the state before it. */
  private pinned: { readonly connections: DuckDBConnection[]; readonly reads: Set<Promise<unknown>> } | null = null;
  /** Reads that had to wait for a COMMIT (tests: an import's publishing COMMIT holds none). */
  readsHeldByCommits = 0;
  /** COMMITs during which reads were answered from snapshots (tests: one per re-release, its publishing one). */
  commitsBesideReads = 0;
  generation = 0;
  readonly dialect = 'duckdb' as const;
  /** What the integrity check at open found and mended (null for read-only opens). */
  recovery: IntegrityReport | null = null;
  readTimeoutMs: number | null = null;

  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
    private readonly snapshots: DuckDBConnection[],
  ) {}

  static async open(location: string, options: OpenOptions = {}): Promise<DuckDbStore> {
    // A WAL left behind means the last process did not close the store: DuckDB replays it, and the deep checks run.
    const replayed = location !== ':memory:' && existsSync(`${location}.wal`);
    if (location !== ':memory:' && !options.readOnly) privatiseStoreFiles(location);
    let instance: DuckDBInstance;
    try {
      instance = await withPrivateFiles(() => DuckDBInstance.create(location, {
        ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
        // Bounded memory: big imports spill to disk beside the store instead of taking the machine (DuckDB's default is 80% of RAM).
        memory_limit: process.env['OBSERVA_MEMORY_LIMIT'] ?? '1500MB',
        // A bulk write (an import's staged file, its observations) flushes each thread's row group as it fills rather
        // than five at a time: the buffered row groups were half of a 10 M-cell import's peak memory (743 → 462 MB).
        write_buffer_row_group_count: '1',
        // The allocator returns freed memory to the system (madvise, with a TLB flush on every core) from background
        // threads instead of whichever thread frees: during an import, the thread that runs JavaScript spent up to
        // ~120 ms at a time in those calls when it freed a result, and every read answered late (docs/architecture.md).
        allocator_background_threads: 'true',
        ...(location === ':memory:' ? {} : { temp_directory: `${location}.tmp` }),
      }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const pid = /PID (\d+)/.exec(message)?.[1];
      if (/lock/i.test(message)) {
        throw new RequestError(
          'store_busy',
          `The store ${location} is in use by another process${pid ? ` (PID ${pid}, ${describeHolder(Number(pid))})` : ''}. ` +
            'Stop that process, or send your request to its API, or pass --store to use another file.',
          { store: location, pid: pid ? Number(pid) : null },
        );
      }
      throw error;
    }
    const writer = await instance.connect();
    const readers = [await instance.connect(), await instance.connect()];
    // As many snapshots as readers: during a COMMIT that reads need not wait for, they serve the reads.
    const snapshots = options.readOnly ? [] : [await instance.connect(), await instance.connect()];
    const store = new DuckDbStore(location, instance, writer, readers, snapshots);
    if (!options.readOnly) {
      await migrate(store, { seedCatalog: options.seedCatalog ?? true, ...(options.onNotice ? { onNotice: options.onNotice } : {}) });
      store.recovery = await checkIntegrity(store, { deep: replayed });
      if (location !== ':memory:') privatiseStoreFiles(location);
    }
    store.ready = true;
    return store;
  }

  async all<T extends Row = Row>(sql: string, params?: readonly Param[]): Promise<T[]> {
    if (this.committing) this.readsHeldByCommits++;
    while (this.committing) await this.committing;
    if (this.closed) throw new Error(`the store ${this.location} is closed`);
    const pinned = this.pinned;
    const pool = pinned?.connections ?? this.readers;
    const conn = pool[this.readerIndex++ % pool.length] as DuckDBConnection;
    const read = this.track(this.readTimeoutMs === null ? all<T>(conn, sql, params) : this.bounded(conn, this.readTimeoutMs, () => all<T>(conn, sql, params)));
    if (pinned) track(pinned.reads, read);
    return read;
  }

  private track<T>(read: Promise<T>): Promise<T> {
    return track(this.reading, read);
  }

  /**
   * Interrupts the read when it outlives `ms` (DuckDB then rejects it, and the connection stays usable). An interrupt
   * stops whatever the connection runs, so bounded reads take their connection in turn (a lane per connection): reads
   * started together (one request's independent reads, other requests') never share it while one may be interrupted,
   * and a read still waiting for its turn at the deadline is refused without running.
   */
  private async bounded<T>(conn: DuckDBConnection, ms: number, read: () => Promise<T>): Promise<T> {
    const deadline = performance.now() + ms;
    const before = this.lanes.get(conn) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const lane = before.then(() => mine);
    this.lanes.set(conn, lane);
    try {
      await before;
      const left = deadline - performance.now();
      if (left <= 0) throw queryTimedOut(ms);
      let stopped = false;
      const timer = setTimeout(() => {
        stopped = true;
        conn.interrupt();
      }, left);
      try {
        return await read();
      } catch (error) {
        if (stopped) throw queryTimedOut(ms);
        throw error;
      } finally {
        clearTimeout(timer);
        // The timer may have fired as the read finished: a query of our own takes any interrupt still pending.
        if (stopped) await all(conn, 'SELECT 1').catch(() => undefined);
      }
    } finally {
      release();
      if (this.lanes.get(conn) === lane) this.lanes.delete(conn);
    }
  }

  write<T>(work: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.mutex.lock(() => withPrivateFiles(() => this.inTransaction(work)));
  }

  session<T>(work: (tx: SessionTx) => Promise<T>): Promise<T> {
    return this.mutex.lock(() => withPrivateFiles(async () => {
      const tx = txOn(this.writer);
      return work({ ...tx, transaction: (inner, options) => this.inTransaction(inner, options) });
    }));
  }

  private async inTransaction<T>(work: (tx: WriteTx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const tx = txOn(this.writer);
    await tx.run('BEGIN TRANSACTION');
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      await tx.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await this.commitBesideReaders(tx, options.readersKeepSnapshot ?? false);
    this.generation++;
    if (!options.deferCheckpoint) await this.checkpointIfDue();
    return result;
  }

  /**
   * COMMIT with snapshots of the state before it held open (see the class comment): reads arriving meanwhile either wait
   * for it, with none running, or (`readersKeepSnapshot`) are answered from those snapshots.
   */
  private async commitBesideReaders(tx: WriteTx, readersKeepSnapshot: boolean): Promise<void> {
    if (!readersKeepSnapshot) await this.flushWrittenPages();
    // A COMMIT that holds reads needs one snapshot (to keep DuckDB from checkpointing in it); one that does not, one per
    // reader connection.
    const snapshots = !this.ready ? [] : readersKeepSnapshot ? this.snapshots : this.snapshots.slice(0, 1);
    const reads = new Set<Promise<unknown>>();
    let end: () => void = () => undefined;
    try {
      for (const snapshot of snapshots) {
        await snapshot.run('BEGIN TRANSACTION');
        await snapshot.run('SELECT count(*) FROM meta'); // DuckDB starts the transaction at the first read of the database
      }
      if (readersKeepSnapshot && snapshots.length > 0) {
        this.commitsBesideReads++;
        this.pinned = { connections: snapshots, reads };
        // Reads already sent to the readers begin their transaction when DuckDB runs them, which may be during the
        // COMMIT, and a transaction begun there can see some of its UPDATEs and not others: they finish first, while
        // new reads go to the snapshots.
        await Promise.allSettled([...this.reading].filter((read) => !reads.has(read)));
      } else {
        this.committing = new Promise<void>((resolve) => (end = resolve));
        await Promise.allSettled([...this.reading]);
      }
      await tx.run('COMMIT');
    } catch (error) {
      await tx.run('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.pinned = null;
      this.committing = null;
      end();
      // Reads sent to a snapshot finish on it before its transaction ends.
      await Promise.allSettled([...reads]);
      for (const snapshot of snapshots) await snapshot.run('COMMIT').catch(() => snapshot.run('ROLLBACK')).catch(() => undefined);
    }
  }

  /**
   * Syncs the store file's pages the transaction already wrote to disk, while reads still run: a parallel INSERT writes
   * its row groups into the file as it goes, and the COMMIT's own sync of them was most of a COMMIT that holds reads
   * (a 10 M-cell re-release's insert: 129 → 22 ms; a first release's 135 → 36 ms). Best effort: the COMMIT syncs anyway.
   */
  private async flushWrittenPages(): Promise<void> {
    if (this.location === ':memory:' || !this.ready) return;
    const file = await open(this.location, 'r').catch(() => null);
    if (!file) return;
    await file.datasync().catch(() => undefined).finally(() => file.close().catch(() => undefined));
  }

  /**
   * DuckDB checkpoints at commit only when no other transaction is open, which the snapshot prevented: fold a WAL past
   * DuckDB's own threshold into the data file now (reads keep running meanwhile). A checkpoint that fails is left to
   * the next commit, or to close.
   */
  private async checkpointIfDue(): Promise<void> {
    if (this.location === ':memory:') return;
    const wal = statSync(`${this.location}.wal`, { throwIfNoEntry: false });
    if (!wal || wal.size < CHECKPOINT_WAL_BYTES) return;
    await this.writer.run('CHECKPOINT').catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Reads already running (e.g. requests a stopping server is still answering) finish before the connections go.
    await Promise.allSettled([...this.reading]);
    await this.mutex.lock(async () => {
      for (const c of [this.writer, ...this.readers, ...this.snapshots]) c.closeSync();
      this.instance.closeSync();
    });
  }
}
