import { loadCatalog } from '../../catalog/index.js';
import { sqlString, type ColumnCheck, type CsvAdapter } from '../adapter.js';

/**
 * The secondary family: tables transcribed from web pages or derived by third parties, each row with the address it
 * was taken from. Every value is flagged `secondary-source` and keeps its own link (`rowSources`: the pipeline refuses
 * a row without one and stores it in `observation_source` with the release).
 */

/** Every secondary row names the page it was taken from. */
export const sourceUrlCheck = (column: string): ColumnCheck => ({
  column,
  invalidWhen: `NOT regexp_full_match(trim(v), 'https?://[^[:space:]]+')`,
  expected: 'the address (http:// or https://) of the page the row was taken from: a secondary value is never kept without its source',
});

/** A state name as the comparison key: lower case, no accents, letters only. */
export const normalisedName = (sql: string) => `trim(regexp_replace(strip_accents(lower(trim(${sql}))), '[^a-z]+', ' ', 'g'))`;

/** Spellings found in third-party tables besides the catalog's names (typos kept as published, e.g. "Cuidad de México"). */
const ALIASES: readonly [string, string][] = [
  ['cuidad de mexico', '09'], ['distrito federal', '09'], ['cdmx', '09'], ['mexico', '15'], ['edomex', '15'],
  ['coahuila de zaragoza', '05'], ['michoacan de ocampo', '16'], ['veracruz de ignacio de la llave', '30'],
];

function normaliseInTs(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]+/g, ' ').trim();
}

/** SQL relation `state_name(name, code)`: every catalog spelling (es, en, official, code) and the known aliases. */
export function stateNames(): string {
  const pairs = new Map<string, string>(ALIASES);
  for (const s of loadCatalog().geography.states) {
    for (const name of [s.es, s.en, s.official]) pairs.set(normaliseInTs(name), s.code);
  }
  return `(VALUES ${[...pairs].map(([n, c]) => `(${sqlString(n)}, ${sqlString(c)})`).join(', ')}) AS state_name(name, code)`;
}

/**
 * Extraditions from Mexico to the United States, transcribed from news and embassy pages. Two counting rules never
 * mixed: all persons, or Mexican nationals only (`category`). Yearly rows become observations (a partial year is
 * flagged); totals per administration or over several years are kept in the file and its release only.
 */
