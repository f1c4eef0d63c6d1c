import { MONTHS_EN } from '../../domain/index.js';
import { countChecks, oneOf, yearCheck, type CsvAdapter, NO_SCHEMA4_DIMENSIONS } from '../adapter.js';

const KNOWN_SERIES = `CASE trim(indicator)
  WHEN 'Number of Drug Overdose Deaths' THEN 'cdc.vsrr.drug_overdose_deaths'
  WHEN 'Opioids (T40.0-T40.4,T40.6)' THEN 'cdc.vsrr.opioid_deaths'
  WHEN 'Synthetic opioids, excl. methadone (T40.4)' THEN 'cdc.vsrr.synthetic_opioid_deaths'
  ELSE 'cdc.vsrr.' || trim(regexp_replace(lower(trim(indicator)), '[^a-z0-9]+', '_', 'g'), '_') END`;

/** CDC/NCHS VSRR provisional overdose deaths, 12-month-ending periods; reported and predicted (delay-adjusted) values. */
export const cdcVsrrOverdose: CsvAdapter = {
  id: 'cdc-vsrr-overdose',
  version: '1.1.0',
  title: 'CDC VSRR provisional drug overdose deaths (12-month ending)',
  encodings: ['utf-8'],
  columns: ['state', 'state_name', 'year', 'month', 'period_end', 'period', 'indicator', 'reported_value', 'predicted_value', 'footnote_symbol'],
  checks: [
    yearCheck('year'),
    oneOf('month', MONTHS_EN),
    { column: 'period_end', invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{4}-(0[1-9]|1[0-2])')`, expected: 'a month as YYYY-MM' },
    oneOf('period', ['12 month-ending']),
    { column: 'indicator', invalidWhen: `trim(v) = ''`, expected: 'a non-empty indicator name' },
    ...countChecks(['reported_value', 'predicted_value']).map((c) => ({ ...c, invalidWhen: `trim(v) <> '' AND ${c.invalidWhen}`, expected: `${c.expected}, or empty` })),
  ],
  observations: `
    SELECT line, ${KNOWN_SERIES} AS series, trim(state) AS geo, 'state' AS geo_column,
      '12m-ending-' || trim(period_end) AS period, 'r12' AS freq, left(trim(period_end), 4)::SMALLINT AS year,
      right(trim(period_end), 2)::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, estimate, ${NO_SCHEMA4_DIMENSIONS},
      trim(v)::DOUBLE AS value,
      list_concat(CASE estimate WHEN 'predicted' THEN ['provisional', 'estimated'] ELSE ['provisional'] END,
        -- CDC's footnote \`*\` (alone; \`**\` is another note): "underreported due to incomplete data".
        CASE WHEN trim(footnote_symbol) = '*' THEN ['underreported'] ELSE [] END)::VARCHAR[] AS flags
    FROM (UNPIVOT (SELECT line, state, period_end, indicator, footnote_symbol, reported_value AS reported, predicted_value AS predicted FROM raw)
          ON reported, predicted INTO NAME estimate VALUE v)
    WHERE trim(v) <> ''`,
  async reconcile(tx, file) {
    // period_end is the key; year and month say the same month in words. A row where they disagree is miscoded, and
    // importing it would overwrite (and flag revised) the real value of the month period_end names.
    const months = `[${MONTHS_EN.map((m) => `'${m}'`).join(', ')}]`;
    const bad = await tx.all<{ line: number; period_end: string; expected: string }>(
      `SELECT line, trim(period_end) AS period_end, trim(year) || '-' || lpad(list_position(${months}, trim(month))::VARCHAR, 2, '0') AS expected
       FROM raw WHERE trim(period_end) <> trim(year) || '-' || lpad(list_position(${months}, trim(month))::VARCHAR, 2, '0') ORDER BY line LIMIT 10`,
    );
    const [n] = await tx.all<{ rows: number }>(`SELECT count(*) AS rows FROM raw`);
    return {
      checks: [{ name: 'period_end = year and month', compared: n?.rows ?? 0, mismatches: bad.length }],
      problems: bad.map((b) => ({ file, line: b.line, column: 'period_end', value: b.period_end, expected: `${b.expected}, the month given by year and month` })),
    };
  },
};
