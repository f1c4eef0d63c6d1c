import { createHash } from 'node:crypto';
import { loadCatalog } from '../catalog/index.js';
import { rateIndicator, type Dimension, type Indicator, type SeriesTerm } from '../domain/index.js';
import { TERM_SUMS_TABLE, TERM_SUMS_TERMS_TABLE } from './columns.js';
import { insertRows } from './insert-rows.js';
import { inList, lit } from './sql-text.js';
import type { ReadTx, WriteTx } from './store.js';
import { seriesYearsCondition, touchedBySeries, type Touched } from './touched.js';

/*
 * `term_year_sum` (DuckDB stores): each catalog term's current observations summed per place and calendar year, as the
 * yearly answers read them. A term is what an indicator's formula reads of a series: the series and its dimension values
 * (homicide incidence is `sesnsp.incidence` with `crime_subtype = 'Homicidio doloso'`, one municipal row in fifty). A
 * yearly answer at a municipality read the observations of the row groups its place and years fall in, ten row groups
 * of 120,000 rows for one municipality's ten years in a 50 M-cell store; here its sums are a few rows of a table of
 * 100,000. As DHIS2's analytics tables (one per data element), kept by every write in its own transaction, for the series
 * × years it touched (aggregates.ts), so a release commits with its sums or not at all. Rows are grouped exactly as a
 * yearly read groups the observations (place, year label, frequency, release, flags text), so an answer read from here
 * has the same rows, flags and release ids (docs/architecture.md, "Yearly sums per term").
 */

/**
 * A term's rows: its series and dimension values, and the indicator's defaults for the dimensions it does not name
 * (no geography). With `seriesAfterScan`, the series is compared in a form DuckDB does not push into the table scan
 * (`o.series || ''`), so it is tested only on the rows the places and years let through: pushed, it was tested on every
 * row of every row group those reach (series ids are longer than the 8 bytes DuckDB keeps of a text's statistics, so
 * even a one-series row group is a dictionary it compares row by row). For explicit places only, whose codes already
 * skip all but a few row groups; measured on a 50 M store: one municipality's ten years 12–13 → 6–7 ms, 25
 * municipalities' (a gathered read) 41–51 → 33–35 ms.
 */
export function termFilter(term: SeriesTerm, defaults: Indicator['defaults'], by: Dimension | null, seriesAfterScan = false): string {
  const parts = [seriesAfterScan ? `o.series || '' = ${lit(term.series)}` : `o.series = ${lit(term.series)}`];
  for (const [dim, values] of Object.entries(term.where)) parts.push(`o.${dim} IN ${inList(values)}`);
  for (const [dim, value] of Object.entries(defaults)) {
    if (dim !== by && !(dim in term.where)) parts.push(`o.${dim} = ${lit(value)}`);
  }
  return `(${parts.join(' AND ')})`;
}

/** Ids already computed, by term (the catalog's objects) and defaults: every yearly answer asks for its terms' ids. */
const ids = new WeakMap<SeriesTerm, Map<string, string>>();

/** A term's id in the table: a digest of its rows' filter (the same rows, the same id, whichever indicator reads it). */
export function termId(term: SeriesTerm, defaults: Indicator['defaults']): string {
  let byDefaults = ids.get(term);
  if (byDefaults === undefined) ids.set(term, (byDefaults = new Map()));
  const key = JSON.stringify(defaults);
  let id = byDefaults.get(key);
  if (id === undefined) byDefaults.set(key, (id = createHash('sha256').update(termFilter(term, defaults, null)).digest('hex').slice(0, 16)));
  return id;
}

interface CatalogTerm {
  readonly id: string;
  readonly series: string;
  readonly filter: string;
}

/** Every term the catalog's indicators (and their rates) read, once each. */
function catalogTerms(): CatalogTerm[] {
  const terms = new Map<string, CatalogTerm>();
  for (const indicator of loadCatalog().indicators) {
    const variants = indicator.rate ? [indicator, rateIndicator(indicator)] : [indicator];
    for (const v of variants) {
      for (const term of [...v.numerator, ...(v.denominator ?? [])]) {
        const id = termId(term, v.defaults);
        terms.set(id, { id, series: term.series, filter: termFilter(term, v.defaults, null) });
      }
    }
  }
  return [...terms.values()];
}

