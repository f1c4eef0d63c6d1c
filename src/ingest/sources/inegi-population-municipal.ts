import type { InputProblem } from '../../domain/index.js';
import { POPULATION_RULE, type CsvAdapter, NO_SCHEMA4_DIMENSIONS } from '../adapter.js';

/** INEGI's 2020 census counts: nation, states and municipalities in one file; the upper levels must reconcile. */
export const inegiPopulationMunicipal: CsvAdapter = {
  id: 'inegi-population-municipal',
  version: '1.0.0',
  title: 'INEGI 2020 census population by municipality and sex',
  encodings: ['utf-8', 'latin-1'],
  columns: ['cvegeo', 'cve_ent', 'cve_mun', 'nombre', 'pob_total', 'hombres', 'mujeres'],
  checks: [
    { column: 'cvegeo', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{2}|[0-9]{5}')`, expected: 'a 2-digit state or 5-digit municipality code' },
    { column: 'nombre', invalidWhen: `trim(v) = ''`, expected: 'a non-empty name' },
    ...['pob_total', 'hombres', 'mujeres'].map((column) => ({ column, ...POPULATION_RULE })),
  ],
  observations: `
    SELECT line, 'inegi.census.population' AS series, trim(cvegeo) AS geo, 'cvegeo' AS geo_column,
      '2020' AS period, 'year' AS freq, 2020::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, sex, '' AS age, '' AS estimate, ${NO_SCHEMA4_DIMENSIONS},
      trim(v)::DOUBLE AS value, []::VARCHAR[] AS flags
    FROM (UNPIVOT (SELECT line, cvegeo, hombres AS male, mujeres AS female FROM raw) ON male, female INTO NAME sex VALUE v)
    WHERE length(trim(cvegeo)) = 5`,
  async reconcile(tx, file) {
    const problems: InputProblem[] = [];
    const rowTotals = await tx.all<{ line: number; total: number; parts: number }>(
      `SELECT line, pob_total::BIGINT AS total, hombres::BIGINT + mujeres::BIGINT AS parts FROM raw
       WHERE pob_total::BIGINT <> hombres::BIGINT + mujeres::BIGINT ORDER BY line LIMIT 10`,
    );
    for (const r of rowTotals) problems.push({ file, line: r.line, column: 'pob_total', value: String(r.total), expected: `hombres + mujeres (${r.parts})` });
    const levels = await tx.all<{ line: number; total: number; parts: number }>(`
      WITH t AS (SELECT line, trim(cvegeo) AS code, pob_total::BIGINT AS total FROM raw),
           sums AS (SELECT CASE WHEN length(code) = 5 THEN left(code, 2) ELSE '00' END AS parent, sum(total) AS parts
                    FROM t WHERE code <> '00' GROUP BY parent)
      SELECT t.line, t.total, sums.parts FROM t JOIN sums ON sums.parent = t.code WHERE t.total <> sums.parts
      ORDER BY t.line LIMIT 10`);
    for (const r of levels) problems.push({ file, line: r.line, column: 'pob_total', value: String(r.total), expected: `the sum of the units below it (${r.parts})` });
    const [n] = await tx.all<{ rows: number; upper: number }>(`SELECT count(*) AS rows, count(*) FILTER (WHERE length(trim(cvegeo)) = 2) AS upper FROM raw`);
    return {
      problems,
      checks: [
        { name: 'pob_total = hombres + mujeres', compared: n?.rows ?? 0, mismatches: rowTotals.length },
        { name: 'nation and states = sum of the units below', compared: n?.upper ?? 0, mismatches: levels.length },
      ],
    };
  },
};
