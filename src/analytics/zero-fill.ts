import { parsePeriodRange, periodMonthKey, type Indicator, type QualityFlag, type QueryParams, type ResultRow } from '../domain/index.js';
import { AGGREGATE_TABLE, type ReadTx } from '../store/index.js';
import { selectionCondition, type GeoSelection } from './geo-selection.js';
import { cachedAll } from './read-cache.js';
import { lit } from '../store/index.js';

interface FillContext {
  /** First and last month the publisher covered (year × 100 + month). */
  readonly range: { first: number; last: number } | null;
  /** Months per year over the series (partial years stay flagged when filled). */
  readonly coverage: ReadonlyMap<number, number>;
  readonly fullYear: number;
  readonly fiscal: boolean;
}

/** What a zero needs from the store: the places it may stand for and the releases it comes from. */
export interface ZeroSources {
  readonly places: readonly { code: string; name_es: string; name_en: string }[];
  readonly releases: readonly number[];
}

/**
 * Reads the selected places (at the indicator's levels) and the releases that published the series: a zero comes from
 * them (the value is what they leave out). `visible` is the SQL of the observations the query sees (now, or as of an
 * instant); for current data the releases are read at the top-level places, where every current observation is stored
 * or summed (the aggregates and the places' own observations).
 */
export async function zeroFillSources(
  tx: ReadTx, indicator: Indicator, geos: GeoSelection, source: { visible: string; current: boolean },
): Promise<ZeroSources> {
  const condition = selectionCondition(geos, 'code', indicator.levels);
  if (condition === null) return { places: [], releases: [] };
  const series = indicator.numerator.map((t) => lit(t.series)).join(', ');
  // Every current observation is stored at a top-level place or summed at one: the releases of both, at those places.
  const top = `o.geo IN (SELECT code FROM geo WHERE parent IS NULL) AND o.series IN (${series})`;
  const releasesSql = source.current
    ? `SELECT release_id AS id FROM ${AGGREGATE_TABLE} o WHERE ${top} UNION SELECT release_id FROM observation o WHERE o.superseded_by IS NULL AND ${top} ORDER BY 1`
    : `SELECT DISTINCT release_id AS id FROM ${source.visible} o WHERE o.series IN (${series}) ORDER BY 1`;
  const [places, releases] = await Promise.all([
    cachedAll<{ code: string; name_es: string; name_en: string }>(tx, `SELECT code, name_es, name_en FROM geo WHERE ${condition} ORDER BY code`),
    cachedAll<{ id: number }>(tx, releasesSql),
  ]);
  return { places, releases: releases.map((r) => Number(r.id)) };
}

/** The periods of the published range, at the query's frequency, inside the asked range. */
function publishedPeriods(params: QueryParams, range: { first: number; last: number }, fiscal: boolean): string[] {
  const { from, to } = parsePeriodRange(`${params.from ?? ''}..${params.to ?? ''}`);
  const lo = from ? periodMonthKey(from, false) : 0;
  const hi = to ? periodMonthKey(to, true) : 999_912;
  const out = new Set<string>();
  for (let y = Math.floor(range.first / 100); y <= Math.floor(range.last / 100); y += 1) {
    for (let m = 1; m <= 12; m += 1) {
      const key = y * 100 + m;
      if (key < range.first || key > range.last || key < lo || key > hi) continue;
      if (params.freq === 'month') out.add(`${y}-${String(m).padStart(2, '0')}`);
      else if (fiscal) out.add(`FY${m >= 10 ? y + 1 : y}`);
      else out.add(String(y));
    }
  }
  return [...out];
}

/**
 * Where the publisher leaves out zero counts (RNPDNO publishes only municipality-months with someone), a selected place
 * without a row in a period of the published range has 0 — never outside that range, where nothing was published.
 */
export function fillAbsentAsZero(params: QueryParams, rows: readonly ResultRow[], sources: ZeroSources, ctx: FillContext): ResultRow[] {
  if (ctx.range === null || sources.places.length === 0) return [...rows];
  const { places, releases } = sources;
  const periods = publishedPeriods(params, ctx.range, ctx.fiscal);
  const present = new Set(rows.map((r) => `${r.geo}|${r.period}`));
  // What a zero of each period carries is the same for every place: worked out once per period, not per place.
  const perPeriod = periods.map((period) => {
    const year = Number(period.replace(/^FY/, '').slice(0, 4));
    const months = params.freq === 'month' ? undefined : ctx.coverage.get(year);
    const partial = months !== undefined && months < ctx.fullYear;
    const flags: QualityFlag[] = partial ? ['partial-period'] : [];
    return { period, months, flags };
  });
  // One array of release ids for every zero, and one of flags per period: a row's arrays are replaced, never changed.
  const releaseIds = [...releases];
  const added: ResultRow[] = [];
  for (const place of places) {
    const name = params.lang === 'es' ? place.name_es : place.name_en;
    for (const { period, months, flags } of perPeriod) {
      if (present.has(`${place.code}|${period}`)) continue;
      const row: ResultRow = { geo: place.code, geo_name: name, period, value: 0, numerator: 0, denominator: null, flags, release_ids: releaseIds };
      if (months !== undefined) row.months = months;
      added.push(row);
    }
  }
  return [...rows, ...added];
}
