import type { SelectedGeo } from './geo-selection.js';

/*
 * Reads of one shape shared by concurrent requests (docs/architecture.md, "Concurrent answers share a read"). Requests
 * that differ only in their places and years (fifty people each opening another municipality's homicide series) arrive
 * while a read of that shape runs: they wait together and are answered by one read of all their places and years, each
 * keeping only its own rows. One place's read costs a DuckDB query's fixed overhead and a scan of the row groups its
 * places sit in (~15 ms at 10 M cells); fifty places in one read cost ~60 ms, so under load the reads per second, not the
 * scans, bound the answers. A request that finds no read of its shape running is read at once, alone: nothing waits
 * when nothing else is asked. A request never joins a read already running (it would miss what committed after it began).
 */

/**
 * Reads of one shape running at once; more requests wait for the next shared read. Two at once gave more answers a second
 * but twice the p99 (docs/architecture.md, "Concurrent answers share a read").
 */
const RUNNING_PER_SHAPE = 1;
/** Places one shared read may gather (each request names at most 120); past it, the gathered requests read at once. */
const MAX_PLACES = 600;

/** What one request asks of a shared read: its places, and its years inclusive. */
export interface ReadPart {
  readonly places: readonly Pick<SelectedGeo, 'code' | 'level'>[];
  readonly years: readonly [number, number];
}

interface Waiter<R> {
  readonly part: ReadPart;
  readonly resolve: (rows: R[]) => void;
  readonly reject: (error: unknown) => void;
}

interface Gathering<R> {
  readonly waiters: Waiter<R>[];
  places: number;
}

interface Shape<R> {
  running: number;
  open: Gathering<R> | null;
}

/** Requests and reads so far, per owner (tests: concurrent requests did share reads). */
export interface SharedReadCounts {
  requests: number;
  reads: number;
}

/** Per owner (a store): the shapes with reads running or requests gathered, and the counts. */
interface OwnerState {
  readonly shapes: Map<string, Shape<never>>;
  readonly counts: SharedReadCounts;
}
const byOwner = new WeakMap<object, OwnerState>();

export function sharedReadCounts(owner: object): SharedReadCounts {
  return { ...(byOwner.get(owner)?.counts ?? { requests: 0, reads: 0 }) };
}

/**
 * The rows of `part` (those `keep` says belong to it), from a read of `shape` run for it alone or shared with the requests
 * of the same shape that arrived while another such read ran. `read` gets every gathered part and reads all of them:
 * the union of their places, over the span of their years. Each request gets its own copies of its rows.
 */
export function sharedRead<R extends object>(
  owner: object, shape: string, part: ReadPart, read: (parts: readonly ReadPart[]) => Promise<readonly R[]>, keep: (part: ReadPart, row: R) => boolean,
): Promise<R[]> {
  let owned = byOwner.get(owner);
  if (owned === undefined) {
    owned = { shapes: new Map(), counts: { requests: 0, reads: 0 } };
    byOwner.set(owner, owned);
  }
  const { counts } = owned;
  counts.requests++;
  const byShape = owned.shapes as Map<string, Shape<R>>;
  const state: Shape<R> = byShape.get(shape) ?? { running: 0, open: null };
  byShape.set(shape, state);

  const start = (gathering: Gathering<R>) => {
    state.running++;
    counts.reads++;
    const parts = gathering.waiters.map((w) => w.part);
    read(parts).then(
      (rows) => {
        for (const w of gathering.waiters) w.resolve(rows.filter((r) => keep(w.part, r)).map((r) => ({ ...r })));
      },
      (error: unknown) => {
        for (const w of gathering.waiters) w.reject(error);
      },
    ).finally(() => {
      state.running--;
      const next = state.open;
      if (next !== null && state.running < RUNNING_PER_SHAPE) {
        state.open = null;
        start(next);
      } else if (state.running === 0 && next === null) {
        byShape.delete(shape);
      }
    });
  };

  return new Promise<R[]>((resolve, reject) => {
    const waiter: Waiter<R> = { part, resolve, reject };
    const open = state.open;
    if (open !== null) {
      open.waiters.push(waiter);
      open.places += part.places.length;
      // A full gathering reads now, beside the running ones (bounded: the requests themselves are).
      if (open.places >= MAX_PLACES) {
        state.open = null;
        start(open);
      }
      return;
    }
    const gathering: Gathering<R> = { waiters: [waiter], places: part.places.length };
    if (state.running < RUNNING_PER_SHAPE) start(gathering);
    else state.open = gathering;
  });
}
