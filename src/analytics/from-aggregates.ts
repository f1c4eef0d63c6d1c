import { AGGREGATE_TABLE, type ReadTx } from '../store/index.js';
import type { Part } from './query.js';

/** The pieces of an indicator query over current data (SQL on `o`, the aggregate rows). */
export interface AggregateQuery {
  /** The terms' series and dimension filters, each with the places asked for at its levels. */
  readonly direct: string;
  readonly period: string;
  readonly year: string;
  readonly dimension: string;
  /** Period range (and year-to-date months). */
  readonly where: string;
  /** SQL of the months each stored place published (series, geo, year, months), over the observations; null when the
   * indicator's source does not count months per place. */
  readonly monthsPerPlace: string | null;
}

type Row = Omit<Part, 'flags'> & { flag_sets: string[]; below: boolean | null } & Record<string, unknown>;

/**
 * Sums at the places asked for, read from `observation_aggregate` in one GROUP BY (its rows are sums already, so release
 * ids and flag texts are collected as they are). Months per place (SESNSP's partial years): first from the places' own
 * rows; when some place asked for also holds sums from places under it (a nation of states), read again with the months
 * of every stored place under it, from the observations — the fewest of any (exact, as the observations say).
 */
export async function readAggregates(tx: ReadTx, q: AggregateQuery): Promise<Part[]> {
  const first = await read(tx, q, 'own');
  const rows = q.monthsPerPlace !== null && first.some((r) => r.below === true) ? await read(tx, q, 'below') : first;
  return rows.map(({ flag_sets: sets, below: _below, ...r }) => ({
    ...r,
    releases: r.releases.map(Number).sort((a, b) => a - b),
    flags: [...new Set(sets.flatMap((f) => (f === '' ? [] : f.split(','))))].sort(),
  }));
}

function read(tx: ReadTx, q: AggregateQuery, months: 'own' | 'below'): Promise<Row[]> {
  const perPlace = q.monthsPerPlace !== null;
  const m = !perPlace ? '' : months === 'below'
    ? `m AS (
      SELECT m.series, a.ancestor AS geo, m.year, min(m.months) AS months
      FROM (${q.monthsPerPlace}) m JOIN geo_ancestor a ON a.geo = m.geo
      GROUP BY 1, 2, 3), `
    : `m AS (
      SELECT o.series, o.geo, ${q.year} AS year, count(DISTINCT o.month) AS months
      FROM ${AGGREGATE_TABLE} o WHERE o.own AND o.freq = 'month' AND (${q.direct}) AND ${q.where}
      GROUP BY 1, 2, 3), `;
  const collect = tx.dialect === 'duckdb'
    ? `list_distinct(list(o.release_id)) AS releases, list_distinct(list(o.flags)) AS flag_sets`
    : `array_agg(DISTINCT o.release_id) AS releases, array_agg(DISTINCT o.flags) AS flag_sets`;
  return tx.all<Row>(`
    WITH ${m}s AS (
      SELECT o.geo, ${q.period} AS period, ${q.dimension} AS dimension, min(${q.year})::INT AS year, sum(o.value) AS value, ${collect},
             min(o.freq) AS native_freq, ${perPlace ? 'min(m.months)::INT' : 'NULL::INT'} AS geo_months,
             bool_or(NOT o.own) AS below
      FROM ${AGGREGATE_TABLE} o ${perPlace ? `LEFT JOIN m ON m.series = o.series AND m.geo = o.geo AND m.year = ${q.year}` : ''}
      WHERE (${q.direct}) AND ${q.where}
      GROUP BY 1, 2, 3)
    SELECT s.*, g.name_es, g.name_en, g.level FROM s JOIN geo g ON g.code = s.geo`);
}
