import { countChecks, oneOf, sqlString, type CsvAdapter } from '../adapter.js';
import { COMPONENTS, componentCode, fiscalYearCheck, monthAbbreviationCheck, monthNumber, monthPeriod, calendarYear } from './cbp-common.js';

/**
 * CBP Southwest Land Border encounters (OFO inadmissibles at ports of entry + USBP apprehensions and Title 42
 * expulsions between them), monthly by fiscal year, component, demographic, citizenship group and title of authority.
 * Every row is the Southwest Border (`US-SWB`). Stored dimensions: component (OFO/USBP), citizenship (CBP's group),
 * category = demographic, modality = title of authority (Title 8 / Title 42), stage = encounter type.
 */
export const cbpSwEncounters: CsvAdapter = {
  id: 'cbp-sw-encounters',
  version: '1.0.0',
  title: 'CBP Southwest Land Border encounters (OFO + USBP), monthly',
  encodings: ['utf-8'],
  columns: ['Fiscal Year', 'Month Grouping', 'Month (abbv)', 'Component', 'Demographic', 'Citizenship Grouping', 'Title of Authority', 'Encounter Type', 'Encounter Count'],
  checks: [
    fiscalYearCheck('Fiscal Year'),
    oneOf('Month Grouping', ['FYTD', 'Remaining']),
    monthAbbreviationCheck('Month (abbv)'),
    oneOf('Component', Object.keys(COMPONENTS)),
    { column: 'Demographic', invalidWhen: `trim(v) = ''`, expected: 'a demographic group (Single Adults, FMUA, UAC, Accompanied Minors)' },
    { column: 'Citizenship Grouping', invalidWhen: `trim(v) = ''`, expected: 'a citizenship group (a country or Other)' },
    oneOf('Title of Authority', ['Title 8', 'Title 42']),
    oneOf('Encounter Type', ['Apprehensions', 'Inadmissibles', 'Expulsions']),
    ...countChecks(['Encounter Count']),
  ],
  observations: `
    SELECT line, 'cbp.encounters.swb' AS series, 'US-SWB' AS geo, '' AS geo_column,
      ${monthPeriod('"Fiscal Year"', 'm')} AS period, 'month' AS freq, ${calendarYear('"Fiscal Year"', 'm')}::SMALLINT AS year, m::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, trim("Title of Authority") AS modality, '' AS sex, '' AS age, '' AS estimate,
      ${componentCode('"Component"')} AS component, '' AS drug, trim("Citizenship Grouping") AS citizenship, trim("Encounter Type") AS stage,
      '' AS cause, trim("Demographic") AS category,
      trim("Encounter Count")::DOUBLE AS value, []::VARCHAR[] AS flags
    FROM (SELECT *, ${monthNumber('"Month (abbv)"')} AS m FROM raw)`,
};

/** OHSS regions (`Monthly Rgn and Citp` sheet) → geography codes: USBP's coastal sectors are CBP's Coastal/Interior. */
const OHSS_REGIONS: Readonly<Record<string, string>> = {
  'Southwest Land Border': 'US-SWB',
  'Northern Land Border': 'US-NB',
  'Coastal Border': 'US-CI',
};
const FISCAL_MONTHS = ['October', 'November', 'December', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September'];

/**
 * DHS Office of Homeland Security Statistics (KHSM) workbook of U.S. Border Patrol encounters, sheet
 * `Monthly Rgn and Citp`: fiscal year, fiscal month (`01 October` … `12 September`), region, citizenship, quantity
 * (rounded by OHSS to tens). USBP only: never added to CBP's OFO + USBP file.
 */
export const ohssUsbpEncounters: CsvAdapter = {
  id: 'ohss-usbp-encounters',
  version: '1.0.0',
  title: 'DHS OHSS U.S. Border Patrol encounters by region and citizenship (KHSM workbook), monthly',
  encodings: [],
  sheet: 'Monthly Rgn and Citp',
  columns: ['Fiscal Year', 'Month', 'Region', 'Citizenship', 'Quantity'],
  checks: [
    { column: 'Fiscal Year', invalidWhen: `NOT regexp_full_match(trim(v), '(19|20)[0-9]{2}')`, expected: 'a U.S. fiscal year such as 2023' },
    oneOf('Month', FISCAL_MONTHS.map((m, i) => `${String(i + 1).padStart(2, '0')} ${m}`)),
    oneOf('Region', Object.keys(OHSS_REGIONS)),
    { column: 'Citizenship', invalidWhen: `trim(v) = ''`, expected: 'a country of citizenship' },
    ...countChecks(['Quantity']),
  ],
  observations: `
    SELECT line, 'ohss.usbp.encounters' AS series,
      CASE trim(Region) ${Object.entries(OHSS_REGIONS).map(([k, v]) => `WHEN ${sqlString(k)} THEN ${sqlString(v)}`).join(' ')} END AS geo, 'Region' AS geo_column,
      (y::VARCHAR || '-' || lpad(m::VARCHAR, 2, '0')) AS period, 'month' AS freq, y::SMALLINT AS year, m::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
      'USBP' AS component, '' AS drug, trim(Citizenship) AS citizenship, '' AS stage, '' AS cause, '' AS category,
      trim(Quantity)::DOUBLE AS value, []::VARCHAR[] AS flags
    FROM (SELECT *, (left(trim(Month), 2)::INT + 8) % 12 + 1 AS m,
                 trim("Fiscal Year")::INT - CASE WHEN left(trim(Month), 2)::INT <= 3 THEN 1 ELSE 0 END AS y FROM raw)`,
};
