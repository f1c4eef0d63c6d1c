import { countChecks, oneOf, yearCheck, type CsvAdapter, NO_SCHEMA4_DIMENSIONS } from '../adapter.js';

/** RNPDNO public version, persons by municipality and month of disappearance; one file per status. */
export const rnpdnoMunicipal: CsvAdapter = {
  id: 'rnpdno-municipal',
  version: '1.0.0',
  title: 'RNPDNO persons by municipality, month of disappearance and status',
  encodings: ['utf-8', 'latin-1'],
  columns: ['cvegeo', 'cve_estado', 'state', 'cve_mun', 'municipality', 'male', 'female', 'undefined', 'total', 'year', 'month', 'status_id'],
  checks: [
    { column: 'cvegeo', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{5}')`, expected: 'a 5-digit INEGI municipality code' },
    { column: 'cve_estado', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{1,2}')`, expected: 'a state code of one or two digits' },
    { column: 'cve_mun', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{1,3}')`, expected: 'a municipality code of up to three digits' },
    { column: 'month', invalidWhen: `NOT regexp_full_match(trim(v), '0?[1-9]|1[0-2]')`, expected: 'a month number from 1 to 12' },
    yearCheck('year'),
    // 0 all reported, 2 located alive, 3 located dead, 7 disappeared and not located (the registry's status ids).
    oneOf('status_id', ['0', '2', '3', '7']),
    ...countChecks(['male', 'female', 'undefined', 'total']),
  ],
  observations: `
    SELECT line,
      'rnpdno.' || CASE trim(status_id) WHEN '0' THEN 'all_reported' WHEN '2' THEN 'located_alive'
                                        WHEN '3' THEN 'located_dead' ELSE 'disappeared_not_located' END AS series,
      lpad(trim(cve_estado), 2, '0') || lpad(trim(cve_mun), 3, '0') AS geo, 'cve_mun' AS geo_column,
      trim(year) || '-' || lpad(trim(month), 2, '0') AS period, 'month' AS freq, trim(year)::SMALLINT AS year, trim(month)::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality,
      CASE sex WHEN 'undefined' THEN 'unidentified' ELSE sex END AS sex, '' AS age, '' AS estimate, ${NO_SCHEMA4_DIMENSIONS},
      trim(v)::DOUBLE AS value, []::VARCHAR[] AS flags
    FROM (UNPIVOT (SELECT line, cve_estado, cve_mun, year, month, status_id, male, female, "undefined" FROM raw)
          ON male, female, "undefined" INTO NAME sex VALUE v)`,
  async reconcile(tx, file) {
    const bad = await tx.all<{ line: number; total: string; parts: number }>(
      `SELECT line, total, male::BIGINT + female::BIGINT + "undefined"::BIGINT AS parts FROM raw
       WHERE total::BIGINT <> male::BIGINT + female::BIGINT + "undefined"::BIGINT ORDER BY line LIMIT 10`,
    );
    const codes = await tx.all<{ line: number; cvegeo: string }>(
      // For state 99 ("unknown") the registry writes 99998 whatever the municipality field says; geo comes from the two fields.
      `SELECT line, cvegeo FROM raw WHERE trim(cve_estado) <> '99'
         AND trim(cvegeo) <> lpad(trim(cve_estado), 2, '0') || lpad(trim(cve_mun), 3, '0') ORDER BY line LIMIT 10`,
    );
    const [n] = await tx.all<{ rows: number }>(`SELECT count(*) AS rows FROM raw`);
    return {
      checks: [
        { name: 'total = male + female + undefined', compared: n?.rows ?? 0, mismatches: bad.length },
        { name: 'cvegeo = cve_estado + cve_mun (except state 99)', compared: n?.rows ?? 0, mismatches: codes.length },
      ],
      problems: [
        ...bad.map((b) => ({ file, line: b.line, column: 'total', value: b.total, expected: `male + female + undefined (${b.parts})` })),
        ...codes.map((c) => ({ file, line: c.line, column: 'cvegeo', value: c.cvegeo, expected: 'cve_estado followed by cve_mun' })),
      ],
    };
  },
};
