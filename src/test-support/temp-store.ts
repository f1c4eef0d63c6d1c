import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIMENSION_COLUMNS, DuckDbStore, type ReadTx } from '../store/index.js';

export interface TempStore {
  readonly store: DuckDbStore;
  readonly dir: string;
  readonly path: string;
  cleanup(): Promise<void>;
}

/** A real DuckDB store in a fresh temporary folder: empty, or a copy of `from` (a closed, checkpointed store file). */
export async function tempStore(from?: string): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'observa-test-'));
  const path = join(dir, 'store.duckdb');
  if (from !== undefined) copyFileSync(from, path);
  const store = await DuckDbStore.open(path);
  return {
    store,
    dir,
    path,
    cleanup: async () => {
      await store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything an import can change, reduced to one string: equal fingerprints mean an unchanged store. */
export async function storeFingerprint(tx: ReadTx): Promise<string> {
  const [obs] = await tx.all<{ n: number; h: string }>(
    `SELECT count(*) AS n, coalesce(sum(hash(release_id, series, geo, period, ${DIMENSION_COLUMNS.join(', ')}, value, flags, superseded_by))::VARCHAR, '0') AS h
     FROM observation`,
  );
  const [rel] = await tx.all<{ n: number; h: string }>(
    `SELECT count(*) AS n, coalesce(sum(hash(id, source_id, sha256, row_count))::VARCHAR, '0') AS h FROM release`,
  );
  // Tables written with a release (secondary source links, IOM incidents): a refused import leaves them as they were too.
  const [kept] = await tx.all<{ links: number; incidents: number }>(
    `SELECT (SELECT count(*) FROM observation_source) AS links, (SELECT count(*) FROM migrant_incident) AS incidents`,
  );
  return `${obs?.n}:${obs?.h}|${rel?.n}:${rel?.h}|${kept?.links}:${kept?.incidents}`;
}

/** Observations without their release ids: two stores holding the same data compare equal. */
export async function observationContent(tx: ReadTx): Promise<string> {
  const [row] = await tx.all<{ n: number; h: string }>(
    `SELECT count(*) AS n, sum(hash(series, geo, period, ${DIMENSION_COLUMNS.join(', ')}, value, flags))::VARCHAR AS h
     FROM observation WHERE superseded_by IS NULL`,
  );
  return `${row?.n}:${row?.h}`;
}
