// The bench's query cases: each is an Observa query and the hand-written SQL a person would write over the same store
// for the *same answer* — the same rows, place names, periods, values, flags (the observations' own, `partial-period`
// from the months each place published, `provisional` from the registry's status date) and release ids. Both answers
// are reduced to the same comparable rows and asserted equal before anything is timed.
import { findIndicator } from '../src/catalog/index.js';
import type { QueryParams, QueryResult } from '../src/domain/index.js';
import type { Dialect, Store } from '../src/store/index.js';

/** One comparable row: geo, name, period, value, flags (sorted), release ids (sorted). */
export type Comparable = readonly [string, string, string, number | null, readonly string[], readonly number[]];

export interface QueryCase {
  name: string;
  params: QueryParams;
  /** Observa's answer reduced to the comparable rows (part of the timed work: a top-20 list includes its sort). */
  reduce: (result: QueryResult) => Comparable[];
  /** Hand-written SQL returning geo, name, period, value, releases, flags, partial, provisional — in answer order. */
  sql: (dialect: Dialect) => string;
}

/** A row as the baseline SQL returns it. */
export interface BaselineRow extends Record<string, unknown> {
  geo: string;
  name: string;
  period: string;
  value: number | null;
  releases: readonly number[] | null;
  flags: readonly string[] | null;
  partial: boolean | null;
  provisional: boolean | null;
}

export const queryParams = (p: Partial<QueryParams> & Pick<QueryParams, 'indicator' | 'geo'>): QueryParams => ({
  from: null, to: null, freq: 'year', by: null, lang: 'en', asOf: null, ...p,
});

const sortedNumbers = (xs: readonly unknown[]) => xs.map(Number).sort((a, b) => a - b);
const sortedStrings = (xs: readonly string[]) => [...xs].sort();

export const comparable = (r: QueryResult['rows'][number]): Comparable =>
  [r.geo, r.geo_name, r.period, r.value, sortedStrings(r.flags), sortedNumbers(r.release_ids)];

/** The baseline's rows in the same shape: its partial/provisional columns become the flags they stand for. */
export function baselineComparable(rows: readonly BaselineRow[]): Comparable[] {
  return rows.map((r) => {
    const flags = new Set(r.flags ?? []);
    if (r.partial) flags.add('partial-period');
    if (r.provisional) flags.add('provisional');
    return [r.geo, r.name, r.period, r.value === null ? null : Number(r.value), sortedStrings([...flags]), sortedNumbers(r.releases ?? [])];
  });
}

export function topByValue(result: QueryResult, n: number): Comparable[] {
  return [...result.rows]
    .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || (a.geo < b.geo ? -1 : a.geo > b.geo ? 1 : 0))
    .slice(0, n)
    .map(comparable);
}

const HOMICIDE = `o.series = 'sesnsp.victims' AND o.crime_subtype IN ('Homicidio doloso', 'Feminicidio')`;
/** The median of samples (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? Number.NaN) + hi) / 2;
}

export const CURRENT = 'o.superseded_by IS NULL';
/** Rates are rounded to the indicator's decimals + 2 (here 4); PostgreSQL's round takes a numeric. */
const rounded = (dialect: Dialect, expr: string) => (dialect === 'postgres' ? `round((${expr})::numeric, 4)::float8` : `round(${expr}, 4)`);
/** Months each series published in a year (the series' own coverage: a year with fewer than 12 is partial). */
export const seriesMonths = (series: string) => `SELECT year, count(*) AS months FROM series_period WHERE series = '${series}' AND freq = 'month' GROUP BY year`;

/** The RNPDNO status at retrieval: the last `registeringMonths` months before the last published one are provisional. */
function registeringMonths(): number {
  const months = findIndicator('mx.disappeared.persons')?.statusAtRetrieval?.registeringMonths;
  if (months === undefined) throw new Error('mx.disappeared.persons has no status at retrieval');
  return months;
}

export async function runBaseline(store: Store, c: QueryCase): Promise<Comparable[]> {
  return baselineComparable(await store.all<BaselineRow>(c.sql(store.dialect)));
}

/** Fails loudly unless both sides return the same rows: places, names, periods, values, flags and release ids. */
export function assertSameAnswer(name: string, observa: readonly Comparable[], baseline: readonly Comparable[]): void {
  if (observa.length === 0) throw new Error(`${name}: Observa returned no rows (is the bundled data loaded?)`);
  const a = JSON.stringify(observa);
  const b = JSON.stringify(baseline);
  if (a !== b) throw new Error(`${name}: Observa and the hand-written SQL disagree\n observa:  ${a.slice(0, 600)}\n baseline: ${b.slice(0, 600)}`);
}