/** The tables' definitions (DuckDB). */
export function termSumsDdl(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${TERM_SUMS_TABLE} (
       term VARCHAR NOT NULL, series VARCHAR NOT NULL, geo VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL,
       period VARCHAR NOT NULL, release_id INTEGER NOT NULL, flags VARCHAR NOT NULL, value DOUBLE NOT NULL, mask INTEGER NOT NULL, n INTEGER NOT NULL)`,
    // The terms whose sums are kept, for every year of their series: a query reads from the sums only terms listed here.
    `CREATE TABLE IF NOT EXISTS ${TERM_SUMS_TERMS_TABLE} (id VARCHAR PRIMARY KEY, series VARCHAR NOT NULL, filter VARCHAR NOT NULL)`,
  ];
}

/**
 * The sums of one term's current observations in `where` (on `o`), grouped as a yearly read groups them: by place, year
 * label (a fiscal-year series keeps its own), frequency, release and flags as stored; a rolling twelve-month value counts
 * at its December only, and a month is one bit of `mask` (the months a place published, for partial years).
 */
function termSelect(term: CatalogTerm, where: string): string {
  return `SELECT ${lit(term.id)} AS term, o.series, o.geo, o.freq, o.year, CASE WHEN o.freq = 'fy' THEN o.period ELSE o.year::VARCHAR END AS period,
      o.release_id, array_to_string(o.flags, ',') AS flags, sum(o.value) AS value,
      bit_or(CASE WHEN o.freq = 'month' THEN 1 << o.month::INT ELSE 0 END)::INTEGER AS mask, count(*)::INTEGER AS n
    FROM observation o
    WHERE o.superseded_by IS NULL AND (o.freq <> 'r12' OR o.month = 12) AND ${where} AND ${term.filter}
    GROUP BY ALL`;
}

/**
 * Rebuilds the term sums of what a write touched (or all of them), from the current observations, in the write's
 * transaction (DuckDB only: the server store's queries read the observations). A series whose kept terms are not the
 * catalog's (the catalog changed since) is rebuilt for every year, and its terms listed anew.
 */
export async function refreshTermSums(tx: WriteTx, touched: readonly Touched[] | 'all'): Promise<void> {
  if (tx.dialect !== 'duckdb') return;
  const terms = catalogTerms();
  let bySeries: Map<string, ReadonlySet<number> | null>;
  if (touched === 'all') {
    await tx.run(`DELETE FROM ${TERM_SUMS_TABLE}`);
    await tx.run(`DELETE FROM ${TERM_SUMS_TERMS_TABLE}`);
    bySeries = new Map(terms.map((t) => [t.series, null]));
  } else {
    bySeries = touchedBySeries(touched);
    // Terms kept that the catalog no longer reads, or the catalog reads and are not kept: their series anew, every year.
    const kept = await tx.all<{ id: string; series: string }>(`SELECT id, series FROM ${TERM_SUMS_TERMS_TABLE}`);
    const wanted = new Set(terms.map((t) => t.id));
    const keptIds = new Set(kept.map((k) => k.id));
    for (const k of kept) if (!wanted.has(k.id)) bySeries.set(k.series, null);
    for (const t of terms) if (!keptIds.has(t.id)) bySeries.set(t.series, null);
    if (bySeries.size === 0) return;
    await tx.run(`DELETE FROM ${TERM_SUMS_TABLE} o WHERE ${[...bySeries].map(([s, y]) => seriesYearsCondition(s, y, 'o')).join(' OR ')}`);
    const whole = [...bySeries].filter(([, years]) => years === null).map(([s]) => s);
    if (whole.length > 0) await tx.run(`DELETE FROM ${TERM_SUMS_TERMS_TABLE} WHERE series IN ${inList(whole)}`);
  }
  const selects = terms.filter((t) => bySeries.has(t.series)).map((t) => termSelect(t, seriesYearsCondition(t.series, bySeries.get(t.series) ?? null, 'o')));
  // Appended through the transaction (RETURNING: one appending thread), as the aggregates are: a parallel INSERT's row
  // groups are seen by readers during the COMMIT (docs/architecture.md, "Readers and writers").
  if (selects.length > 0) await tx.run(`INSERT INTO ${TERM_SUMS_TABLE} ${selects.join(' UNION ALL ')} RETURNING NULL`);
  const listed = terms.filter((t) => bySeries.get(t.series) === null);
  await insertRows(tx, `INSERT OR REPLACE INTO ${TERM_SUMS_TERMS_TABLE}`, '(?, ?, ?)', listed.map((t) => [t.id, t.series, t.filter]));
}

/** The ids of the terms whose sums are kept (all years of their series). */
export async function keptTermIds(tx: ReadTx): Promise<ReadonlySet<string>> {
  const rows = await tx.all<{ id: string }>(`SELECT id FROM ${TERM_SUMS_TERMS_TABLE}`);
  return new Set(rows.map((r) => r.id));
}

/**
 * Terms × series × years whose kept sums differ from the current observations' (count or sum), as a check: after a
 * WAL replay, and in tests.
 */
export async function termSumDifferences(tx: ReadTx): Promise<{ term: string; series: string; year: number }[]> {
  const terms = catalogTerms();
  const keptIds = await keptTermIds(tx);
  const checked = terms.filter((t) => keptIds.has(t.id));
  if (checked.length === 0) return [];
  const observed = checked.map((t) => `SELECT term, series, year, sum(n) AS n, sum(value) AS v FROM (${termSelect(t, 'true')}) GROUP BY 1, 2, 3`).join(' UNION ALL ');
  return tx.all<{ term: string; series: string; year: number }>(`
    WITH b AS (${observed}),
         t AS (SELECT term, series, year, sum(n) AS n, sum(value) AS v FROM ${TERM_SUMS_TABLE} WHERE term IN ${inList(checked.map((c) => c.id))} GROUP BY 1, 2, 3)
    SELECT coalesce(b.term, t.term) AS term, coalesce(b.series, t.series) AS series, coalesce(b.year, t.year) AS year
    FROM b FULL OUTER JOIN t ON t.term = b.term AND t.series = b.series AND t.year = b.year
    WHERE b.n IS NULL OR t.n IS NULL OR b.n <> t.n OR abs(b.v - t.v) > 1e-6 * greatest(1, abs(b.v))
    ORDER BY 1, 2, 3`);
}
