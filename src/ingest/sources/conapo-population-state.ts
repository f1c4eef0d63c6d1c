import type { InputProblem } from '../../domain/index.js';
import { countChecks, oneOf, yearCheck, type CsvAdapter } from '../adapter.js';

/** CONAPO's projections by state and sex (start and mid-year), with national and "Total" rows that must reconcile. */
export const conapoPopulationState: CsvAdapter = {
  id: 'conapo-population-state',
  version: '1.0.0',
  title: 'CONAPO population by state and sex, yearly',
  encodings: ['utf-8', 'latin-1'],
  columns: ['n_year', 'nombre_estado', 'cve_ent', 'genero', 'pob_start_year', 'pob_mid_year'],
  checks: [
    yearCheck('n_year'),
    { column: 'cve_ent', invalidWhen: `NOT regexp_full_match(trim(v), '00|0[1-9]|[12][0-9]|3[0-2]')`, expected: 'a two-digit state code 01–32, or 00 for the nation' },
    oneOf('genero', ['Hombres', 'Mujeres', 'Total']),
    ...countChecks(['pob_start_year', 'pob_mid_year']),
  ],
  // National (00) and Total rows are the publisher's totals: checked in reconcile, not stored twice.
  observations: `
    SELECT line, 'conapo.population.' || measure AS series, trim(cve_ent) AS geo, 'cve_ent' AS geo_column,
      trim(n_year) AS period, 'year' AS freq, trim(n_year)::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality,
      CASE trim(genero) WHEN 'Hombres' THEN 'male' ELSE 'female' END AS sex, '' AS age, '' AS estimate,
      trim(v)::DOUBLE AS value, []::VARCHAR[] AS flags
    FROM (UNPIVOT (SELECT line, n_year, cve_ent, genero, pob_start_year AS start_year, pob_mid_year AS mid_year FROM raw)
          ON start_year, mid_year INTO NAME measure VALUE v)
    WHERE trim(cve_ent) <> '00' AND trim(genero) <> 'Total'`,
  async reconcile(tx, file) {
    const problems: InputProblem[] = [];
    const sexTotals = await tx.all<{ line: number; column: string; total: number; parts: number }>(`
      WITH t AS (SELECT line, n_year, cve_ent, pob_start_year::BIGINT AS s, pob_mid_year::BIGINT AS m FROM raw WHERE genero = 'Total'),
           p AS (SELECT n_year, cve_ent, sum(pob_start_year::BIGINT) AS s, sum(pob_mid_year::BIGINT) AS m FROM raw WHERE genero <> 'Total' GROUP BY ALL)
      SELECT t.line, 'pob_start_year' AS "column", t.s AS total, p.s AS parts FROM t JOIN p USING (n_year, cve_ent) WHERE t.s <> p.s
      UNION ALL
      SELECT t.line, 'pob_mid_year', t.m, p.m FROM t JOIN p USING (n_year, cve_ent) WHERE t.m <> p.m
      ORDER BY 1 LIMIT 10`);
    for (const r of sexTotals) {
      problems.push({ file, line: r.line, column: r.column, value: String(r.total), expected: `the Total row to equal Hombres + Mujeres (${r.parts})` });
    }
    const national = await tx.all<{ line: number; column: string; total: number; parts: number }>(`
      WITH n AS (SELECT line, n_year, genero, pob_start_year::BIGINT AS s, pob_mid_year::BIGINT AS m FROM raw WHERE cve_ent = '00'),
           p AS (SELECT n_year, genero, sum(pob_start_year::BIGINT) AS s, sum(pob_mid_year::BIGINT) AS m FROM raw WHERE cve_ent <> '00' GROUP BY ALL)
      SELECT n.line, 'pob_start_year' AS "column", n.s AS total, p.s AS parts FROM n JOIN p USING (n_year, genero) WHERE n.s <> p.s
      UNION ALL
      SELECT n.line, 'pob_mid_year', n.m, p.m FROM n JOIN p USING (n_year, genero) WHERE n.m <> p.m
      ORDER BY 1 LIMIT 10`);
    for (const r of national) {
      problems.push({ file, line: r.line, column: r.column, value: String(r.total), expected: `the national row (00) to equal the sum of the 32 states (${r.parts})` });
    }
    const [counts] = await tx.all<{ totals: number; nationals: number }>(
      `SELECT count(*) FILTER (WHERE genero = 'Total') AS totals, count(*) FILTER (WHERE cve_ent = '00') AS nationals FROM raw`,
    );
    return {
      problems,
      checks: [
        { name: 'Total = Hombres + Mujeres', compared: (counts?.totals ?? 0) * 2, mismatches: sexTotals.length },
        { name: 'national (00) = sum of states', compared: (counts?.nationals ?? 0) * 2, mismatches: national.length },
      ],
    };
  },
};
