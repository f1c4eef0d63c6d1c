import { countChecks, sqlString, yearCheck, type ColumnCheck, type CsvAdapter } from '../adapter.js';
import { normalisedName, stateNames } from './secondary.js';

/**
 * Secondary workbooks without a per-row address: the address is the published workbook itself (repository, commit,
 * path), written on every value they give, like the transcribed tables' `source_url`.
 */
const GN_REPOSITORY = 'https://github.com/FelipeSaNa/despliegue-guardia-nacional/blob/fe94c09c7b18d902164b61eaa14409912c3b398b/data/raw/';
const ENPOL_URL = 'https://github.com/aspardog/ENPOL/blob/12b7449c1295b3fa34db39b28fd2077416d52a39/National/Exploration/Output/Politica_criminal/Tortura%20RND%20estados%20.xlsx';

/** The workbook's month abbreviations (ene … dic) and their numbers. */
const MONTH_ABBR = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'] as const;

/** The known error of `guardia_2021.xlsx`: its March column is shifted between rows. Flagged, never "fixed". */
const GN_KNOWN_ERROR = { year: 2021, month: 3, note: 'known error: the March 2021 column is shifted between rows in guardia_2021.xlsx (e.g. Coahuila 12,224 vs Ciudad de México 979, which has ~12,000 in every other month); values kept as published' };

/**
 * Guardia Nacional personnel deployed by state and month, one workbook per year (`guardia_2019.xlsx`: Jul–Dec,
 * `guardia_2020.xlsx`: Jan–Dec, `guardia_2021.xlsx`: Jan–Jul), sheet `Hoja1`: `entidad, ano, <months>`. One source,
 * one layout per workbook (the months differ); the same `id` so every release belongs to the source.
 */
function guardiaNacional(year: number, months: readonly (typeof MONTH_ABBR)[number][]): CsvAdapter {
  const file = `guardia_${year}.xlsx`;
  const monthNumber = `list_position([${MONTH_ABBR.map(sqlString).join(', ')}], month_col)`;
  return {
    id: 'secondary-guardia-nacional',
    version: '1.0.0',
    title: `Guardia Nacional personnel by state and month (${file}, secondary)`,
    encodings: ['utf-8'],
    sheet: 'Hoja1',
    rowSources: true,
    columns: ['entidad', 'ano', ...months],
    checks: [
      { column: 'entidad', invalidWhen: `trim(v) = ''`, expected: 'a state name' },
      { ...yearCheck('ano'), invalidWhen: `trim(v) <> ${sqlString(String(year))}`, expected: `the year of this workbook (${year})` },
      ...countChecks(months),
    ],
    observations: `
      WITH rows AS (
        SELECT line, coalesce(state_name.code, trim(entidad)) AS geo, trim(entidad) AS entidad, ${months.map((m) => `"${m}"`).join(', ')}
        FROM raw LEFT JOIN ${stateNames()} ON state_name.name = ${normalisedName('entidad')}),
      cells AS (SELECT line, geo, entidad, ${monthNumber} AS m, v FROM (UNPIVOT rows ON ${months.map((m) => `"${m}"`).join(', ')} INTO NAME month_col VALUE v))
      SELECT line, 'secondary.guardia_nacional.personnel' AS series, geo, 'entidad' AS geo_column,
        '${year}-' || lpad(m::VARCHAR, 2, '0') AS period, 'month' AS freq, ${year}::SMALLINT AS year, m::TINYINT AS month,
        '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
        '' AS component, '' AS drug, '' AS citizenship, '' AS stage, '' AS cause, '' AS category,
        trim(v)::DOUBLE AS value,
        CASE WHEN m = ${year === GN_KNOWN_ERROR.year ? GN_KNOWN_ERROR.month : 0} THEN ['secondary-source', 'known-error'] ELSE ['secondary-source'] END::VARCHAR[] AS flags,
        ${sqlString(GN_REPOSITORY + file)} AS source_url,
        'Despliegue de la Guardia Nacional, compiled by F. Sánchez (despliegue-guardia-nacional)' AS source_outlet,
        ${sqlString(file)} || ', ' || entidad || CASE WHEN m = ${year === GN_KNOWN_ERROR.year ? GN_KNOWN_ERROR.month : 0} THEN '; ' || ${sqlString(GN_KNOWN_ERROR.note)} ELSE '' END AS source_note
      FROM cells`,
  };
}

