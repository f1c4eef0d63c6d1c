import { dataVersion, hasMonthlySeries, indicatorDetail, queryIndicator } from '../analytics/index.js';
import type { Dimension, Indicator, Measure, QueryFreq, QueryResult, ResultRow } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { shownMeasure, t, type MeasureChoice, type SiteLang } from '../web/index.js';
import { dimensionLabel } from '../catalog/index.js';

/**
 * The place an indicator's country-level series is at: Mexico (00), the United States, the binational border area
 * (`US-MX`) for `migrants.*`, or — for the U.S. border indicators, which are defined for one CBP region
 * (`us.border.fentanyl_seized` is the Southwest Border) — the region of their baseline.
 */
export const nationOf = (i: Indicator): string =>
  i.code.startsWith('us.') ? (i.baseline.geo.startsWith('US-') ? i.baseline.geo : 'US') : i.code.startsWith('migrants.') ? 'US-MX' : '00';
export const hasStates = (i: Indicator): boolean => i.levels.includes('state');
/** CBP regions (Southwest Border, Northern Border, Coastal/Interior). */
export const hasRegions = (i: Indicator): boolean => i.levels.includes('region');
/** Where a page opens: the country (or CBP region), or (for indicators published only by state) the baseline's state. */
export const defaultGeo = (i: Indicator): string => (i.levels.includes('country') ? nationOf(i) : i.baseline.geo);
/** U.S. fiscal years first where an indicator has them (CBP and DHS publish by fiscal year), then calendar years, then months. */
export const defaultFreq = (i: Indicator): QueryFreq =>
  i.frequencies.includes('fy') ? 'fy' : i.frequencies.includes('year') ? 'year' : 'month';
/** The frequency maps and state profiles use: years where published, else months. */
export const primaryFreq = (i: Indicator): 'year' | 'month' => (i.frequencies.includes('year') ? 'year' : 'month');
/**
 * The places of an indicator's data file: the United States and every CBP region; or the country where it is published
 * and every state where they are (state-only indicators hold the states only).
 */
export const filePlaces = (i: Indicator): string[] =>
  hasRegions(i)
    ? ['US', 'level:region']
    : [...(i.levels.includes('country') ? [nationOf(i)] : []), ...(hasStates(i) ? ['level:state'] : [])];
export const hasMunicipalities = (i: Indicator): boolean => i.levels.includes('municipality');

/** A count of people that has a rate per population. */
export const hasRate = (i: Indicator): boolean => i.rate !== undefined;
/** The measure a view shows (see shownMeasure): maps and state ranks default to the rate, the municipal map shows counts. */
export const effectiveMeasure = (i: Indicator, choice: MeasureChoice): Measure => shownMeasure(hasRate(i), choice);
/** The state map's default view: the measure state ranks and state maps use. */
export const STATE_MAP_DEFAULT: MeasureChoice = { view: 'map', map: 'states', measure: null, by: null };
/** Monthly values that can be annualised: a count's rate, or a ratio that is the rate of a count. */
export const canAnnualise = (i: Indicator, measure: Measure, freq: QueryFreq): boolean =>
  freq === 'month' && ((measure === 'rate' && hasRate(i)) || i.rateOf !== undefined);
/**
 * The data file of a view: `year`, `month-rate`, `month-rate-annualised`, `month-annualised` (mx.homicide.rate), and
 * with the same months of each year `year-ytd`, `year-rate-ytd`.
 */
export const dataFileName = (freq: QueryFreq, measure: Measure, annualise: boolean, ytd = false, by: Dimension | null = null): string =>
  `${freq}${measure === 'rate' ? '-rate' : ''}${annualise ? '-annualised' : ''}${ytd ? '-ytd' : ''}${by ? `-by-${by}` : ''}`;

/** The breakdowns a page offers as controls: sex, age group, weapon or modality, subtype. */
export const PAGE_BREAKDOWNS = ['sex', 'age', 'modality', 'crime_subtype'] as const satisfies readonly Dimension[];
/**
 * Those of an indicator's dimensions the page offers: counts only (a ratio's denominator has no breakdown, and no
 * population by weapon exists), so a breakdown always shows counts.
 */
export const breakdowns = (i: Indicator): Dimension[] => (i.denominator ? [] : PAGE_BREAKDOWNS.filter((d) => i.dimensions.includes(d)));

/** What a data file holds beyond the count: a rate, annualised monthly rates, the same months of each year. */
export interface DataFileView {
  readonly measure?: Measure;
  readonly annualise?: boolean;
  readonly ytd?: boolean;
  /** A breakdown (counts only): one row per place, period and value of the dimension. */
  readonly by?: Dimension | null;
}

/** A breakdown's values as the page's language names them (an absent value is "not recorded"). */
export function breakdownLabels(by: Dimension, rows: readonly ResultRow[], lang: SiteLang): Record<string, string> {
  const values = [...new Set(rows.map((r) => r.dimension ?? ''))];
  return Object.fromEntries(values.map((v) => [v, v === '' ? t(lang, 'breakdownNoValue') : dimensionLabel(by, v, lang)]));
}

const memo = new Map<string, Promise<unknown>>();
let memoVersion = '';

