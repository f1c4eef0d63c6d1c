import { oneOf, sqlString, type ColumnCheck, type CsvAdapter } from '../adapter.js';

/** ForeignAssistance.gov's transaction types (their ids) and the `stage` value each becomes. */
export const ASSISTANCE_STAGES: Readonly<Record<string, string>> = {
  '1': 'appropriated_planned',
  '2': 'obligations',
  '3': 'disbursements',
  '18': 'budget_requests',
};

const amount = (column: string): ColumnCheck => ({
  column,
  // Deobligations make some yearly sums negative: a sign is allowed, separators and decimals are not.
  invalidWhen: `NOT regexp_full_match(trim(v), '-?[0-9]{1,15}')`,
  expected: 'a whole number of U.S. dollars written with digits only (a leading minus allowed; no decimals or thousands separators)',
});

/**
 * ForeignAssistance.gov's country summary (`us_foreign_aid_country.csv`) as published, every country: the file is
 * checked whole and Mexico's rows become observations. All U.S. agencies and sectors together, by U.S. fiscal year
 * (`FY2022`), in current and constant dollars (two series), the transaction type as `stage`. Stored at `US` (the
 * donor). The 1976 transition quarter (`1976tq`, July–September 1976) is not a fiscal year and is left out. The latest
 * fiscal year of each stage is still being reported, so it is flagged partial and provisional (never compared as complete).
 */
export const foreignassistanceCountry: CsvAdapter = {
  id: 'foreignassistance-country',
  version: '1.0.0',
  title: 'ForeignAssistance.gov country summary, U.S. assistance to Mexico (all sectors)',
  encodings: ['utf-8', 'latin-1'],
  columns: [
    'Country Code', 'Country Name', 'Region ID', 'Region Name', 'Income Group Acronym', 'Income Group Name',
    'Transaction Type ID', 'Transaction Type Name', 'Fiscal Year', 'current_amount', 'constant_amount',
  ],
  checks: [
    // ISO alpha-3 codes, plus the publisher's own: `CS-KM` (Serbia and Montenegro, Kosovo) and `NULL` (regional/worldwide).
    { column: 'Country Code', invalidWhen: `NOT regexp_full_match(trim(v), '[A-Z]{3}|CS-KM|NULL')`, expected: 'an ISO 3166 alpha-3 code such as MEX (or CS-KM, NULL as ForeignAssistance.gov writes them)' },
    oneOf('Transaction Type ID', Object.keys(ASSISTANCE_STAGES)),
    { column: 'Fiscal Year', invalidWhen: `NOT regexp_full_match(trim(v), '(19|20)[0-9]{2}(tq)?')`, expected: 'a fiscal year such as 2022 (or 1976tq, the transition quarter)' },
    amount('current_amount'),
    amount('constant_amount'),
  ],
  observations: `
    WITH mex AS (
      SELECT line, trim("Fiscal Year")::SMALLINT AS fy,
        CASE trim("Transaction Type ID") ${Object.entries(ASSISTANCE_STAGES).map(([id, stage]) => `WHEN ${sqlString(id)} THEN ${sqlString(stage)}`).join(' ')} END AS stage,
        current_amount AS current_usd, constant_amount AS constant_usd
      FROM raw WHERE trim("Country Code") = 'MEX' AND regexp_full_match(trim("Fiscal Year"), '[0-9]{4}')),
    latest AS (SELECT stage, max(fy) AS fy FROM mex GROUP BY stage)
    SELECT line, 'fa.country.' || measure AS series, 'US' AS geo, 'Country Code' AS geo_column,
      'FY' || mex.fy AS period, 'fy' AS freq, mex.fy AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
      '' AS component, '' AS drug, '' AS citizenship, mex.stage, '' AS cause, '' AS category,
      trim(v)::DOUBLE AS value,
      CASE WHEN mex.fy = latest.fy THEN ['partial-period', 'provisional'] ELSE [] END::VARCHAR[] AS flags
    FROM (UNPIVOT mex ON current_usd, constant_usd INTO NAME measure VALUE v) mex JOIN latest USING (stage)`,
};
