import { MONTHS_ES } from '../../domain/index.js';
import { countChecks, oneOf, stateNameProblems, yearCheck, MONTH_COUNTS, monthCells, type CsvAdapter, NO_SCHEMA4_DIMENSIONS } from '../adapter.js';

const IDENTITY = ['Año', 'Clave_Ent', 'Entidad', 'Bien jurídico afectado', 'Tipo de delito', 'Subtipo de delito', 'Modalidad', 'Sexo', 'Rango de edad'];

/**
 * SESNSP's state-level victims file as published: one row per year × state × crime × modality × sex × age group,
 * the twelve months as columns, months not yet reported left empty.
 */
export const sesnspVictimsState: CsvAdapter = {
  id: 'sesnsp-victims-state',
  version: '1.0.0',
  title: 'SESNSP victims, state level (wide monthly layout)',
  encodings: ['utf-8', 'latin-1'],
  columns: [...IDENTITY, ...MONTHS_ES],
  checks: [
    yearCheck('Año'),
    { column: 'Clave_Ent', invalidWhen: `NOT regexp_full_match(trim(v), '0?[1-9]|[12][0-9]|3[0-2]')`, expected: 'a state code from 1 to 32' },
    ...['Entidad', 'Bien jurídico afectado', 'Tipo de delito', 'Subtipo de delito', 'Modalidad', 'Rango de edad'].map((column) => ({
      column,
      invalidWhen: `trim(v) = ''`,
      expected: 'a non-empty value',
    })),
    oneOf('Sexo', ['Hombre', 'Mujer', 'No identificado']),
    ...countChecks(MONTHS_ES).map((c) => ({ ...c, invalidWhen: `trim(v) <> '' AND ${c.invalidWhen}`, expected: `${c.expected}, or empty if not yet reported` })),
  ],
  // The observation key less the month (the series is fixed): what `observations` builds its key from.
  rowKey: [`lpad(trim("Clave_Ent"), 2, '0')`, 'trim("Año")', 'trim("Bien jurídico afectado")', 'trim("Tipo de delito")', 'trim("Subtipo de delito")', 'trim("Modalidad")', 'trim("Sexo")', 'trim("Rango de edad")'],
  // Text work happens once per published row (before the unpivot multiplies rows by twelve).
  observations: `
    WITH base AS (
      SELECT line, lpad(trim("Clave_Ent"), 2, '0') AS geo, trim("Año") AS y,
        trim("Bien jurídico afectado") AS legal_good, trim("Tipo de delito") AS crime_type, trim("Subtipo de delito") AS crime_subtype,
        trim("Modalidad") AS modality,
        CASE trim("Sexo") WHEN 'Hombre' THEN 'male' WHEN 'Mujer' THEN 'female' ELSE 'unidentified' END AS sex,
        trim("Rango de edad") AS age,
        ${MONTH_COUNTS}
      FROM raw)
    SELECT line, 'sesnsp.victims' AS series, geo, 'Clave_Ent' AS geo_column,
      y || '-' || month_col AS period, 'month' AS freq, y::SMALLINT AS year, month_col::TINYINT AS month,
      legal_good, crime_type, crime_subtype, modality, sex, age, '' AS estimate, ${NO_SCHEMA4_DIMENSIONS}, cell AS value, []::VARCHAR[] AS flags
    FROM ${monthCells('base')}`,
  async reconcile(tx, file) {
    const names = await stateNameProblems(tx, file, 'Clave_Ent', 'Entidad');
    return { checks: [names.check], problems: names.problems };
  },
};