export const QUERY_CASES: readonly QueryCase[] = [
  {
    name: 'query: national yearly homicide victims 2015–2024 (geo 00)',
    params: queryParams({ indicator: 'mx.homicide.victims', geo: ['00'], from: '2015', to: '2024' }),
    reduce: (r) => r.rows.map(comparable),
    // A year is partial when the series, or any place under the nation, published fewer than 12 of its months.
    sql: () => `
      WITH v AS (SELECT o.geo, o.year, o.month, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND ${HOMICIDE} AND o.freq = 'month' AND o.year BETWEEN 2015 AND 2024
                   AND o.geo IN (SELECT geo FROM geo_ancestor WHERE ancestor = '00')),
           t AS (SELECT year, sum(value) AS value, array_agg(DISTINCT release_id) AS releases FROM v GROUP BY year),
           f AS (SELECT year, array_agg(DISTINCT flag) AS flags FROM (SELECT year, unnest(flags) AS flag FROM v) x GROUP BY year),
           pm AS (SELECT year, min(months) AS months FROM (SELECT geo, year, count(DISTINCT month) AS months FROM v GROUP BY geo, year) x GROUP BY year),
           sm AS (${seriesMonths('sesnsp.victims')})
      SELECT '00' AS geo, g.name_en AS name, t.year::VARCHAR AS period, t.value, t.releases, f.flags,
             least(sm.months, pm.months) < 12 AS partial, false AS provisional
      FROM t JOIN geo g ON g.code = '00' LEFT JOIN f ON f.year = t.year JOIN pm ON pm.year = t.year JOIN sm ON sm.year = t.year
      ORDER BY t.year`,
  },
  {
    name: 'query: homicide rate, 32-state map 2024 (level:state)',
    params: queryParams({ indicator: 'mx.homicide.rate', geo: ['level:state'], from: '2024', to: '2024' }),
    reduce: (r) => r.rows.map(comparable),
    sql: (dialect) => `
      WITH states AS (SELECT code, name_en FROM geo WHERE level = 'state' AND country = 'MX' AND NOT unspecified),
           v AS (SELECT o.geo, o.month, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND ${HOMICIDE} AND o.freq = 'month' AND o.year = 2024 AND o.geo IN (SELECT code FROM states)),
           p AS (SELECT o.geo, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND o.series = 'conapo.population.mid_year' AND o.year = 2024 AND o.geo IN (SELECT code FROM states)),
           num AS (SELECT geo, sum(value) AS n, count(DISTINCT month) AS months FROM v GROUP BY geo),
           den AS (SELECT geo, sum(value) AS d FROM p GROUP BY geo),
           rel AS (SELECT geo, array_agg(DISTINCT release_id) AS releases FROM (SELECT geo, release_id FROM v UNION ALL SELECT geo, release_id FROM p) x GROUP BY geo),
           f AS (SELECT geo, array_agg(DISTINCT flag) AS flags
                 FROM (SELECT geo, unnest(flags) AS flag FROM v UNION ALL SELECT geo, unnest(flags) AS flag FROM p) x GROUP BY geo),
           sm AS (${seriesMonths('sesnsp.victims')})
      SELECT num.geo, s.name_en AS name, '2024' AS period, CASE WHEN den.d > 0 THEN ${rounded(dialect, 'num.n / den.d * 100000')} END AS value,
             rel.releases, f.flags, least(sm.months, num.months) < 12 AS partial, false AS provisional
      FROM num JOIN states s ON s.code = num.geo LEFT JOIN den ON den.geo = num.geo LEFT JOIN rel ON rel.geo = num.geo
           LEFT JOIN f ON f.geo = num.geo JOIN sm ON sm.year = 2024
      ORDER BY num.geo`,
  },
  {
    name: 'query: disappeared persons, municipal top 20 in 2024 (level:municipality)',
    params: queryParams({ indicator: 'mx.disappeared.persons', geo: ['level:municipality'], from: '2024', to: '2024' }),
    reduce: (r) => topByValue(r, 20),
    // 2024 is provisional when it reaches into the months still being registered before the last published month.
    sql: () => `
      WITH munis AS (SELECT code, name_en FROM geo WHERE level = 'municipality' AND country = 'MX' AND NOT unspecified),
           v AS (SELECT o.geo, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND o.series = 'rnpdno.disappeared_not_located' AND o.year = 2024 AND o.geo IN (SELECT code FROM munis)),
           t AS (SELECT geo, sum(value) AS value, array_agg(DISTINCT release_id) AS releases FROM v GROUP BY geo ORDER BY value DESC, geo LIMIT 20),
           f AS (SELECT geo, array_agg(DISTINCT flag) AS flags FROM (SELECT geo, unnest(flags) AS flag FROM v WHERE geo IN (SELECT geo FROM t)) x GROUP BY geo),
           sm AS (${seriesMonths('rnpdno.disappeared_not_located')}),
           latest AS (SELECT max(year::INT * 100 + month) AS ym FROM series_period WHERE series = 'rnpdno.disappeared_not_located' AND freq IN ('month', 'r12'))
      SELECT t.geo, m.name_en AS name, '2024' AS period, t.value, t.releases, f.flags, sm.months < 12 AS partial,
             2024 >= floor((floor(latest.ym / 100) * 12 + latest.ym % 100 - 1 - ${registeringMonths() - 1}) / 12.0) AS provisional
      FROM t JOIN munis m ON m.code = t.geo LEFT JOIN f ON f.geo = t.geo JOIN sm ON sm.year = 2024 CROSS JOIN latest
      ORDER BY t.value DESC, t.geo`,
  },
  {
    name: 'query: CDMX (09) monthly homicide victims 2015-01..2025-06',
    params: queryParams({ indicator: 'mx.homicide.victims', geo: ['09'], freq: 'month', from: '2015-01', to: '2025-06' }),
    reduce: (r) => r.rows.map(comparable),
    sql: () => `
      WITH v AS (SELECT o.period, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND ${HOMICIDE} AND o.geo IN (SELECT geo FROM geo_ancestor WHERE ancestor = '09')
                   AND o.freq = 'month' AND o.year::INT * 100 + o.month BETWEEN 201501 AND 202506),
           t AS (SELECT period, sum(value) AS value, array_agg(DISTINCT release_id) AS releases FROM v GROUP BY period),
           f AS (SELECT period, array_agg(DISTINCT flag) AS flags FROM (SELECT period, unnest(flags) AS flag FROM v) x GROUP BY period)
      SELECT '09' AS geo, g.name_en AS name, t.period, t.value, t.releases, f.flags, false AS partial, false AS provisional
      FROM t JOIN geo g ON g.code = '09' LEFT JOIN f ON f.period = t.period
      ORDER BY t.period`,
  },
];
