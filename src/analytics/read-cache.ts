import type { ReadTx, Row } from '../store/index.js';

/**
 * Small reads every indicator request repeats (the releases, the months a series holds, place names and codes), kept per
 * store until its next committed write. A DuckDB store belongs to one process and counts its commits (`generation`,
 * raised when a write has committed), so an entry read at one generation is never served at another: an import that
 * has returned is seen by the next request. Only the embedded store is cached: a PostgreSQL server store is published to
 * by other processes, whose writes this process does not count. Anything else (a transaction) reads as it is.
 */
interface Entries {
  generation: number;
  readonly reads: Map<string, Promise<unknown>>;
}

const byStore = new WeakMap<object, Entries>();
/** Distinct reads kept per store (a request names its places and series: bounded, but not by the code). */
const MAX_ENTRIES = 2_000;

function generationOf(tx: ReadTx): number | null {
  const generation = (tx as { generation?: unknown }).generation;
  return tx.dialect === 'duckdb' && typeof generation === 'number' ? generation : null;
}

/** Whether `tx`'s reads are kept (a DuckDB store, not a transaction or a server store). */
export function keepsReads(tx: ReadTx): boolean {
  return generationOf(tx) !== null;
}

/** `sql`'s rows, from the cache when the store has not been written to since they were read. Do not mutate them. */
export function cachedAll<T extends Row>(tx: ReadTx, sql: string): Promise<readonly T[]> {
  return cached(tx, sql, () => tx.all<T>(sql));
}

/** `read()`'s result under `key`, kept as `cachedAll` keeps rows. */
export function cached<T>(tx: ReadTx, key: string, read: () => Promise<T>): Promise<T> {
  // The generation is taken before the read: a read that overlaps a commit is kept under the generation it started
  // in, which the commit ends.
  const generation = generationOf(tx);
  if (generation === null) return read();
  let entries = byStore.get(tx);
  if (entries === undefined || entries.generation !== generation) {
    entries = { generation, reads: new Map() };
    byStore.set(tx, entries);
  }
  const hit = entries.reads.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  if (entries.reads.size >= MAX_ENTRIES) entries.reads.clear();
  const result = read();
  const kept = entries;
  kept.reads.set(key, result);
  // A failed read (stopped for time, say) is not kept: the next request reads again.
  result.catch(() => {
    if (kept.reads.get(key) === result) kept.reads.delete(key);
  });
  return result;
}
