import { MONTHS_ES } from '../../domain/index.js';
import { countChecks, oneOf, yearCheck, type CsvAdapter } from '../adapter.js';

const IDENTITY = ['Año', 'Clave_Ent', 'Entidad', 'Bien jurídico afectado', 'Tipo de delito', 'Subtipo de delito', 'Modalidad', 'Sexo', 'Rango de edad'];
const monthList = `[${MONTHS_ES.map((m) => `'${m}'`).join(', ')}]`;

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
  observations: `
    SELECT line, 'sesnsp.victims' AS series, lpad(trim("Clave_Ent"), 2, '0') AS geo, 'Clave_Ent' AS geo_column,
      trim("Año") || '-' || lpad(list_position(${monthList}, month_name)::VARCHAR, 2, '0') AS period,
      'month' AS freq, trim("Año")::SMALLINT AS year, list_position(${monthList}, month_name)::TINYINT AS month,
      trim("Bien jurídico afectado") AS legal_good, trim("Tipo de delito") AS crime_type, trim("Subtipo de delito") AS crime_subtype,
      trim("Modalidad") AS modality,
      CASE trim("Sexo") WHEN 'Hombre' THEN 'male' WHEN 'Mujer' THEN 'female' ELSE 'unidentified' END AS sex,
      trim("Rango de edad") AS age, '' AS estimate, trim(cell)::DOUBLE AS value, []::VARCHAR[] AS flags
    FROM (UNPIVOT raw ON ${MONTHS_ES.map((m) => `"${m}"`).join(', ')} INTO NAME month_name VALUE cell)
    WHERE trim(cell) <> ''`,
};
