// `bench:full`'s query cases on a store holding the (synthetic) SESNSP municipal incidence: as bench/query-cases.ts,
// each Observa query beside the hand-written SQL that returns the *same answer* (rows, names, periods, values, flags,
// release ids, partial periods), asserted equal before timing. Partial years follow the rule Observa states: a year is
// partial when the series, or any stored place under the place asked for, published fewer than 12 of its months.
import { CURRENT, comparable, queryParams, seriesMonths, topByValue, type QueryCase } from './query-cases.js';

const SERIES = 'sesnsp.incidence';
const HOMICIDE = `o.series = '${SERIES}' AND o.crime_subtype = 'Homicidio doloso'`;

/** Months each stored municipality published per year, with every place above it (state, nation). */
const monthsUnder = (year: string) => `
  SELECT a.ancestor AS geo, x.year, min(x.months) AS months
  FROM (SELECT o.geo, o.year, count(DISTINCT o.month) AS months FROM observation o
        WHERE ${CURRENT} AND ${HOMICIDE} AND o.freq = 'month' AND ${year} GROUP BY o.geo, o.year) x
  JOIN geo_ancestor a ON a.geo = x.geo GROUP BY a.ancestor, x.year`;

/** The cases for `year` (2024 on the 10 M and 50 M files; a smaller file may hold only later years). */
export const fullQueryCases = (year: number): readonly QueryCase[] => [
  {
    name: 'query: national yearly homicide investigation files, every year (geo 00)',
    params: queryParams({ indicator: 'mx.homicide.incidence', geo: ['00'] }),
    reduce: (r) => r.rows.map(comparable),
    sql: () => `
      WITH v AS (SELECT o.year, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND ${HOMICIDE} AND o.freq = 'month' AND o.geo IN (SELECT geo FROM geo_ancestor WHERE ancestor = '00')),
           t AS (SELECT year, sum(value) AS value, array_agg(DISTINCT release_id) AS releases FROM v GROUP BY year),
           f AS (SELECT year, array_agg(DISTINCT flag) AS flags FROM (SELECT year, unnest(flags) AS flag FROM v) x GROUP BY year),
           pm AS (SELECT year, months FROM (${monthsUnder('true')}) m WHERE geo = '00'),
           sm AS (${seriesMonths(SERIES)})
      SELECT '00' AS geo, g.name_en AS name, t.year::VARCHAR AS period, t.value, t.releases, f.flags,
             least(sm.months, pm.months) < 12 AS partial, false AS provisional
      FROM t JOIN geo g ON g.code = '00' LEFT JOIN f ON f.year = t.year JOIN pm ON pm.year = t.year JOIN sm ON sm.year = t.year
      ORDER BY t.year`,
  },
  {
    name: 'query: one state (Jalisco, 14) monthly series, every month',
    params: queryParams({ indicator: 'mx.homicide.incidence', geo: ['14'], freq: 'month' }),
    reduce: (r) => r.rows.map(comparable),
    sql: () => `
      WITH v AS (SELECT o.period, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND ${HOMICIDE} AND o.freq = 'month' AND o.geo IN (SELECT geo FROM geo_ancestor WHERE ancestor = '14')),
           t AS (SELECT period, sum(value) AS value, array_agg(DISTINCT release_id) AS releases FROM v GROUP BY period),
           f AS (SELECT period, array_agg(DISTINCT flag) AS flags FROM (SELECT period, unnest(flags) AS flag FROM v) x GROUP BY period)
      SELECT '14' AS geo, g.name_en AS name, t.period, t.value, t.releases, f.flags, false AS partial, false AS provisional
      FROM t JOIN geo g ON g.code = '14' LEFT JOIN f ON f.period = t.period
      ORDER BY t.period`,
  },
  {
    name: `query: 32-state map for ${year} (level:state)`,
    params: queryParams({ indicator: 'mx.homicide.incidence', geo: ['level:state'], from: String(year), to: String(year) }),
    reduce: (r) => r.rows.map(comparable),
    sql: () => `
      WITH states AS (SELECT code, name_en FROM geo WHERE level = 'state' AND country = 'MX' AND NOT unspecified),
           v AS (SELECT left(o.geo, 2) AS geo, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND ${HOMICIDE} AND o.freq = 'month' AND o.year = ${year}),
           t AS (SELECT geo, sum(value) AS value, array_agg(DISTINCT release_id) AS releases FROM v GROUP BY geo),
           f AS (SELECT geo, array_agg(DISTINCT flag) AS flags FROM (SELECT geo, unnest(flags) AS flag FROM v) x GROUP BY geo),
           pm AS (${monthsUnder(`o.year = ${year}`)}),
           sm AS (${seriesMonths(SERIES)})
      SELECT t.geo, s.name_en AS name, '${year}' AS period, t.value, t.releases, f.flags,
             least(sm.months, pm.months) < 12 AS partial, false AS provisional
      FROM t JOIN states s ON s.code = t.geo LEFT JOIN f ON f.geo = t.geo JOIN pm ON pm.geo = t.geo AND pm.year = ${year} JOIN sm ON sm.year = ${year}
      ORDER BY t.geo`,
  },
  {
    name: `query: municipal top 20 for ${year} (level:municipality)`,
    params: queryParams({ indicator: 'mx.homicide.incidence', geo: ['level:municipality'], from: String(year), to: String(year) }),
    reduce: (r) => topByValue(r, 20),
    sql: () => `
      WITH munis AS (SELECT code, name_en FROM geo WHERE level = 'municipality' AND country = 'MX' AND NOT unspecified),
           v AS (SELECT o.geo, o.month, o.value, o.release_id, o.flags FROM observation o
                 WHERE ${CURRENT} AND ${HOMICIDE} AND o.freq = 'month' AND o.year = ${year}),
           t AS (SELECT geo, sum(value) AS value, array_agg(DISTINCT release_id) AS releases, count(DISTINCT month) AS months
                 FROM v WHERE geo IN (SELECT code FROM munis) GROUP BY geo ORDER BY value DESC, geo LIMIT 20),
           f AS (SELECT geo, array_agg(DISTINCT flag) AS flags FROM (SELECT geo, unnest(flags) AS flag FROM v WHERE geo IN (SELECT geo FROM t)) x GROUP BY geo),
           sm AS (${seriesMonths(SERIES)})
      SELECT t.geo, m.name_en AS name, '${year}' AS period, t.value, t.releases, f.flags, least(sm.months, t.months) < 12 AS partial, false AS provisional
      FROM t JOIN munis m ON m.code = t.geo LEFT JOIN f ON f.geo = t.geo JOIN sm ON sm.year = ${year}
      ORDER BY t.value DESC, t.geo`,
  },
];
