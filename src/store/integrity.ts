import { aggregateDifferences, refreshAggregates } from './aggregates.js';
import { termSumDifferences } from './term-sums.js';
import { DIMENSION_COLUMNS } from './schema.js';
import type { Store, WriteTx } from './store.js';

/**
 * What `checkIntegrity` found and mended. DuckDB's recovery is not atomic for large transactions: a process killed
 * while a big import commits (its rows already written to the data file, the WAL half written) can come back with the
 * observations of a release whose `release` row was lost. Left alone, the file imports again and every answer doubles.
 */
export interface IntegrityReport {
  /** Releases whose row was lost: their rows in release-linked tables were removed. */
  readonly orphanReleases: readonly number[];
  readonly orphanRows: number;
  /** Rows marked superseded by a release that does not exist, made current again. */
  readonly restoredRows: number;
  /** Releases with fewer stored observations than they declare: removed whole (the import re-runs cleanly). */
  readonly partialReleases: readonly number[];
  /** Keys that had two current values: the older ones were marked superseded by the newest release. */
  readonly duplicateKeys: number;
  /** Series × years whose aggregates (observation_aggregate) disagreed with the observations: rebuilt from them. */
  readonly aggregateMismatches: number;
  /** True when the full checks ran (a WAL was replayed at open). */
  readonly deep: boolean;
}

export const isRepaired = (r: IntegrityReport) =>
  r.orphanReleases.length > 0 || r.restoredRows > 0 || r.partialReleases.length > 0 || r.duplicateKeys > 0 || r.aggregateMismatches > 0;

const KEY = ['series', 'geo', 'period', ...DIMENSION_COLUMNS] as const;

