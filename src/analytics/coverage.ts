import type { ReadTx } from '../store/index.js';
import { cached } from './read-cache.js';
import { lit } from '../store/index.js';


/** One month a series holds: `key` = year × 100 + month. */
interface SeriesMonth {
  readonly series: string;
  readonly year: number;
  readonly month: number;
}

/**
 * The months each series of an indicator holds (monthly and 12-month-ending data), current or as of a past instant.
 * From it come: the last month of data ("data through June 2025"), the published range (where absent means zero),
 * the months of the latest year (year-to-date comparisons) and each year's month count over the whole series.
 */
export class SeriesCoverage {
  /** What the answers derive from the months, kept with them: a current coverage is shared by every request until the
   * store's next commit (`read`), and is never changed. */
  private readonly derived = new Map<string, unknown>();

  private constructor(
    private readonly months: readonly SeriesMonth[], private readonly series: readonly string[],
    /** The frequencies each series is stored at (current data only; null as of a past instant). */
    readonly frequencies: ReadonlyMap<string, ReadonlySet<string>> | null,
  ) {}

  static async read(tx: ReadTx, series: readonly string[], visible: string, asOf: string | null): Promise<SeriesCoverage> {
    const list = `(${series.map(lit).join(', ')})`;
    if (asOf === null) {
      // Current data: one read of the periods table gives the months, the monthly series and every series' frequencies.
      // Built once per store generation (read-cache.ts) and shared, with what is derived from it, by every request.
      const sql = `SELECT series, freq, year::INT AS year, month::INT AS month FROM series_period WHERE series IN ${list}`;
      return cached(tx, `coverage: ${sql}`, async () => {
        const rows = await tx.all<SeriesMonth & { freq: string } & Record<string, unknown>>(sql);
        const frequencies = new Map<string, Set<string>>();
        for (const r of rows) frequencies.set(r.series, (frequencies.get(r.series) ?? new Set<string>()).add(r.freq));
        const months = rows.filter((r) => r.freq === 'month' || r.freq === 'r12').map((r) => ({ series: r.series, year: Number(r.year), month: Number(r.month) }));
        return new SeriesCoverage(months, [...frequencies].filter(([, f]) => f.has('month')).map(([s]) => s), frequencies);
      });
    }
    const rows = await tx.all<SeriesMonth & Record<string, unknown>>(
      `SELECT DISTINCT series, year::INT AS year, month::INT AS month FROM ${visible} o WHERE freq IN ('month', 'r12') AND series IN ${list}`);
    const monthly = await tx.all<{ series: string }>(`SELECT DISTINCT series FROM series_period WHERE freq = 'month' AND series IN ${list}`);
    return new SeriesCoverage(rows.map((r) => ({ series: r.series, year: Number(r.year), month: Number(r.month) })), monthly.map((r) => r.series), null);
  }

  /** `compute()`'s value under `key`, worked out once per coverage. */
  private once<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }

  /** The last month any series holds, as YYYY-MM; undefined without monthly data. */
  get through(): string | undefined {
    return this.once('through', () => {
      const last = Math.max(...this.months.map((m) => m.year * 100 + m.month));
      return Number.isFinite(last) ? `${Math.floor(last / 100)}-${String(last % 100).padStart(2, '0')}` : undefined;
    });
  }

  /** First and last month key (year × 100 + month) of the monthly series: the range the publisher covered. */
  get range(): Readonly<{ first: number; last: number }> | null {
    return this.once('range', () => {
      const keys = this.months.filter((m) => this.series.includes(m.series)).map((m) => m.year * 100 + m.month);
      return keys.length === 0 ? null : { first: Math.min(...keys), last: Math.max(...keys) };
    });
  }

  /** The months (1–12) the latest calendar (or U.S. fiscal) year holds; null without monthly series. */
  latestYearMonths(fiscal: boolean): readonly number[] | null {
    return this.once(`latest ${fiscal}`, () => this.computeLatestYearMonths(fiscal));
  }

  private computeLatestYearMonths(fiscal: boolean): number[] | null {
    const monthly = this.months.filter((m) => this.series.includes(m.series));
    if (monthly.length === 0) return null;
    const yearOf = (m: SeriesMonth) => (fiscal && m.month >= 10 ? m.year + 1 : m.year);
    const latest = Math.max(...monthly.map(yearOf));
    return [...new Set(monthly.filter((m) => yearOf(m) === latest).map((m) => m.month))].sort((a, b) => a - b);
  }

  /**
   * Months per calendar (or fiscal) year over the whole series — the fewest among the monthly series — counting only
   * `within` when given (a year-to-date comparison). A year is complete with 12 (or `within.length`).
   */
  monthsPerYear(fiscal: boolean, within: readonly number[] | null): ReadonlyMap<number, number> {
    return this.once(`per year ${fiscal} ${within?.join(',') ?? ''}`, () => this.computeMonthsPerYear(fiscal, within));
  }

  private computeMonthsPerYear(fiscal: boolean, within: readonly number[] | null): Map<number, number> {
    const perSeries = new Map<string, Map<number, number>>();
    for (const m of this.months) {
      if (!this.series.includes(m.series) || (within && !within.includes(m.month))) continue;
      const year = fiscal && m.month >= 10 ? m.year + 1 : m.year;
      const years = perSeries.get(m.series) ?? new Map<number, number>();
      years.set(year, (years.get(year) ?? 0) + 1);
      perSeries.set(m.series, years);
    }
    const out = new Map<number, number>();
    for (const years of perSeries.values()) for (const [year, n] of years) out.set(year, Math.min(out.get(year) ?? n, n));
    return out;
  }
}

const LOCALE = { es: 'es-MX', en: 'en-US' } as const;
// Made once: building an Intl.DateTimeFormat costs more than a whole small answer's rows.
const MONTH_ONLY = {
  es: new Intl.DateTimeFormat(LOCALE.es, { month: 'long', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat(LOCALE.en, { month: 'long', timeZone: 'UTC' }),
};
const MONTH_YEAR = {
  es: new Intl.DateTimeFormat(LOCALE.es, { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat(LOCALE.en, { month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const monthOnly = (lang: 'es' | 'en', m: number) => MONTH_ONLY[lang].format(new Date(Date.UTC(2000, m - 1, 1)));

/** "enero–junio" / "January–June" for a run of months (or the list when they are not consecutive). */
export function monthSpan(months: readonly number[], lang: 'es' | 'en'): string {
  const names = months.map((m) => monthOnly(lang, m));
  const consecutive = months.every((m, i) => i === 0 || m === (months[i - 1] ?? 0) % 12 + 1);
  if (names.length === 1) return names[0] ?? '';
  return consecutive ? `${names[0]}–${names.at(-1)}` : names.join(', ');
}

/** "junio de 2025" / "June 2025" from YYYY-MM (or YYYY-MM-DD). */
export function monthName(yearMonth: string, lang: 'es' | 'en'): string {
  const [y, m] = yearMonth.split('-').map(Number);
  return MONTH_YEAR[lang].format(new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, 1)));
}

/** Whether an indicator has monthly data to compare the same months of each year on (`ytd`): CDC's 12-month periods do not. */
export async function hasMonthlySeries(tx: ReadTx, series: readonly string[]): Promise<boolean> {
  if (series.length === 0) return false;
  const rows = await tx.all(`SELECT 1 AS one FROM series_period WHERE freq = 'month' AND series IN (${series.map(lit).join(', ')}) LIMIT 1`);
  return rows.length > 0;
}
