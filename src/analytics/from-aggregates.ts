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
 * Sums at the places asked for, in one GROUP BY over two parts: the places' own values (the current observations stored
 * at them) and the sums of what is stored under them (`observation_aggregate`: sums already, so release ids and flag
 * texts are collected as they are). Months per place (SESNSP's partial years): first from the places' own values; when
 * some place asked for also holds sums from places under it (a nation of states), read again with the months of every
 * stored place under it, from the observations — the fewest of any (exact, as the observations say).
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
  // One shape for both parts; flags as text (the observations' lists joined unsorted: the texts are split again).
  const part = (from: string, flags: string, below: boolean, current: string) => `
      SELECT o.series, o.geo, ${q.period} AS period, ${q.dimension} AS dimension, ${q.year} AS year, o.freq, o.month,
             o.value, o.release_id, ${flags} AS flags, ${below} AS below
      FROM ${from} WHERE ${current}(${q.direct}) AND ${q.where}`;
  const u = `u AS (${part('observation o', `array_to_string(o.flags, ',')`, false, 'o.superseded_by IS NULL AND ')}
      UNION ALL ${part(`${AGGREGATE_TABLE} o`, 'o.flags', true, '')})`;
  const m = !perPlace ? '' : months === 'below'
    ? `, m AS (
      SELECT m.series, a.ancestor AS geo, m.year, min(m.months) AS months
      FROM (${q.monthsPerPlace}) m JOIN geo_ancestor a ON a.geo = m.geo
      GROUP BY 1, 2, 3)`
    : `, m AS (
      SELECT u.series, u.geo, u.year, count(DISTINCT u.month) AS months FROM u WHERE NOT u.below AND u.freq = 'month'
      GROUP BY 1, 2, 3)`;
  const collect = tx.dialect === 'duckdb'
    ? `list_distinct(list(u.release_id)) AS releases, list_distinct(list(u.flags)) AS flag_sets`
    : `array_agg(DISTINCT u.release_id) AS releases, array_agg(DISTINCT u.flags) AS flag_sets`;
  return tx.all<Row>(`
    WITH ${u}${m}, s AS (
      SELECT u.geo, u.period, u.dimension, min(u.year)::INT AS year, sum(u.value) AS value, ${collect},
             min(u.freq) AS native_freq, ${perPlace ? 'min(m.months)::INT' : 'NULL::INT'} AS geo_months, bool_or(u.below) AS below
      FROM u ${perPlace ? 'LEFT JOIN m ON m.series = u.series AND m.geo = u.geo AND m.year = u.year' : ''}
      GROUP BY 1, 2, 3)
    SELECT s.*, g.name_es, g.name_en, g.level FROM s JOIN geo g ON g.code = s.geo`);
}
