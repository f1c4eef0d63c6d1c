import type { InputProblem } from '../../domain/index.js';
import { oneOf, POPULATION_RULE, stateNameProblems, totalMismatches, yearCheck, type CsvAdapter, NO_SCHEMA4_DIMENSIONS } from '../adapter.js';

/**
 * The first year CONAPO's 2023 edition projects: it reconciles 1950–2019 with the censuses ("Conciliación Demográfica
 * 1950–2019") and projects 2020–2070. Values from then on are flagged `projected`.
 */
export const CONAPO_FIRST_PROJECTED_YEAR = 2020;

/** CONAPO's projections by state and sex (start and mid-year), with national and "Total" rows that must reconcile. */
export const conapoPopulationState: CsvAdapter = {
  id: 'conapo-population-state',
  version: '1.1.0',
  title: 'CONAPO population by state and sex, yearly',
  encodings: ['utf-8', 'latin-1'],
  columns: ['n_year', 'nombre_estado', 'cve_ent', 'genero', 'pob_start_year', 'pob_mid_year'],
  checks: [
    yearCheck('n_year', 2100),
    { column: 'cve_ent', invalidWhen: `NOT regexp_full_match(trim(v), '00|0[1-9]|[12][0-9]|3[0-2]')`, expected: 'a two-digit state code 01–32, or 00 for the nation' },
    oneOf('genero', ['Hombres', 'Mujeres', 'Total']),
    ...['pob_start_year', 'pob_mid_year'].map((column) => ({ column, ...POPULATION_RULE })),
  ],
  // National (00) and Total rows are the publisher's totals: checked in reconcile, not stored twice.
  observations: `
    SELECT line, 'conapo.population.' || measure AS series, trim(cve_ent) AS geo, 'cve_ent' AS geo_column,
      trim(n_year) AS period, 'year' AS freq, trim(n_year)::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality,
      CASE trim(genero) WHEN 'Hombres' THEN 'male' ELSE 'female' END AS sex, '' AS age, '' AS estimate, ${NO_SCHEMA4_DIMENSIONS},
      trim(v)::DOUBLE AS value,
      CASE WHEN trim(n_year)::INT >= ${CONAPO_FIRST_PROJECTED_YEAR} THEN ['projected'] ELSE [] END::VARCHAR[] AS flags
    FROM (UNPIVOT (SELECT line, n_year, cve_ent, genero, pob_start_year AS start_year, pob_mid_year AS mid_year FROM raw)
          ON start_year, mid_year INTO NAME measure VALUE v)
    WHERE trim(cve_ent) <> '00' AND trim(genero) <> 'Total'`,
  async reconcile(tx, file) {
    const problems: InputProblem[] = [];
    const columns = ['pob_start_year', 'pob_mid_year'];
    const sexTotals = await totalMismatches(tx, { totals: `genero = 'Total'`, parts: `genero <> 'Total'`, by: ['n_year', 'cve_ent'], columns });
    for (const r of sexTotals) {
      problems.push({ file, line: r.line, column: r.column, value: String(r.total), expected: `the Total row to equal Hombres + Mujeres (${r.parts})` });
    }
    const national = await totalMismatches(tx, { totals: `cve_ent = '00'`, parts: `cve_ent <> '00'`, by: ['n_year', 'genero'], columns });
    for (const r of national) {
      problems.push({ file, line: r.line, column: r.column, value: String(r.total), expected: `the national row (00) to equal the sum of the 32 states (${r.parts})` });
    }
    const names = await stateNameProblems(tx, file, 'cve_ent', 'nombre_estado');
    problems.unshift(...names.problems);
    const [counts] = await tx.all<{ totals: number; nationals: number }>(
      `SELECT count(*) FILTER (WHERE genero = 'Total') AS totals, count(*) FILTER (WHERE cve_ent = '00') AS nationals FROM raw`,
    );
    return {
      problems,
      checks: [
        { name: 'Total = Hombres + Mujeres', compared: (counts?.totals ?? 0) * 2, mismatches: sexTotals.length },
        { name: 'national (00) = sum of states', compared: (counts?.nationals ?? 0) * 2, mismatches: national.length },
        names.check,
      ],
    };
  },
};
