import { yearCheck, type CsvAdapter, NO_SCHEMA4_DIMENSIONS } from '../adapter.js';

/**
 * INEGI ENVIPE, people aged 18+ who perceive their state as unsafe per 100,000 people aged 18+ (INEGI indicator
 * 6204327085), national and state, one value per survey year. A rate cannot be summed: the national value is its own
 * series (`.national`, used at the country level) and states theirs (`.state`).
 */
export const inegiEnvipePerception: CsvAdapter = {
  id: 'inegi-envipe-perception',
  version: '1.0.0',
  title: 'INEGI ENVIPE perception of insecurity in the state, per 100,000 adults',
  encodings: ['utf-8', 'latin-1'],
  columns: ['año', 'valor', 'entidad', 'clave'],
  checks: [
    yearCheck('año'),
    {
      column: 'valor', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{1,6}(\\.[0-9]+)?') OR coalesce(try_cast(trim(v) AS DOUBLE), 0) > 100000`,
      expected: 'a rate per 100,000 adults between 0 and 100000, with a dot for decimals and no thousands separators',
    },
    { column: 'entidad', invalidWhen: `trim(v) = ''`, expected: 'a non-empty state name' },
    { column: 'clave', invalidWhen: `NOT regexp_full_match(trim(v), '00|0[1-9]|[12][0-9]|3[0-2]')`, expected: 'a two-digit state code 01–32, or 00 for the nation' },
  ],
  observations: `
    SELECT line, 'inegi.envipe.insecurity_perception.' || CASE WHEN trim(clave) = '00' THEN 'national' ELSE 'state' END AS series,
      trim(clave) AS geo, 'clave' AS geo_column, trim("año") AS period, 'year' AS freq, trim("año")::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate, ${NO_SCHEMA4_DIMENSIONS},
      trim(valor)::DOUBLE AS value, []::VARCHAR[] AS flags
    FROM raw`,
};
