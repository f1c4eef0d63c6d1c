import { lit } from './sql-text.js';

/** The series and years a write changed: their sums are rebuilt; `years` null means every year of the series. */
export interface Touched {
  readonly series: string;
  readonly years: readonly number[] | null;
}

/** What was touched, one entry per series: its years (merged), or null for every year. */
export function touchedBySeries(touched: readonly Touched[]): Map<string, ReadonlySet<number> | null> {
  const bySeries = new Map<string, ReadonlySet<number> | null>();
  for (const t of touched) {
    const had = bySeries.get(t.series);
    bySeries.set(t.series, had === null || t.years === null ? null : new Set([...(had ?? []), ...t.years]));
  }
  return bySeries;
}

/** SQL condition on `alias`'s series and year: one series, in `years` (null: every year). */
export function seriesYearsCondition(series: string, years: ReadonlySet<number> | null, alias: string): string {
  return years === null
    ? `${alias}.series = ${lit(series)}`
    : `(${alias}.series = ${lit(series)} AND ${alias}.year IN (${[...years].sort((a, b) => a - b).join(', ')}))`;
}

/** SQL condition on `alias`'s series and year for what was touched; null when nothing was. */
export function touchedCondition(touched: readonly Touched[], alias: string): string | null {
  if (touched.length === 0) return null;
  return `(${[...touchedBySeries(touched)].map(([series, years]) => seriesYearsCondition(series, years, alias)).join(' OR ')})`;
}
