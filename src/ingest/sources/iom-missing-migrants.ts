import { MONTHS_EN } from '../../domain/index.js';
import { countChecks, oneOf, sqlString, yearCheck, type ColumnCheck, type CsvAdapter } from '../adapter.js';

/** IOM's route name for crossings of the U.S.–Mexico border; its incidents become the `US-MX` series. */
export const IOM_BORDER_ROUTE = 'US-Mexico border crossing';

const COLUMNS = [
  'Main ID', 'Incident ID', 'Incident Type', 'Region of Incident', 'Incident Date', 'Incident year', 'Reported Month',
  'Number of Dead', 'Minimum Estimated Number of Missing', 'Total Number of Dead and Missing', 'Number of Survivors',
  'Number of Females', 'Number of Males', 'Number of Children', 'Region of Origin', 'Cause of Death', 'Migration route',
  'Location of death', 'Information Source', 'Coordinates', 'UNSD Geographical Grouping', 'Article title', 'Source Quality', 'URL',
] as const;

const POINT = String.raw`POINT \((-?[0-9]+(?:\.[0-9]+)?) (-?[0-9]+(?:\.[0-9]+)?)\)`;
const MONTH_LIST = `[${MONTHS_EN.map(sqlString).join(', ')}]`;
const monthOf = `list_position(${MONTH_LIST}, trim("Reported Month"))`;
const int = (column: string) => `coalesce(nullif(trim("${column}"), '')::INTEGER, 0)`;
const orEmpty = (c: ColumnCheck): ColumnCheck => ({ ...c, invalidWhen: `trim(v) <> '' AND ${c.invalidWhen}`, expected: `${c.expected}, or empty` });
/** IOM writes a few negative corrections (e.g. missing −2 in a split incident): a whole number, sign allowed. */
const signedOrEmpty = (column: string): ColumnCheck => ({
  column, invalidWhen: `trim(v) <> '' AND NOT regexp_full_match(trim(v), '-?[0-9]{1,9}')`,
  expected: 'a whole number written with digits only (no decimals or thousands separators), or empty',
});

/**
 * IOM Missing Migrants Project, global incident-level export as published (windows-1252 text, WKT coordinates). Every
 * incident is kept in `migrant_incident`; the observations are monthly dead and missing on the U.S.–Mexico border
 * route by cause, every month of the file's span present (a month without incidents has 0), the last month flagged
 * partial when the snapshot ends before its last day.
 */