/** Every table that holds rows belonging to a release (observations, map layers, imported lines, incidents…). */
async function releaseLinkedTables(tx: WriteTx): Promise<string[]> {
  const rows = await tx.all<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns
     WHERE column_name = 'release_id' AND table_name <> 'release' AND table_schema = current_schema() ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function hasColumn(tx: WriteTx, table: string, column: string): Promise<boolean> {
  const [row] = await tx.all<{ n: number }>(
    `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = ? AND column_name = ? AND table_schema = current_schema()`,
    [table, column],
  );
  return (row?.n ?? 0) > 0;
}

async function removeReleases(tx: WriteTx, tables: readonly string[], ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const list = ids.join(', ');
  let removed = 0;
  for (const table of tables) {
    const [n] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE release_id IN (${list})`);
    removed += n?.n ?? 0;
    await tx.run(`DELETE FROM ${table} WHERE release_id IN (${list})`);
  }
  await tx.run(`DELETE FROM release WHERE id IN (${list})`);
  return removed;
}

/**
 * Checks the store's invariants after a crash and mends what a lost commit left behind, in one transaction.
 * Always (cheap, a scan of two integer columns): rows of releases that do not exist, rows superseded by releases that do
 * not exist. With `deep` (after a WAL replay): releases with fewer observations than they declare, and keys with two
 * current values. The periods table is rebuilt from what remains whenever anything was mended.
 */
export async function checkIntegrity(store: Store, options: { deep: boolean }): Promise<IntegrityReport> {
  return store.write(async (tx) => {
    const tables = await releaseLinkedTables(tx);
    const orphans = new Set<number>();
    for (const table of tables) {
      const rows = await tx.all<{ id: number }>(
        `SELECT DISTINCT t.release_id AS id FROM ${table} t WHERE t.release_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM release r WHERE r.id = t.release_id)`,
      );
      for (const r of rows) orphans.add(r.id);
    }
    const orphanReleases = [...orphans].sort((a, b) => a - b);
    const orphanRows = await removeReleases(tx, tables, orphanReleases);

    let partialReleases: number[] = [];
    if (options.deep) {
      const partial = await tx.all<{ id: number }>(
        `SELECT r.id FROM release r LEFT JOIN (SELECT release_id, count(*) AS n FROM observation GROUP BY release_id) o
           ON o.release_id = r.id
         WHERE r.observation_count > 0 AND coalesce(o.n, 0) <> r.observation_count ORDER BY r.id`,
      );
      partialReleases = partial.map((p) => p.id);
      await removeReleases(tx, tables, partialReleases);
    }

    let restoredRows = 0;
    for (const table of tables) {
      if (!(await hasColumn(tx, table, 'superseded_by'))) continue;
      const dangling = `superseded_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM release r WHERE r.id = ${table}.superseded_by)`;
      const [n] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${dangling}`);
      if ((n?.n ?? 0) === 0) continue;
      restoredRows += n?.n ?? 0;
      await tx.run(`UPDATE ${table} SET superseded_by = NULL WHERE ${dangling}`);
    }

    let duplicateKeys = 0;
    if (options.deep) {
      const groups = `SELECT ${KEY.join(', ')}, max(release_id) AS keep FROM observation WHERE superseded_by IS NULL
                      GROUP BY ${KEY.join(', ')} HAVING count(*) > 1`;
      const [n] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM (${groups})`);
      duplicateKeys = n?.n ?? 0;
      if (duplicateKeys > 0) {
        await tx.run(`UPDATE observation SET superseded_by = d.keep FROM (${groups}) d
                      WHERE ${KEY.map((k) => `observation.${k} = d.${k}`).join(' AND ')}
                        AND observation.superseded_by IS NULL AND observation.release_id < d.keep`);
      }
    }

    // The aggregates must equal the observations they sum: checked after a WAL replay (a full aggregation of the store),
    // and rebuilt whole whenever observations were mended above.
    const mended = orphanReleases.length > 0 || restoredRows > 0 || partialReleases.length > 0 || duplicateKeys > 0;
    const mismatched = options.deep && !mended ? await aggregateDifferences(tx) : [];
    // The terms' yearly sums too (refreshAggregates rebuilds them with the aggregates it rebuilds).
    const termsMismatched = options.deep && !mended ? await termSumDifferences(tx) : [];
    for (const t of termsMismatched) if (!mismatched.some((m) => m.series === t.series && m.years?.includes(t.year))) mismatched.push({ series: t.series, years: [t.year] });
    if (mismatched.length > 0) await refreshAggregates(tx, mismatched);
    const report = { orphanReleases, orphanRows, restoredRows, partialReleases, duplicateKeys, aggregateMismatches: mismatched.length, deep: options.deep };
    if (mended) await refreshAggregates(tx, 'all');
    if (isRepaired(report)) {
      await tx.run(`DELETE FROM series_period`);
      await tx.run(`INSERT OR IGNORE INTO series_period SELECT DISTINCT series, freq, year, coalesce(month, 0) FROM observation`);
      await tx.run(`INSERT OR REPLACE INTO meta VALUES ('last_repair', ?)`, [JSON.stringify({ ...report, at: new Date().toISOString() })]);
    }
    return report;
  });
}

/** One line for people: what was mended and why. Empty when nothing was. */
export function describeRepair(r: IntegrityReport, lang: 'es' | 'en' = 'en'): string {
  if (!isRepaired(r)) return '';
  const parts: string[] = [];
  const es = lang === 'es';
  if (r.orphanReleases.length > 0) {
    parts.push(es
      ? `se retiraron ${r.orphanRows} filas de importaciones interrumpidas (${r.orphanReleases.join(', ')}) sin registro de publicación`
      : `removed ${r.orphanRows} rows of interrupted imports (${r.orphanReleases.join(', ')}) that had no release record`);
  }
  if (r.partialReleases.length > 0) {
    parts.push(es ? `se retiraron publicaciones incompletas (${r.partialReleases.join(', ')})` : `removed incomplete releases (${r.partialReleases.join(', ')})`);
  }
  if (r.restoredRows > 0) parts.push(es ? `${r.restoredRows} valores volvieron a ser vigentes` : `${r.restoredRows} values made current again`);
  if (r.aggregateMismatches > 0) {
    parts.push(es ? `se recalcularon los agregados de ${r.aggregateMismatches} series × años` : `rebuilt the aggregates of ${r.aggregateMismatches} series × years`);
  }
  if (r.duplicateKeys > 0) parts.push(es ? `${r.duplicateKeys} claves con dos valores vigentes corregidas` : `${r.duplicateKeys} keys with two current values mended`);
  return (es ? 'El almacén se recuperó de una interrupción: ' : 'The store recovered from an interruption: ') + parts.join('; ') +
    (es ? '. Vuelva a ejecutar la importación interrumpida.' : '. Re-run the interrupted import.');
}
