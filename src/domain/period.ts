import { z } from 'zod';

/**
 * month `2020-03`, year `2020`, CDC's rolling `12m-ending-2021-04` (deaths in the twelve months ending that month), and the
 * U.S. federal fiscal year `FY2023` (October 2022 – September 2023; `year` is the year it ends in).
 */
export type Period =
  | { readonly freq: 'month'; readonly year: number; readonly month: number }
  | { readonly freq: 'year'; readonly year: number }
  | { readonly freq: 'r12'; readonly year: number; readonly month: number }
  | { readonly freq: 'fy'; readonly year: number };
export type Freq = Period['freq'];

/** What a query can ask for: calendar months, calendar years, or U.S. fiscal years (`fy`, built from months). */
export const QueryFreq = z.enum(['month', 'year', 'fy']);
export type QueryFreq = z.infer<typeof QueryFreq>;

// Years of four digits, the first not 0: "0000" or "0999" would be read as years 0 and 999 and written back as "0"
// and "999" (found by the property test: what parses must format back to the same text).
const MONTH = /^([1-9]\d{3})-(0[1-9]|1[0-2])$/;
const YEAR = /^([1-9]\d{3})$/;
const ROLLING = /^12m-ending-([1-9]\d{3})-(0[1-9]|1[0-2])$/;
const FISCAL_YEAR = /^FY([1-9]\d{3})$/i;

export class PeriodError extends Error {
  override readonly name = 'PeriodError';
}

export function parsePeriod(text: string): Period {
  const t = text.trim();
  let m = MONTH.exec(t);
  if (m) return { freq: 'month', year: Number(m[1]), month: Number(m[2]) };
  m = YEAR.exec(t);
  if (m) return { freq: 'year', year: Number(m[1]) };
  m = ROLLING.exec(t);
  if (m) return { freq: 'r12', year: Number(m[1]), month: Number(m[2]) };
  m = FISCAL_YEAR.exec(t);
  if (m) return { freq: 'fy', year: Number(m[1]) };
  throw new PeriodError(`"${text}" is not a period: expected YYYY, YYYY-MM, FYYYYY (U.S. fiscal year) or 12m-ending-YYYY-MM, years from 1000`);
}

export function formatPeriod(p: Period): string {
  const mm = 'month' in p ? String(p.month).padStart(2, '0') : '';
  switch (p.freq) {
    case 'year':
      return String(p.year);
    case 'month':
      return `${p.year}-${mm}`;
    case 'r12':
      return `12m-ending-${p.year}-${mm}`;
    case 'fy':
      return `FY${p.year}`;
  }
}

/** `year × 100 + month` of the first (or, with `end`, the last) month a period covers: ranges of mixed kinds compare. */
export function periodMonthKey(p: Period, end: boolean): number {
  switch (p.freq) {
    case 'year':
      return p.year * 100 + (end ? 12 : 1);
    case 'fy':
      return end ? p.year * 100 + 9 : (p.year - 1) * 100 + 10;
    default:
      return p.year * 100 + p.month;
  }
}

/** The U.S. fiscal year a calendar month belongs to (October starts the next fiscal year). */
export function fiscalYearOf(year: number, month: number): number {
  return month >= 10 ? year + 1 : year;
}

/** First day of the period as an ISO date (for rolling periods, the first day of the month it ends in). */
export function periodDate(p: Period): string {
  if (p.freq === 'fy') return `${p.year - 1}-10-01`;
  const month = p.freq === 'year' ? 1 : p.month;
  return `${p.year}-${String(month).padStart(2, '0')}-01`;
}

export interface PeriodRange {
  readonly from: Period;
  readonly to: Period;
}

/** `2015..2024`, `2019-01..2020-12`, `2020` (a single period), `..2024` or `2015..` (open ends). */
export function parsePeriodRange(text: string): { from: Period | null; to: Period | null } {
  const parts = text.split('..');
  if (parts.length === 1) {
    const p = parsePeriod(text);
    return { from: p, to: p };
  }
  if (parts.length !== 2) throw new PeriodError(`"${text}" is not a period range: expected FROM..TO`);
  const [a = '', b = ''] = parts;
  const from = a.trim() === '' ? null : parsePeriod(a);
  const to = b.trim() === '' ? null : parsePeriod(b);
  if (from && to && periodDate(from) > periodEndDate(to)) {
    throw new PeriodError(`period range "${text}" ends before it starts`);
  }
  return { from, to };
}

/** Last day (exclusive upper bound as a month start) — used to compare ranges of mixed frequency. */
export function periodEndDate(p: Period): string {
  if (p.freq === 'year') return `${p.year}-12-01`;
  if (p.freq === 'fy') return `${p.year}-09-01`;
  return periodDate(p);
}

export const MONTHS_ES = [
  'Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio', 'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre',
] as const;
export const MONTHS_EN = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
] as const;
