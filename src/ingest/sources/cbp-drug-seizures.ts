import { countChecks, oneOf, sqlString, type CsvAdapter } from '../adapter.js';
import {
  CBP_REGIONS, COMPONENTS, POUNDS_RULE, componentCode, fiscalYearCheck, monthAbbreviationCheck, monthNumber, monthPeriod, calendarYear,
  regionCode,
} from './cbp-common.js';

const COLUMNS = ['FY', 'Month (abbv)', 'Component', 'Region', 'Land Filter', 'Area of Responsibility', 'Drug Type', 'Count of Event', 'Sum Qty (lbs)'];

/**
 * CBP nationwide drug seizures (Office of Field Operations at ports of entry + U.S. Border Patrol between them),
 * monthly by fiscal year, component, region, area of responsibility, land filter and drug type: pounds and events.
 *
 * Each area of responsibility (a Border Patrol sector or an OFO field office) is a geography of its own, matched on
 * CBP's own spelling (`official_name` of the geo, from geography.yaml) within its region; an unknown one is refused.
 * Air and Marine Operations rows are refused: AMO is a separate source (`cbp-amo-drug-seizures`) that CBP's headline
 * OFO + USBP totals leave out, so it is never added to them silently.
 */
export const cbpDrugSeizures: CsvAdapter = {
  id: 'cbp-drug-seizures',
  version: '1.0.0',
  title: 'CBP nationwide drug seizures (OFO + USBP), monthly by area of responsibility and drug',
  encodings: ['utf-8'],
  columns: COLUMNS,
  otherFiles: [{
    index: 5,
    name: 'Branch',
    expected: 'the nationwide (OFO + USBP) drug seizures file; this is the Air and Marine Operations file (column "Branch"), a separate system that CBP\'s OFO + USBP totals leave out: Observa does not add it to them',
  }],
  checks: [
    fiscalYearCheck('FY'),
    monthAbbreviationCheck('Month (abbv)'),
    {
      column: 'Component',
      invalidWhen: `trim(v) NOT IN (${Object.keys(COMPONENTS).map(sqlString).join(', ')})`,
      expected: `one of ${Object.keys(COMPONENTS).map((c) => JSON.stringify(c)).join(', ')} (Air and Marine Operations seizures are a separate file: import them as source cbp-amo-drug-seizures; they are never added to OFO + USBP)`,
    },
    oneOf('Region', Object.keys(CBP_REGIONS)),
    oneOf('Land Filter', ['Land Only', 'Other']),
    { column: 'Area of Responsibility', invalidWhen: `trim(v) = ''`, expected: 'the name of a Border Patrol sector or an OFO field office' },
    { column: 'Drug Type', invalidWhen: `trim(v) = ''`, expected: 'a drug type (e.g. Fentanyl)' },
    ...countChecks(['Count of Event']),
    { column: 'Sum Qty (lbs)', ...POUNDS_RULE },
  ],
  observations: `
    WITH rows AS (
      SELECT r.line, ${monthNumber('r."Month (abbv)"')} AS m, r."FY" AS fy, ${componentCode('r."Component"')} AS component,
        trim(r."Drug Type") AS drug, trim(r."Land Filter") AS category,
        coalesce(g.code, 'CBP area "' || trim(r."Area of Responsibility") || '" in region "' || trim(r."Region") || '"') AS geo,
        r."Count of Event" AS events, r."Sum Qty (lbs)" AS pounds
      FROM raw r
      LEFT JOIN geo g ON g.level = 'area' AND g.parent = ${regionCode('r."Region"')} AND g.official_name = upper(trim(r."Area of Responsibility")))
    SELECT line, series, geo, 'Area of Responsibility' AS geo_column, ${monthPeriod('fy', 'm')} AS period, 'month' AS freq,
      ${calendarYear('fy', 'm')}::SMALLINT AS year, m::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
      component, drug, '' AS citizenship, '' AS stage, '' AS cause, category, value,
      []::VARCHAR[] AS flags
    FROM (
      SELECT *, 'cbp.seizures.pounds' AS series, trim(pounds)::DOUBLE AS value FROM rows
      UNION ALL SELECT *, 'cbp.seizures.events' AS series, trim(events)::DOUBLE AS value FROM rows)`,
};