export const secondaryGuardiaNacional2019 = guardiaNacional(2019, ['jul', 'ago', 'sep', 'oct', 'nov', 'dic']);
export const secondaryGuardiaNacional2020 = guardiaNacional(2020, MONTH_ABBR);
export const secondaryGuardiaNacional2021 = guardiaNacional(2021, ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul']);

const ENPOL_SHARES = ['tortura_tra_f', 'tortura_tra_p', 'tortura_mp_f', 'tortura_mp_p'] as const;
const share = (column: string): ColumnCheck => ({
  column, invalidWhen: `coalesce(try_cast(trim(v) AS DOUBLE) NOT BETWEEN 0 AND 1, true) OR NOT regexp_full_match(trim(v), '[0-9.]+(e-?[0-9]+)?')`,
  expected: 'a share between 0 and 1 written with a dot for decimals',
});
const difference = (column: string): ColumnCheck => ({
  column, invalidWhen: `coalesce(try_cast(trim(v) AS DOUBLE) NOT BETWEEN -1 AND 1, true) OR NOT regexp_full_match(trim(v), '-?[0-9.]+(e-?[0-9]+)?')`,
  expected: 'a difference of shares between -1 and 1 written with a dot for decimals',
});

/**
 * WJP's table from ENPOL 2021 (sheet `Sheet1`): by state of arrest, the share of people reporting physical (`_f`) or
 * psychological (`_p`) torture during arrest and transfer (`tra`) or at the public prosecutor's (`mp`), arrested before
 * (`_0`) or after (`_1`) the National Detention Registry took effect. Stored as percentages; the `dif_*` columns must
 * equal after minus before (checked, not stored).
 */
export const secondaryEnpolTorture: CsvAdapter = {
  id: 'secondary-enpol-torture',
  version: '1.0.0',
  title: 'ENPOL 2021 torture shares by state of arrest, before/after the detention registry (WJP table, secondary)',
  encodings: ['utf-8'],
  sheet: 'Sheet1',
  rowSources: true,
  columns: ['Estado_arresto', ...ENPOL_SHARES.flatMap((s) => [`${s}_0`, `${s}_1`]), ...ENPOL_SHARES.map((s) => s.replace('tortura_', 'dif_'))],
  checks: [
    { column: 'Estado_arresto', invalidWhen: `trim(v) = ''`, expected: 'a state name' },
    ...ENPOL_SHARES.flatMap((s) => [share(`${s}_0`), share(`${s}_1`)]),
    ...ENPOL_SHARES.map((s) => difference(s.replace('tortura_', 'dif_'))),
  ],
  observations: `
    WITH rows AS (
      SELECT line, coalesce(state_name.code, trim(Estado_arresto)) AS geo, trim(Estado_arresto) AS estado, ${ENPOL_SHARES.flatMap((s) => [`${s}_0`, `${s}_1`]).join(', ')}
      FROM raw LEFT JOIN ${stateNames()} ON state_name.name = ${normalisedName('Estado_arresto')})
    SELECT line, 'secondary.enpol.torture_share' AS series, geo, 'Estado_arresto' AS geo_column,
      '2021' AS period, 'year' AS freq, 2021::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype,
      CASE WHEN col LIKE '%\\_f\\_%' ESCAPE '\\' THEN 'physical' ELSE 'psychological' END AS modality,
      '' AS sex, '' AS age, '' AS estimate, '' AS component, '' AS drug, '' AS citizenship,
      CASE WHEN col LIKE 'tortura\\_tra%' ESCAPE '\\' THEN 'arrest_transfer' ELSE 'public_prosecutor' END AS stage, '' AS cause,
      CASE WHEN right(col, 1) = '0' THEN 'before_registry' ELSE 'after_registry' END AS category,
      round(trim(v)::DOUBLE * 100, 4) AS value, ['secondary-source']::VARCHAR[] AS flags,
      ${sqlString(ENPOL_URL)} AS source_url, 'World Justice Project analysis of INEGI ENPOL 2021' AS source_outlet,
      'Tortura RND estados .xlsx, ' || estado || ', column ' || col AS source_note
    FROM (UNPIVOT rows ON ${ENPOL_SHARES.flatMap((s) => [`${s}_0`, `${s}_1`]).join(', ')} INTO NAME col VALUE v)`,
  async reconcile(tx, file) {
    const checks = ENPOL_SHARES.map((s) => ({ share: s, dif: s.replace('tortura_', 'dif_') }));
    const bad = await tx.all<{ line: number; column: string; value: string; parts: number }>(
      checks.map((c) => `SELECT line, ${sqlString(c.dif)} AS "column", "${c.dif}" AS value, "${c.share}_1"::DOUBLE - "${c.share}_0"::DOUBLE AS parts
        FROM raw WHERE abs("${c.dif}"::DOUBLE - ("${c.share}_1"::DOUBLE - "${c.share}_0"::DOUBLE)) > 0.000001`).join(' UNION ALL ') + ' ORDER BY line LIMIT 10',
    );
    const [n] = await tx.all<{ rows: number }>(`SELECT count(*) AS rows FROM raw`);
    return {
      checks: [{ name: 'dif_* = after (_1) − before (_0)', compared: (n?.rows ?? 0) * checks.length, mismatches: bad.length }],
      problems: bad.map((b) => ({ file, line: b.line, column: b.column, value: b.value, expected: `the after-minus-before difference (${b.parts.toFixed(6)})` })),
    };
  },
};