export const iomMissingMigrants: CsvAdapter = {
  id: 'iom-missing-migrants',
  version: '1.0.0',
  title: 'IOM Missing Migrants Project, incidents (global figures export)',
  encodings: ['utf-8', 'windows-1252'],
  columns: COLUMNS,
  checks: [
    { column: 'Main ID', invalidWhen: `trim(v) = ''`, expected: 'a non-empty incident id' },
    { column: 'Incident ID', invalidWhen: `trim(v) = ''`, expected: 'a non-empty incident id' },
    { column: 'Incident Date', invalidWhen: `trim(v) <> '' AND try_cast(trim(v) AS DATE) IS NULL`, expected: 'a date as YYYY-MM-DD, or empty' },
    yearCheck('Incident year'),
    oneOf('Reported Month', MONTHS_EN),
    ...countChecks(['Number of Dead', 'Total Number of Dead and Missing', 'Number of Females', 'Number of Males', 'Number of Children']).map(orEmpty),
    signedOrEmpty('Minimum Estimated Number of Missing'),
    signedOrEmpty('Number of Survivors'),
    { column: 'Coordinates', invalidWhen: `trim(v) <> '' AND NOT regexp_full_match(trim(v), ${sqlString(POINT)})`, expected: 'a WKT point "POINT (lon lat)", or empty' },
  ],
  observations: `
    WITH inc AS (
      SELECT line, make_date(trim("Incident year")::INTEGER, ${monthOf}, 1) AS d, trim("Cause of Death") AS cause,
        ${int('Number of Dead')} AS dead, ${int('Minimum Estimated Number of Missing')} AS missing
      FROM raw WHERE trim("Migration route") = ${sqlString(IOM_BORDER_ROUTE)}),
    span AS (
      SELECT min(make_date(trim("Incident year")::INTEGER, ${monthOf}, 1)) AS lo, max(make_date(trim("Incident year")::INTEGER, ${monthOf}, 1)) AS hi,
        max(try_cast(trim("Incident Date") AS DATE)) AS last_day_seen
      FROM raw),
    grid AS (
      SELECT m.d, c.cause FROM (SELECT unnest(generate_series(lo, hi, INTERVAL 1 MONTH))::DATE AS d FROM span) m,
        (SELECT DISTINCT cause FROM inc) c),
    agg AS (SELECT d, cause, min(line) AS line, sum(dead) AS dead, sum(missing) AS missing FROM inc GROUP BY d, cause),
    cells AS (
      SELECT agg.line, grid.d, grid.cause, coalesce(agg.dead, 0) AS dead, coalesce(agg.missing, 0) AS missing,
        (grid.d = date_trunc('month', span.last_day_seen) AND span.last_day_seen < last_day(span.last_day_seen)) AS partial
      FROM grid CROSS JOIN span LEFT JOIN agg ON agg.d = grid.d AND agg.cause = grid.cause)
    SELECT line, 'iom.mmp.' || measure AS series, 'US-MX' AS geo, 'Migration route' AS geo_column,
      strftime(d, '%Y-%m') AS period, 'month' AS freq, year(d)::SMALLINT AS year, month(d)::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
      '' AS component, '' AS drug, '' AS citizenship, '' AS stage, cause, '' AS category,
      v::DOUBLE AS value, CASE WHEN partial THEN ['partial-period'] ELSE [] END::VARCHAR[] AS flags
    FROM (UNPIVOT cells ON dead, missing INTO NAME measure VALUE v)`,
  async reconcile(tx, file) {
    const totals = await tx.all<{ line: number; total: string; parts: number }>(
      `SELECT line, "Total Number of Dead and Missing" AS total, ${int('Number of Dead')} + ${int('Minimum Estimated Number of Missing')} AS parts
       FROM raw WHERE ${int('Total Number of Dead and Missing')} <> ${int('Number of Dead')} + ${int('Minimum Estimated Number of Missing')}
       ORDER BY line LIMIT 10`,
    );
    const negative = await tx.all<{ line: number; value: string }>(
      `SELECT line, "Minimum Estimated Number of Missing" AS value FROM raw
       WHERE trim("Migration route") = ${sqlString(IOM_BORDER_ROUTE)} AND ${int('Minimum Estimated Number of Missing')} < 0 ORDER BY line LIMIT 10`,
    );
    const [n] = await tx.all<{ rows: number; route: number }>(
      `SELECT count(*) AS rows, count(*) FILTER (WHERE trim("Migration route") = ${sqlString(IOM_BORDER_ROUTE)}) AS route FROM raw`,
    );
    return {
      checks: [
        { name: 'total = dead + missing', compared: n?.rows ?? 0, mismatches: totals.length },
        { name: 'no negative missing on the border route', compared: n?.route ?? 0, mismatches: negative.length },
      ],
      problems: [
        ...totals.map((t) => ({ file, line: t.line, column: 'Total Number of Dead and Missing', value: t.total, expected: `Number of Dead + Minimum Estimated Number of Missing (${t.parts})` })),
        ...negative.map((t) => ({ file, line: t.line, column: 'Minimum Estimated Number of Missing', value: t.value, expected: 'a count of zero or more on the U.S.–Mexico border route' })),
      ],
    };
  },
  async keep(tx, releaseId) {
    await tx.run(`INSERT INTO migrant_incident
      SELECT ${releaseId}, trim("Main ID"), try_cast(trim("Incident Date") AS DATE), trim("Incident year")::SMALLINT, ${monthOf}::TINYINT,
        coalesce(trim("Migration route"), ''), coalesce(trim("Region of Incident"), ''),
        ${int('Number of Dead')}, ${int('Minimum Estimated Number of Missing')}, coalesce(trim("Cause of Death"), ''),
        nullif(regexp_extract(trim("Coordinates"), ${sqlString(POINT)}, 1), '')::DOUBLE,
        nullif(regexp_extract(trim("Coordinates"), ${sqlString(POINT)}, 2), '')::DOUBLE,
        coalesce(trim("Location of death"), ''), coalesce(trim("Information Source"), ''), coalesce(trim("URL"), ''), line
      FROM raw`);
  },
};
