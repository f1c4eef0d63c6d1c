import { oneOf, sqlString, type ColumnCheck } from '../adapter.js';

/**
 * Shared pieces of the CBP and DHS border files: U.S. fiscal years (`2023`, `2026 (FYTD)` = fiscal year to date),
 * three-letter months, components and CBP regions mapped to Observa's geography codes.
 */
export const FISCAL_YEAR_CHECK: ColumnCheck = {
  column: '',
  invalidWhen: `NOT regexp_full_match(trim(v), '(19|20)[0-9]{2}( \\(FYTD\\))?')`,
  expected: 'a U.S. fiscal year such as 2023, or "2026 (FYTD)" for the fiscal year to date',
};

export const fiscalYearCheck = (column: string): ColumnCheck => ({ ...FISCAL_YEAR_CHECK, column });

export const MONTH_ABBREVIATIONS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

export const monthAbbreviationCheck = (column: string): ColumnCheck => oneOf(column, MONTH_ABBREVIATIONS);

/** SQL: the calendar month number (1–12) of a three-letter month column. */
export const monthNumber = (column: string) => `list_position(${`[${MONTH_ABBREVIATIONS.map(sqlString).join(', ')}]`}, upper(trim(${column})))`;

/** SQL: the fiscal year as a number (`2026 (FYTD)` → 2026). */
export const fiscalYearNumber = (column: string) => `left(trim(${column}), 4)::INT`;

/** SQL: the calendar year of a fiscal year's month (October–December belong to the previous calendar year). */
export const calendarYear = (fy: string, month: string) => `(${fiscalYearNumber(fy)} - CASE WHEN ${month} >= 10 THEN 1 ELSE 0 END)`;

/** SQL: `YYYY-MM` of a fiscal year's month. */
export const monthPeriod = (fy: string, month: string) => `(${calendarYear(fy, month)}::VARCHAR || '-' || lpad(${month}::VARCHAR, 2, '0'))`;

/** CBP's components as the dimension values Observa stores. */
export const COMPONENTS: Readonly<Record<string, string>> = {
  'Office of Field Operations': 'OFO',
  'U.S. Border Patrol': 'USBP',
};

export const componentCode = (column: string) =>
  `CASE trim(${column}) ${Object.entries(COMPONENTS).map(([k, v]) => `WHEN ${sqlString(k)} THEN ${sqlString(v)}`).join(' ')} END`;

/** CBP regions (as the drug-seizure files name them) → geography codes (src/catalog/data/geography.yaml). */
export const CBP_REGIONS: Readonly<Record<string, string>> = {
  'Southwest Border': 'US-SWB',
  'Northern Border': 'US-NB',
  'Coastal/Interior': 'US-CI',
};

export const regionCode = (column: string, names: Readonly<Record<string, string>> = CBP_REGIONS) =>
  `CASE trim(${column}) ${Object.entries(names).map(([k, v]) => `WHEN ${sqlString(k)} THEN ${sqlString(v)}`).join(' ')} END`;

/**
 * Non-negative decimal quantities as CBP writes them (`477.96990019517`, `12`, and tiny ones in exponent notation,
 * `2.20462262e-05`), never with thousands separators.
 */
export const POUNDS_RULE = {
  invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{1,12}(\\.[0-9]+)?([eE][-+]?[0-9]{1,3})?')`,
  expected: 'a non-negative number of pounds with a decimal point and no thousands separators (e.g. 1234.5 or 2.2e-05)',
};
