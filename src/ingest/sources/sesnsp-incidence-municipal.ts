import { MONTHS_ES } from '../../domain/index.js';
import { countChecks, stateNameProblems, yearCheck, MONTH_COUNTS, monthCells, type CsvAdapter, NO_SCHEMA4_DIMENSIONS } from '../adapter.js';

const IDENTITY = ['Año', 'Clave_Ent', 'Entidad', 'Cve. Municipio', 'Municipio', 'Bien jurídico afectado', 'Tipo de delito', 'Subtipo de delito', 'Modalidad'];

/**
 * SESNSP's municipal crime incidence as published (crimes recorded in investigation files, not victims): one row per
 * year × municipality × crime × modality, the twelve months as columns, months not yet reported left empty.
 */
export const sesnspIncidenceMunicipal: CsvAdapter = {
  id: 'sesnsp-incidence-municipal',
  version: '1.0.0',
  title: 'SESNSP crime incidence, municipal level (wide monthly layout)',
  encodings: ['utf-8', 'latin-1'],
  columns: [...IDENTITY, ...MONTHS_ES],
  checks: [
    yearCheck('Año'),
    { column: 'Clave_Ent', invalidWhen: `NOT regexp_full_match(trim(v), '0?[1-9]|[12][0-9]|3[0-2]')`, expected: 'a state code from 1 to 32' },
    { column: 'Cve. Municipio', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{4,5}')`, expected: 'a municipality code of 4 or 5 digits (INEGI, state code first)' },
    ...['Entidad', 'Municipio', 'Bien jurídico afectado', 'Tipo de delito', 'Subtipo de delito', 'Modalidad'].map((column) => ({
      column, invalidWhen: `trim(v) = ''`, expected: 'a non-empty value',
    })),
    ...countChecks(MONTHS_ES).map((c) => ({ ...c, invalidWhen: `trim(v) <> '' AND ${c.invalidWhen}`, expected: `${c.expected}, or empty if not yet reported` })),
  ],
  // The observation key less the month (the series is fixed): what `observations` builds its key from.
  rowKey: [`lpad(trim("Cve. Municipio"), 5, '0')`, 'trim("Año")', 'trim("Bien jurídico afectado")', 'trim("Tipo de delito")', 'trim("Subtipo de delito")', 'trim("Modalidad")'],
  // Text work happens once per published row, before the unpivot multiplies rows by twelve.
  observations: `
    WITH base AS (
      SELECT line, lpad(trim("Cve. Municipio"), 5, '0') AS geo, trim("Año") AS y,
        trim("Bien jurídico afectado") AS legal_good, trim("Tipo de delito") AS crime_type, trim("Subtipo de delito") AS crime_subtype,
        trim("Modalidad") AS modality,
        ${MONTH_COUNTS}
      FROM raw)
    SELECT line, 'sesnsp.incidence' AS series, geo, 'Cve. Municipio' AS geo_column,
      y || '-' || month_col AS period, 'month' AS freq, y::SMALLINT AS year, month_col::TINYINT AS month,
      legal_good, crime_type, crime_subtype, modality, '' AS sex, '' AS age, '' AS estimate, ${NO_SCHEMA4_DIMENSIONS}, cell AS value, []::VARCHAR[] AS flags
    FROM ${monthCells('base')}`,
  async reconcile(tx, file) {
    // The municipality code starts with its state's code: a mismatch means shifted columns or a miscoded row.
    const bad = await tx.all<{ line: number; code: string; state: string }>(
      `SELECT line, "Cve. Municipio" AS code, "Clave_Ent" AS state FROM raw
       WHERE left(lpad(trim("Cve. Municipio"), 5, '0'), 2) <> lpad(trim("Clave_Ent"), 2, '0') ORDER BY line LIMIT 10`,
    );
    const [n] = await tx.all<{ rows: number }>(`SELECT count(*) AS rows FROM raw`);
    const names = await stateNameProblems(tx, file, 'Clave_Ent', 'Entidad');
    return {
      checks: [{ name: 'municipality code begins with Clave_Ent', compared: n?.rows ?? 0, mismatches: bad.length }, names.check],
      problems: [...names.problems, ...bad.map((b) => ({ file, line: b.line, column: 'Cve. Municipio', value: b.code, expected: `a municipality of state ${b.state} (its code starting with ${b.state.padStart(2, '0')})` }))],
    };
  },
};