export const secondaryExtraditions: CsvAdapter = {
  id: 'secondary-extraditions',
  version: '1.0.0',
  title: 'Extraditions Mexico → United States (transcribed from press and embassy pages)',
  encodings: ['utf-8', 'latin-1'],
  rowSources: true,
  columns: ['period', 'period_type', 'extradited_mx_to_us', 'population_counted', 'as_of', 'source_outlet', 'source_attribution', 'source_url'],
  checks: [
    { column: 'period', invalidWhen: `trim(v) = ''`, expected: 'a period (a year, or a span of years)' },
    {
      column: 'period_type', invalidWhen: `trim(v) NOT IN ('calendar_year', 'partial_year', 'administration', 'multi_year_total')`,
      expected: 'one of "calendar_year", "partial_year", "administration", "multi_year_total"',
    },
    { column: 'extradited_mx_to_us', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{1,6}')`, expected: 'a number of persons written with digits only (no thousands separators)' },
    { column: 'population_counted', invalidWhen: `trim(v) = ''`, expected: 'who is counted (all persons, or Mexican nationals only)' },
    { column: 'as_of', invalidWhen: `trim(v) <> '' AND try_cast(trim(v) AS DATE) IS NULL`, expected: 'a date as YYYY-MM-DD, or empty' },
    { column: 'source_outlet', invalidWhen: `trim(v) = ''`, expected: 'the outlet the figure was transcribed from' },
    sourceUrlCheck('source_url'),
  ],
  observations: `
    SELECT line, 'secondary.extraditions.mx_to_us' AS series, '00' AS geo, 'period' AS geo_column,
      trim(period) AS period, 'year' AS freq, trim(period)::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
      '' AS component, '' AS drug, '' AS citizenship, '' AS stage, '' AS cause,
      CASE WHEN lower(trim(population_counted)) LIKE 'all persons%' THEN 'all_persons' ELSE 'mexican_nationals' END AS category,
      trim(extradited_mx_to_us)::DOUBLE AS value,
      CASE WHEN trim(period_type) = 'partial_year' THEN ['secondary-source', 'partial-period'] ELSE ['secondary-source'] END::VARCHAR[] AS flags,
      source_url, source_outlet || ' (' || source_attribution || ')' AS source_outlet,
      CASE WHEN trim(as_of) <> '' THEN 'as of ' || trim(as_of) || '; ' ELSE '' END || trim(population_counted) AS source_note
    -- A yearly row without a year is refused by reconcile (after this SELECT), so it must not reach the casts here.
    FROM raw WHERE trim(period_type) IN ('calendar_year', 'partial_year') AND regexp_full_match(trim(period), '(19|20)[0-9]{2}')`,
  async reconcile(tx, file) {
    const bad = await tx.all<{ line: number; column: string; value: string; expected: string }>(`
      SELECT line, 'period' AS "column", period AS value, 'a four-digit year for a calendar_year or partial_year row' AS expected FROM raw
      WHERE trim(period_type) IN ('calendar_year', 'partial_year') AND NOT regexp_full_match(trim(period), '(19|20)[0-9]{2}')
      UNION ALL
      SELECT line, 'population_counted', population_counted, 'a yearly row counting "all persons…" or "Mexican nationals only"' FROM raw
      WHERE trim(period_type) IN ('calendar_year', 'partial_year') AND NOT (lower(trim(population_counted)) LIKE 'all persons%'
        OR lower(trim(population_counted)) = 'mexican nationals only')
      ORDER BY line LIMIT 10`);
    const [n] = await tx.all<{ rows: number }>(`SELECT count(*) AS rows FROM raw WHERE trim(period_type) IN ('calendar_year', 'partial_year')`);
    return {
      checks: [{ name: 'yearly rows have a year and a counting rule', compared: n?.rows ?? 0, mismatches: bad.length }],
      problems: bad.map((b) => ({ file, line: b.line, column: b.column, value: b.value, expected: b.expected })),
    };
  },
};

/**
 * WJP's Mexico States Rule of Law Index (IEDMX), overall score by state, transcribed from a state statistics portal.
 * The period is the edition label printed on the page (2019 = IEDMX 2019-2020; 2023 = IEDMX 2022-2023).
 */
export const secondaryWjpRuleOfLaw: CsvAdapter = {
  id: 'secondary-wjp-rule-of-law',
  version: '1.0.0',
  title: 'WJP Índice de Estado de Derecho en México, overall score by state (transcribed)',
  encodings: ['utf-8', 'latin-1'],
  rowSources: true,
  columns: ['edition_label_on_page', 'rank', 'state_as_on_page', 'score', 'rank_change_as_on_page', 'source_url'],
  checks: [
    { column: 'edition_label_on_page', invalidWhen: `NOT regexp_full_match(trim(v), '20[0-9]{2}')`, expected: 'the edition year printed on the page, e.g. 2023' },
    { column: 'rank', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{1,2}')`, expected: 'a rank from 1 to 32' },
    { column: 'state_as_on_page', invalidWhen: `trim(v) = ''`, expected: 'a state name' },
    { column: 'score', invalidWhen: `NOT regexp_full_match(trim(v), '(0(\\.[0-9]+)?|1(\\.0+)?)')`, expected: 'a score between 0 and 1 with a dot for decimals' },
    { column: 'rank_change_as_on_page', invalidWhen: `trim(v) <> '' AND NOT regexp_full_match(trim(v), '[-+]?[0-9]{1,2}')`, expected: 'a change of rank such as -1, 0 or 3, or empty' },
    sourceUrlCheck('source_url'),
  ],
  observations: `
    SELECT line, 'secondary.wjp.iedmx_overall' AS series, coalesce(state_name.code, trim(state_as_on_page)) AS geo, 'state_as_on_page' AS geo_column,
      trim(edition_label_on_page) AS period, 'year' AS freq, trim(edition_label_on_page)::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
      '' AS component, '' AS drug, '' AS citizenship, '' AS stage, '' AS cause, '' AS category,
      trim(score)::DOUBLE AS value, ['secondary-source']::VARCHAR[] AS flags,
      source_url, 'World Justice Project, Índice de Estado de Derecho en México' AS source_outlet,
      'edition label on page ' || trim(edition_label_on_page) || '; rank ' || trim(rank) || '; state as printed: ' || trim(state_as_on_page) AS source_note
    FROM raw LEFT JOIN ${stateNames()} ON state_name.name = ${normalisedName('state_as_on_page')}`,
};

/** Rows of the transcribed headline figures that form a yearly series from one outlet, and the series each becomes. */
const HEADLINE_SERIES: Readonly<Record<string, string>> = {
  'Fentanyl pill-manufacturing labs found by SEDENA': 'secondary.sedena.fentanyl_labs',
};

/**
 * The transcribed headline figures (one row per figure, each with its outlet and address). Most are single figures
 * shown as cited figures; the rows that form a yearly series from one outlet (`HEADLINE_SERIES`) become observations
 * (`2024 (to October)` is 2024, flagged partial). The other rows are checked and kept in the release only.
 */
export const secondaryHeadlineFigures: CsvAdapter = {
  id: 'secondary-headline-figures',
  version: '1.0.0',
  title: 'Transcribed headline figures (firearms, drugs, money laundering, impunity, torture)',
  encodings: ['utf-8', 'latin-1'],
  rowSources: true,
  columns: ['topic', 'indicator', 'period', 'value', 'unit', 'geography', 'source_outlet', 'attributed_to', 'source_url', 'note'],
  checks: [
    { column: 'topic', invalidWhen: `trim(v) NOT IN ('firearms', 'drugs', 'money_laundering', 'impunity', 'torture')`, expected: 'one of "firearms", "drugs", "money_laundering", "impunity", "torture"' },
    { column: 'indicator', invalidWhen: `trim(v) = ''`, expected: 'what the figure counts' },
    { column: 'period', invalidWhen: `trim(v) = ''`, expected: 'the period the figure covers' },
    { column: 'value', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{1,12}(\\.[0-9]+)?')`, expected: 'a number with digits only and a dot for decimals (no thousands separators)' },
    { column: 'source_outlet', invalidWhen: `trim(v) = ''`, expected: 'the outlet the figure was transcribed from' },
    sourceUrlCheck('source_url'),
  ],
  observations: `
    SELECT line, CASE ${Object.entries(HEADLINE_SERIES).map(([k, v]) => `WHEN trim(indicator) = ${sqlString(k)} THEN ${sqlString(v)}`).join(' ')} END AS series,
      '00' AS geo, 'geography' AS geo_column, left(trim(period), 4) AS period, 'year' AS freq, left(trim(period), 4)::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
      '' AS component, '' AS drug, '' AS citizenship, '' AS stage, '' AS cause, '' AS category,
      trim(value)::DOUBLE AS value,
      CASE WHEN regexp_full_match(trim(period), '[0-9]{4}') THEN ['secondary-source'] ELSE ['secondary-source', 'partial-period'] END::VARCHAR[] AS flags,
      source_url, source_outlet || ' (' || attributed_to || ')' AS source_outlet, 'as transcribed: ' || trim(period) AS source_note
    FROM raw WHERE trim(indicator) IN (${Object.keys(HEADLINE_SERIES).map(sqlString).join(', ')})
      AND regexp_full_match(trim(period), '(19|20)[0-9]{2}( \\(to [A-Z][a-z]+\\))?')`,
  async reconcile(tx, file) {
    const bad = await tx.all<{ line: number; period: string }>(
      `SELECT line, period FROM raw WHERE trim(indicator) IN (${Object.keys(HEADLINE_SERIES).map(sqlString).join(', ')})
         AND NOT regexp_full_match(trim(period), '(19|20)[0-9]{2}( \\(to [A-Z][a-z]+\\))?') ORDER BY line LIMIT 10`,
    );
    return {
      checks: [{ name: 'series rows have a year', compared: Object.keys(HEADLINE_SERIES).length, mismatches: bad.length }],
      problems: bad.map((b) => ({ file, line: b.line, column: 'period', value: b.period, expected: 'a year, or a year followed by "(to <Month>)" for a partial year' })),
    };
  },
};