/** Pages share the same few queries (a state page needs every indicator's file): compute each once per data version. */
export async function remember<T>(tx: ReadTx, key: string, produce: () => Promise<T>): Promise<T> {
  const version = await dataVersion(tx);
  if (version !== memoVersion) {
    memo.clear();
    memoVersion = version;
  }
  if (!memo.has(key)) memo.set(key, produce().catch((error: unknown) => {
    memo.delete(key);
    throw error;
  }));
  return memo.get(key) as Promise<T>;
}

/**
 * The data file the client loads for an indicator page: nation and (where published) every state, all periods; as a
 * rate, annualised, or (`ytd`) every year over the months the latest year has (`year-ytd.json`, `year-rate-ytd.json`).
 */
export function dataFile(tx: ReadTx, indicator: Indicator, freq: QueryFreq, lang: SiteLang, view: DataFileView = {}): Promise<QueryResult> {
  const geo = filePlaces(indicator);
  const { measure = 'count', annualise = false, ytd = false, by = null } = view;
  return remember(tx, `file|${indicator.code}|${dataFileName(freq, measure, annualise, ytd, by)}|${lang}`, () =>
    queryIndicator(tx, {
      indicator: indicator.code, geo, from: null, to: null, freq, by, lang, asOf: null,
      ...(measure === 'rate' ? { measure } : {}), ...(annualise ? { annualise } : {}), ...(ytd ? { ytd } : {}),
    }));
}

/** The yearly frequencies on which an indicator offers a same-months comparison: those built from monthly data. */
export async function ytdFrequencies(tx: ReadTx, indicator: Indicator): Promise<QueryFreq[]> {
  const monthly = await hasMonthlySeries(tx, indicator.numerator.map((t) => t.series));
  return monthly ? indicator.frequencies.filter((f) => f === 'year' || f === 'fy') : [];
}

export function municipalFile(tx: ReadTx, indicator: Indicator, year: string, lang: SiteLang): Promise<QueryResult> {
  return queryIndicator(tx, { indicator: indicator.code, geo: ['level:municipality'], from: year, to: year, freq: 'year', by: null, lang, asOf: null });
}

export interface Card {
  readonly indicator: Indicator;
  readonly baseline: ResultRow | null;
  readonly latest: ResultRow | null;
  readonly latestComplete: ResultRow | null;
  /** Complete years of the national series, oldest first, for the sparkline. */
  readonly series: readonly ResultRow[];
  /** How far the data goes (and the status date of counts at retrieval), for "data through June 2025". */
  readonly coverage: Pick<QueryResult, 'through' | 'status_as_of'>;
}

export function card(tx: ReadTx, indicator: Indicator, lang: SiteLang): Promise<Card> {
  return remember(tx, `card|${indicator.code}|${lang}`, () => computeCard(tx, indicator, lang));
}

async function computeCard(tx: ReadTx, indicator: Indicator, lang: SiteLang): Promise<Card> {
  const detail = await indicatorDetail(tx, indicator.code, lang);
  const series = await queryIndicator(tx, { indicator: indicator.code, geo: [defaultGeo(indicator)], from: null, to: null, freq: defaultFreq(indicator), by: null, lang, asOf: null });
  return {
    indicator,
    baseline: detail.baseline.row,
    latest: detail.latest,
    latestComplete: detail.latestComplete,
    series: series.rows.filter((r) => r.value !== null && !r.flags.includes('partial-period')),
    coverage: { ...(series.through ? { through: series.through } : {}), ...(series.status_as_of ? { status_as_of: series.status_as_of } : {}) },
  };
}

export interface ProfileRow {
  readonly indicator: Indicator;
  readonly period: string | null;
  readonly state: ResultRow | null;
  readonly national: ResultRow | null;
  /** 1 = highest value among the 32 states in that period: the rate where the indicator has one. */
  readonly rank: number | null;
  readonly measure: Measure;
  /** The unit of the values shown (the rate's, for counts of people). */
  readonly unit: string;
}

/** Every state-level indicator for one state beside the national value, in the latest complete year, with its rank. */
export async function stateProfile(tx: ReadTx, indicators: readonly Indicator[], state: string, lang: SiteLang): Promise<ProfileRow[]> {
  const out: ProfileRow[] = [];
  for (const indicator of indicators.filter(hasStates)) {
    // Counts of people are ranked by their rate: a count ranks the most populous states first.
    const measure = effectiveMeasure(indicator, STATE_MAP_DEFAULT);
    const file = await dataFile(tx, indicator, primaryFreq(indicator), lang, { measure });
    // Projections (population to 2070) are not a state's latest figure.
    const thisYear = new Date().getUTCFullYear();
    const complete = file.rows.filter((r) => r.value !== null && !r.flags.includes('partial-period') && Number(r.period.slice(0, 4)) <= thisYear);
    const period = complete.filter((r) => r.geo === state).map((r) => r.period).sort().at(-1) ?? null;
    const inPeriod = complete.filter((r) => r.period === period && r.geo !== nationOf(indicator));
    const stateRow = inPeriod.find((r) => r.geo === state) ?? null;
    const sorted = [...inPeriod].sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
    out.push({
      indicator,
      period,
      state: stateRow,
      national: complete.find((r) => r.period === period && r.geo === nationOf(indicator)) ?? null,
      rank: stateRow ? sorted.findIndex((r) => r.geo === state) + 1 : null,
      measure,
      unit: file.unit,
    });
  }
  return out;
}
