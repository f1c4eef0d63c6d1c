/**
 * Pure choices a chart makes before drawing (no DOM): how series look, whether a log scale is honest, how a fiscal
 * year is named on an axis, where a line must break. Unit-tested in Node.
 */

/** Okabe–Ito (minus yellow, weak on white), ordered so neighbours differ in lightness too. */
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;
/**
 * Second channel for greyscale and colour-blind readers. Six patterns: with seven colours, 42 distinct pairs. None is a
 * plain dotted line: dots mean values over a projected population (PROJECTED_DASH in chart.ts).
 */
export const SERIES_DASHES = ['none', '6,3', '14,4', '10,3,2,3', '10,3,2,3,2,3', '4,2,4,7'] as const;

export interface SeriesStyle {
  readonly color: string;
  readonly dash: string;
}

/** Most series one chart draws with a colour and dash pair no other series has (7 colours × 6 dashes). */
export const MAX_DISTINCT_SERIES = SERIES_COLORS.length * SERIES_DASHES.length;

/**
 * The look of `count` series: series i takes colour i mod 7 and dash i mod 6. Since 7 and 6 share no factor, the pair
 * (i mod 7, i mod 6) repeats only after 42 series (Chinese remainder theorem), so up to 42 series no two look alike;
 * the first six differ in both colour and dash. Beyond 42 the caller draws small multiples instead.
 */
export function seriesStyles(count: number): SeriesStyle[] {
  if (count > MAX_DISTINCT_SERIES) throw new RangeError(`${count} series cannot all look different in one chart: draw small multiples`);
  return Array.from({ length: count }, (_, i) => ({
    color: SERIES_COLORS[i % SERIES_COLORS.length] as string,
    dash: SERIES_DASHES[i % SERIES_DASHES.length] as string,
  }));
}

/** Whether a logarithmic y axis is honest for these values: never with a zero (log 0 is −∞) or a negative value. */
export type LogEligibility = 'ok' | 'zero' | 'negative' | 'empty';

export function logEligibility(values: readonly number[]): LogEligibility {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 'empty';
  if (finite.some((v) => v < 0)) return 'negative';
  if (finite.some((v) => v === 0)) return 'zero';
  return 'ok';
}

/** Orders of magnitude the positive values span (log10 of max / min); 0 when there is nothing to compare. */
export function magnitudeSpan(values: readonly number[]): number {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length < 2) return 0;
  return Math.log10(Math.max(...positive) / Math.min(...positive));
}

/** On a log axis, only ticks whose leading digit is 1, 2 or 5 carry a label (1, 2, 5, 10, 20, 50…): the rest stay unlabelled lines. */
export function logTickLabelled(value: number): boolean {
  if (!(value > 0)) return false;
  const leading = Math.round(value / 10 ** Math.floor(Math.log10(value) + 1e-9));
  return leading === 1 || leading === 2 || leading === 5;
}

/**
 * Position of a period on its own frequency's ladder: months (and rolling 12-month periods) count months, years and
 * fiscal years count years. Two periods of one series are neighbours when their positions differ by one.
 */
export function periodStep(period: string): number {
  const month = /^(?:12m-ending-)?(\d{4})-(\d{2})$/.exec(period);
  if (month) return Number(month[1]) * 12 + Number(month[2]) - 1;
  const year = /^(?:FY)?(\d{4})$/.exec(period);
  return year ? Number(year[1]) : Number.NaN;
}

/**
 * Run numbers for a series' points in period order: a new run starts after a partial period (which is never joined to
 * the complete ones) and, with `breakGaps`, after a missing period (a month without a row is a gap, not a zero).
 * Returns the complete points, each with its run.
 */
export function lineRuns<T extends { readonly period: string; readonly flags: readonly string[] }>(points: readonly T[], breakGaps: boolean): (T & { run: number })[] {
  let run = 0;
  let previous: number | null = null;
  const out: (T & { run: number })[] = [];
  for (const p of points) {
    const step = periodStep(p.period);
    if (breakGaps && previous !== null && Number.isFinite(step) && step - previous > 1) run += 1;
    previous = Number.isFinite(step) ? step : previous;
    if (p.flags.includes('partial-period')) run += 1;
    else out.push({ ...p, run });
  }
  return out;
}
