import { findIndicator, loadCatalog } from '../catalog/index.js';
import {
  ANNUALISATION_METHOD, RequestError, annualiseMonthlyRate, rateIndicator, parsePeriodRange, periodMonthKey, type Indicator, type Period, type QueryParams, type QueryResult,
  type QualityFlag, type ResultRow, type SeriesTerm,
} from '../domain/index.js';
import { keptTermIds, termFilter, termId, type Dialect, type ReadTx } from '../store/index.js';
import { geoItems, selectGeos, selectionCondition, type GeoSelection, type PlaceSelection } from './geo-selection.js';
import { attachSourceLinks } from './source-links.js';
import { SeriesCoverage, monthName, monthSpan } from './coverage.js';
import { fillAbsentAsZero, zeroFillSources } from './zero-fill.js';
import { readAggregates, type AggregateQuery } from './from-aggregates.js';
import type { ReadPart } from './shared-reads.js';
import { cached, cachedAll, keepsReads } from './read-cache.js';
import { inList, lit } from '../store/index.js';

/** Instants as `YYYY-MM-DDTHH:MM:SSZ` whatever the store gives (both give ISO text). */
export const isoSecond = (v: unknown): string => `${String(v).slice(0, 19)}Z`;


/** The sorted distinct release ids and flags of a group: DuckDB's list functions, or PostgreSQL's arrays. */
function distinctSorted(dialect: Dialect, releaseId: string, flags: string): string {
  if (dialect === 'duckdb') {
    return `list_sort(list_distinct(list(${releaseId}))) AS releases, list_sort(list_distinct(flatten(list(${flags})))) AS flags`;
  }
  // Flag arrays differ in length, so they are joined to text and split again (array_agg of arrays needs equal lengths).
  return `ARRAY(SELECT DISTINCT r FROM unnest(array_agg(${releaseId})) AS r ORDER BY 1) AS releases,
          ARRAY(SELECT DISTINCT f FROM unnest(string_to_array(string_agg(array_to_string(${flags}, ','), ','), ',')) AS f WHERE f <> '' ORDER BY 1) AS flags`;
}

/** Observations visible now, or as of a past instant (the releases imported by then, minus those superseded by then). */
function visibleObservations(asOf: string | null): string {
  if (asOf === null) return `(SELECT * FROM observation WHERE superseded_by IS NULL)`;
  const known = `(SELECT id FROM release WHERE imported_at <= ${lit(asOf)}::TIMESTAMPTZ)`;
  return `(SELECT * FROM observation WHERE release_id IN ${known} AND (superseded_by IS NULL OR superseded_by NOT IN ${known}))`;
}

/**
 * Whether the store keeps the yearly sums of all these terms: a DuckDB store, read once per store generation (a store
 * opened read-only at an earlier schema has no such table: no).
 */
async function keepsTermSums(tx: ReadTx, ids: readonly string[]): Promise<boolean> {
  if (tx.dialect !== 'duckdb' || !keepsReads(tx)) return false;
  const kept = await cached(tx, 'kept term sums', () => keptTermIds(tx).catch(() => new Set<string>()));
  return ids.every((id) => kept.has(id));
}

function bounds(from: Period | null, to: Period | null): { lo: number; hi: number } {
  return { lo: from ? periodMonthKey(from, false) : 0, hi: to ? periodMonthKey(to, true) : 999_912 };
}

export interface Part {
  geo: string;
  name_es: string;
  name_en: string;
  period: string;
  year: number;
  dimension: string | null;
  value: number;
  releases: number[];
  flags: string[];
  native_freq: string;
  level: string;
  /** Fewest months any stored place under this one published in the period (years built from months only). */
  geo_months: number | null;
}

/** How a year built from months is checked and cut: per place (not per source), and over the same months (YTD). */
interface MonthScope {
  /** Count each stored place's published months (off where absence means zero: RNPDNO omits zero rows). */
  readonly perPlace: boolean;
  /** Sum only these months of every year (the months the latest year has). */
  readonly ytdMonths: readonly number[] | null;
}

/**
 * Sums a formula's terms at the selected places. Two stages: observations are first summed per stored place and period
 * (hundreds of thousands of rows → hundreds), and only those sums are rolled up through `geo_ancestor`.
 */
async function aggregate(
  tx: ReadTx, terms: readonly SeriesTerm[], indicator: Indicator, params: QueryParams, geos: GeoSelection,
  periodKey: 'output' | 'year', scope: MonthScope = { perPlace: false, ytdMonths: null },
): Promise<Part[]> {
  const usable = terms
    .map((term, index) => ({
      index, filter: termFilter(term, indicator.defaults, params.by), filterAfterScan: termFilter(term, indicator.defaults, params.by, true),
      places: selectionCondition(geos, 'a.ancestor', term.levels),
    }))
    .filter((t): t is { index: number; filter: string; filterAfterScan: string; places: string } => t.places !== null);
  if (usable.length === 0) return [];
  const { from, to } = parsePeriodRange(`${params.from ?? ''}..${params.to ?? ''}`);
  const { lo, hi } = bounds(from, to);
  // U.S. fiscal years (FY2023 = October 2022 – September 2023) are built from calendar months; a series published by
  // fiscal year (`o.freq = 'fy'`, year = the fiscal year) is read as it is.
  const fiscalYear = `(CASE WHEN o.freq = 'fy' THEN o.year WHEN o.month >= 10 THEN o.year + 1 ELSE o.year END)`;
  const fiscal = params.freq === 'fy' && periodKey === 'output';
  // A U.S. fiscal year keeps its own label (FY2022) in yearly output: it is not the calendar year.
  const period = fiscal
    ? `'FY' || ${fiscalYear}::VARCHAR`
    : periodKey === 'year' || params.freq === 'year' ? `CASE WHEN o.freq = 'fy' THEN o.period ELSE o.year::VARCHAR END` : `o.period`;
  const year = fiscal ? fiscalYear : 'o.year';
  // A yearly denominator is matched on the year, whatever the numerator's frequency.
  const ytd = scope.ytdMonths && periodKey === 'output' ? ` AND (o.freq <> 'month' OR o.month IN (${scope.ytdMonths.join(', ')}))` : '';
  const periodFilterFor = (lo: number, hi: number) =>
    periodKey === 'year'
      ? `o.year BETWEEN ${Math.floor(lo / 100)} AND ${Math.floor(hi / 100)}`
      : params.freq === 'year'
        ? `o.year BETWEEN ${Math.floor(lo / 100)} AND ${Math.floor(hi / 100)} AND (o.freq <> 'r12' OR o.month = 12)`
        : fiscal
          ? `((o.freq = 'month' AND (o.year::INT * 100 + o.month) BETWEEN ${lo} AND ${hi}) OR (o.freq = 'fy' AND (o.year::INT * 100 + 9) BETWEEN ${lo} AND ${hi}))`
          : `o.freq <> 'year' AND (o.year::INT * 100 + o.month) BETWEEN ${lo} AND ${hi}`;
  const periodFilter = periodFilterFor(lo, hi);
  // Narrow the scan to the places asked for, unless a whole country is (then everything is in scope anyway).
  const wholeCountry = geos.explicit.some((g) => g.level === 'country') || geos.expansions.some((e) => e.level === 'country');
  const filters = usable.map((t) => (wholeCountry ? t.filter : `(${t.filter} AND o.geo IN (SELECT a.geo FROM geo_ancestor a WHERE ${t.places}))`)).join(' OR ');
  // Completeness per place: the months each stored place published for the indicator's rows, in each year; a place
  // rolled up from several gets the fewest, so a national total that includes an incomplete state is partial.
  const perPlace = scope.perPlace && periodKey === 'output' && params.freq !== 'month';
  const monthsPerPlace = `SELECT o.series, o.geo, ${year} AS year, count(DISTINCT o.month) AS months
      FROM ${visibleObservations(params.asOf)} o
      WHERE o.freq = 'month' AND (${filters}) AND ${periodFilter}${ytd}
      GROUP BY 1, 2, 3`;
  const placeMonths = perPlace ? `, m AS (${monthsPerPlace})` : '';
  const dimension = params.by && periodKey === 'output' ? `o.${params.by}` : 'NULL::VARCHAR';
  if (params.asOf === null) {
    // Calendar years of the terms' own values, with no breakdown or same-months cut: from the terms' yearly sums
    // (term-sums.ts), where the store keeps those of every term read. Terms of one series each, so that no observation
    // is counted for two of them (the observations' read counts it once).
    const termIds = usable.map((t) => termId(terms[t.index] as SeriesTerm, indicator.defaults));
    const fromTermSums = periodKey === 'output' && params.freq === 'year' && params.by === null && scope.ytdMonths === null
      && new Set(usable.map((t) => terms[t.index]?.series)).size === usable.length && await keepsTermSums(tx, termIds);
    // Current data: a place's own observations and the sums of what lies under it (observation_aggregate, kept by every
    // import) are read at the places asked for, without a scan of what lies under them or a join through geo_ancestor.
    const queryOf = (sel: PlaceSelection, where: string, years: readonly [number, number]): AggregateQuery => ({
      direct: usable.map((t) => {
        const filter = tx.dialect === 'duckdb' && sel.expansions.length === 0 ? t.filterAfterScan : t.filter;
        return `(${filter} AND ${selectionCondition(sel, 'o.geo', terms[t.index]?.levels, tx.dialect) ?? 'false'})`;
      }).join(' OR '),
      period, year, dimension, where: `${where}${ytd}`, monthsPerPlace: perPlace ? monthsPerPlace : null, places: sel,
      ...(fromTermSums ? {
        termSums: {
          direct: usable.map((t, i) => `(o.term = ${lit(termIds[i] as string)} AND ${selectionCondition(sel, 'o.geo', terms[t.index]?.levels, tx.dialect) ?? 'false'})`).join(' OR '),
          where: `o.year BETWEEN ${years[0]} AND ${years[1]}`,
        },
      } : {}),
    });
    // By years and at places named one by one: a read concurrent requests of the same shape may share (shared-reads.ts).
    const byYears = periodKey === 'year' || params.freq === 'year';
    const shareable = byYears && geos.expansions.length === 0
      ? {
        part: { places: geos.explicit, years: [Math.floor(lo / 100), Math.floor(hi / 100)] as const },
        queryFor: (part: ReadPart) => queryOf({ explicit: part.places, expansions: [] }, periodFilterFor(part.years[0] * 100 + 1, part.years[1] * 100 + 12), part.years),
      }
      : null;
    return readAggregates(tx, queryOf(geos, periodFilter, [Math.floor(lo / 100), Math.floor(hi / 100)]), shareable);
  }
  // One term needs no CASE; several tell their rows apart so each rolls up to its own levels.
  const term = usable.length === 1 ? `${usable[0]?.index ?? 0}` : `CASE ${usable.map((t) => `WHEN ${t.filter} THEN ${t.index}`).join(' ')} END`;
  const rollUp = usable.map((t) => `(s.term = ${t.index} AND ${t.places})`).join(' OR ');
  // Stage 1 groups by release and flags too: plain sums, no per-row list building; stage 2 collects them.
  return tx.all<Part & Record<string, unknown>>(`
    WITH s AS (
      SELECT ${term} AS term, o.series, o.geo, ${period} AS period, ${year} AS year, ${dimension} AS dimension, o.release_id, o.flags, o.freq,
             sum(o.value) AS value
      FROM ${visibleObservations(params.asOf)} o
      WHERE (${filters}) AND ${periodFilter}${ytd}
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9)${placeMonths}
    SELECT a.ancestor AS geo, min(g.name_es) AS name_es, min(g.name_en) AS name_en, s.period, min(s.year)::INT AS year,
           s.dimension, sum(s.value) AS value, ${distinctSorted(tx.dialect, 's.release_id', 's.flags')}, min(s.freq) AS native_freq, min(g.level) AS level,
           ${perPlace ? 'min(m.months)::INT' : 'NULL::INT'} AS geo_months
    FROM s JOIN geo_ancestor a ON a.geo = s.geo JOIN geo g ON g.code = a.ancestor
    ${perPlace ? `LEFT JOIN m ON m.series = s.series AND m.geo = s.geo AND m.year = s.year` : ''}
    WHERE ${rollUp}
    GROUP BY a.ancestor, s.period, s.dimension`);
}

const SUM_DECIMALS = 6;

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

const keyOf = (geo: string, period: string, dimension: string | null) => `${geo}|${period}|${dimension ?? ''}`;

export function resolveIndicator(code: string): Indicator {
  const indicator = findIndicator(code);
  if (!indicator) {
    throw new RequestError('not_found', `unknown indicator "${code}"; the list is at GET /api/v1/indicators`, { indicator: code });
  }
  return indicator;
}

/** The count itself, or its rate per population (`measure=rate`); refused, with the catalog's reason, where there is none. */
function measured(count: Indicator, params: QueryParams): Indicator {
  if (params.measure !== 'rate') return count;
  if (!count.rate) {
    const why = count.noRate?.[params.lang] ?? (count.kind === 'ratio' ? `${count.code} is already a ratio` : `${count.code} is not a count of people`);
    throw new RequestError('bad_request', `${count.code} has no rate: ${why}`, { measure: 'rate' });
  }
  return rateIndicator(count);
}

/** Flags a term declares (the census population) on the values it feeds, by the level it serves. */
function termFlags(terms: readonly SeriesTerm[], level: string): QualityFlag[] {
  return terms.filter((t) => t.flags && (!t.levels || (t.levels as readonly string[]).includes(level))).flatMap((t) => t.flags ?? []);
}

/** The frequencies the denominator's series are stored at: from the coverage already read, else from the periods table. */
async function denominatorFrequencies(tx: ReadTx, terms: readonly SeriesTerm[], coverage: SeriesCoverage): Promise<{ freq: string }[]> {
  const known = coverage.frequencies;
  if (known) return [...new Set(terms.flatMap((t) => [...(known.get(t.series) ?? [])]))].map((freq) => ({ freq }));
  return tx.all<{ freq: string }>(`SELECT DISTINCT freq FROM series_period WHERE series IN ${inList(terms.map((t) => t.series))}`);
}

/** Places a light answer names at most (see `isLightQuery`). */
const LIGHT_PLACES = 12;

/**
 * An answer small by construction whose reads concurrent requests share (shared-reads.ts): by calendar year, current
 * data, no breakdown, a few places named by code (no `level:` or `children:`). The server gives such answers places of
 * their own (fair-work.ts `lightConcurrency`).
 */
export function isLightQuery(params: QueryParams): boolean {
  const places = geoItems(params.geo);
  return params.freq === 'year' && params.by === null && params.asOf === null && places.length <= LIGHT_PLACES
    && places.every((g) => !g.includes(':'));
}

/** Evaluates an indicator's formula over the store for the chosen places, periods and breakdown. */
export async function queryIndicator(tx: ReadTx, asked: QueryParams): Promise<QueryResult> {
  // With fiscal years, a bare year in the range means that fiscal year (`2019..2026` = `FY2019..FY2026`).
  const asFiscal = (p: string | null) => (asked.freq === 'fy' && p !== null && /^\d{4}$/.test(p.trim()) ? `FY${p.trim()}` : p);
  const params: QueryParams = { ...asked, from: asFiscal(asked.from), to: asFiscal(asked.to) };
  const indicator = measured(resolveIndicator(params.indicator), params);
  // Annualising applies to rates per population only (not to shares), and only to months.
  const perPopulation = params.measure === 'rate' || indicator.rateOf !== undefined;
  if (params.annualise && (!perPopulation || params.freq !== 'month')) {
    throw new RequestError('bad_request', `annualise applies to monthly rates per population (freq=month with measure=rate, or a rate indicator such as mx.homicide.rate)`, {
      annualise: true, freq: params.freq, measure: params.measure ?? 'count',
    });
  }
  if (!indicator.frequencies.includes(params.freq)) {
    throw new RequestError('bad_request', `${indicator.code} is published ${indicator.frequencies.join('/')}ly; freq=${params.freq} is not available`, {
      freq: params.freq, frequencies: indicator.frequencies,
    });
  }
  if (params.freq === 'fy' && indicator.denominator) {
    throw new RequestError('bad_request', `${indicator.code} is a ratio; fiscal years are available for counts only`, { freq: params.freq });
  }
  if (params.by && !indicator.dimensions.includes(params.by)) {
    throw new RequestError('bad_request', `${indicator.code} cannot be broken down by ${params.by}; it can by: ${indicator.dimensions.join(', ') || 'nothing'}`, {
      by: params.by, dimensions: indicator.dimensions,
    });
  }
  try {
    parsePeriodRange(`${params.from ?? ''}..${params.to ?? ''}`);
  } catch (error) {
    throw new RequestError('bad_request', (error as Error).message, { period: `${params.from ?? ''}..${params.to ?? ''}` });
  }
  const geos = await selectGeos(tx, indicator, params.geo);
  const monthlySeries = [...new Set([...indicator.numerator, ...(indicator.denominator ?? [])].map((t) => t.series))];
  const fiscal = params.freq === 'fy';
  const yearly = params.freq === 'year' || fiscal;
  // Reads that need only the question start together (the store has two reader connections): the coverage, the releases
  // of the indicator's sources and, where absence means zero, the places and releases a zero comes from.
  const coverageRead = SeriesCoverage.read(tx, monthlySeries, visibleObservations(params.asOf), params.asOf);
  const releaseRead = cachedAll<{ id: number; source_id: string; file_name: string; sha256: string; imported_at: string }>(
    tx, `SELECT id, source_id, file_name, sha256, imported_at FROM release WHERE source_id IN ${inList(indicator.sources)} ORDER BY id`,
  );
  const zeroFill = indicator.zeroWhenAbsent && !params.by && !indicator.denominator
    ? zeroFillSources(tx, indicator, geos, { visible: visibleObservations(params.asOf), current: params.asOf === null })
    : null;
  // Until they are awaited, a failed read must not count as unhandled.
  for (const p of [coverageRead, releaseRead, zeroFill]) p?.catch(() => undefined);
  // The coverage decides the months of a year-to-date comparison: the aggregation waits for it only then.
  const seriesCoverage = params.ytd ? await coverageRead : null;
  // Year to date: every year over the months the latest year has (January–June of each year when it ends in June).
  const ytdMonths = seriesCoverage ? seriesCoverage.latestYearMonths(fiscal) : null;
  if (params.ytd && (!yearly || ytdMonths === null)) {
    throw new RequestError('bad_request', `ytd compares the same months of each year: it needs freq=year or fy and monthly data (${indicator.code}, freq=${params.freq})`, { ytd: true, freq: params.freq });
  }
  const catalogSources = loadCatalog().sources;
  const perPlace = !indicator.zeroWhenAbsent && indicator.sources.some((id) => catalogSources.find((x) => x.id === id)?.missingMonthMeansUnreported);
  const scope: MonthScope = { perPlace, ytdMonths };
  // Independent reads run side by side (the store keeps more than one reader connection).
  const denominatorTerms = indicator.denominator;
  const [numerator, denominatorParts] = await Promise.all([
    aggregate(tx, indicator.numerator, indicator, params, geos, 'output', scope),
    denominatorTerms
      ? coverageRead.then((c) => denominatorFrequencies(tx, denominatorTerms, c))
        .then(async (freqs) => {
          const byYear = freqs.every((f) => f.freq === 'year');
          return { byYear, parts: await aggregate(tx, denominatorTerms, indicator, params, geos, byYear ? 'year' : 'output', { perPlace: false, ytdMonths }) };
        })
      : Promise.resolve(null),
  ]);
  const covered = await coverageRead;
  const coverage = yearly ? covered.monthsPerYear(fiscal, ytdMonths) : new Map<number, number>();
  const fullYear = ytdMonths?.length ?? 12;
  const denominatorByYear = denominatorParts?.byYear ?? false;
  const denominator = new Map((denominatorParts?.parts ?? []).map((p) => [keyOf(p.geo, p.period, null), p]));

  // A municipal answer has thousands of rows: each row's flags start as an exact copy of its part's (distinct), with
  // no set; releases are gathered in a set only where a denominator adds its own.
  const numeratorFlags = new Map<string, QualityFlag[]>();
  const computed: ResultRow[] = numerator.map((n) => {
    let extra = numeratorFlags.get(n.level);
    if (extra === undefined) numeratorFlags.set(n.level, (extra = termFlags(indicator.numerator, n.level)));
    const flags = (n.flags as QualityFlag[]).slice();
    const addFlag = (f: QualityFlag) => {
      if (!flags.includes(f)) flags.push(f);
    };
    extra.forEach(addFlag);
    const releases = indicator.denominator ? new Set(n.releases) : null;
    const seriesMonths = n.native_freq === 'month' && params.freq !== 'month' ? coverage.get(n.year) : undefined;
    // A place that published fewer months than the series has makes its own (and its country's) year partial.
    const months = seriesMonths === undefined ? undefined : Math.min(seriesMonths, n.geo_months ?? seriesMonths);
    if (months !== undefined && months < fullYear) addFlag('partial-period');
    // Sums of fractional values (CBP's pounds) depend on the order the engine adds them in, in the last bits: rounded
    // to a millionth, DuckDB and PostgreSQL give the same number.
    const sum = round(n.value, SUM_DECIMALS);
    let value: number | null = sum;
    let den: number | null = null;
    if (indicator.denominator) {
      const d = denominator.get(keyOf(n.geo, denominatorByYear ? String(n.year) : n.period, null));
      den = d?.value ?? null;
      d?.flags.forEach((f) => addFlag(f as QualityFlag));
      if (d) termFlags(indicator.denominator, d.level).forEach(addFlag);
      d?.releases.forEach((r) => releases?.add(r));
      value = den === null || den === 0 ? null : round((sum / den) * indicator.factor, indicator.decimals + 2);
      if (value !== null && params.annualise) value = round(annualiseMonthlyRate(value, n.period), indicator.decimals + 2);
    }
    if (flags.length > 1) flags.sort();
    // A value that includes a suppressed cell (registry counts of 1–4) is not published: it would be a wrong number
    // (missing the hidden cases) or, by difference, reveal them.
    const hidden = flags.includes('suppressed');
    const row: ResultRow = {
      geo: n.geo,
      geo_name: params.lang === 'es' ? n.name_es : n.name_en,
      period: n.period,
      value: hidden ? null : value,
      numerator: hidden ? null : sum,
      denominator: hidden ? null : den,
      flags,
      release_ids: releases === null ? n.releases : [...releases].sort((a, b) => a - b),
    };
    if (params.by) row.dimension = n.dimension ?? '';
    if (months !== undefined) row.months = months;
    return row;
  });
  const through = covered.through;
  const status = indicator.statusAtRetrieval;
  const filled = zeroFill
    ? fillAbsentAsZero(params, computed, await zeroFill, { range: covered.range, coverage, fullYear, fiscal })
    : computed;
  if (status && through) markStillRegistering(filled, through, status.registeringMonths);
  const rows = await attachSourceLinks(tx, indicator, params, filled);
  // Places named explicitly come first, in the order given; expanded ones follow in code order.
  const order = new Map(geos.explicit.map((g, i) => [g.code, i]));
  const rank = (geo: string) => order.get(geo) ?? geos.explicit.length;
  // Codes and periods are ASCII: compared as such (localeCompare per pair took a quarter of a municipal answer's time).
  const ascii = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  rows.sort((a, b) => rank(a.geo) - rank(b.geo) || ascii(a.geo, b.geo) || ascii(a.period, b.period) || (a.dimension ?? '').localeCompare(b.dimension ?? ''));

  const usedReleases = [...new Set(rows.flatMap((r) => r.release_ids))];
  const used = new Set(usedReleases);
  const releaseRows = (await releaseRead).filter((r) => used.has(Number(r.id))).map((r) => ({ ...r, id: Number(r.id), imported_at: isoSecond(r.imported_at) }));
  const catalog = loadCatalog();
  const sources = indicator.sources.map((id) => {
    const source = catalog.sources.find((s) => s.id === id);
    return {
      id,
      publisher: source?.publisher[params.lang] ?? id,
      dataset: source?.dataset[params.lang] ?? id,
      url: source?.url ?? '',
      releases: releaseRows.filter((r) => r.source_id === id).map(({ id: rid, file_name, sha256, imported_at }) => ({ id: rid, file_name, sha256, imported_at })),
    };
  });
  const notes: string[] = [];
  if (rows.some((r) => r.flags.includes('partial-period'))) {
    notes.push(params.lang === 'es'
      ? `Los años${params.freq === 'fy' ? ' fiscales' : ''} marcados partial-period no tienen los 12 meses publicados: no los compare con años completos.`
      : `${params.freq === 'fy' ? 'Fiscal years' : 'Years'} flagged partial-period lack some of their 12 months: do not compare them with full years.`);
  }
  if (rows.length === 0) notes.push(params.lang === 'es' ? 'No hay datos cargados para esta consulta.' : 'No data is loaded for this query.');
  const base = findIndicator(indicator.rateOf ?? indicator.code);
  if (params.measure === 'rate' || indicator.rateOf) {
    const population = base?.rate?.population[params.lang];
    if (population) notes.push(`${params.lang === 'es' ? 'Denominador' : 'Denominator'}: ${population}`);
  }
  if ((params.measure === 'rate' || indicator.rateOf) && params.freq === 'month') {
    notes.push(params.annualise ? ANNUALISATION_METHOD[params.lang]
      : params.lang === 'es' ? 'Tasas mensuales sin anualizar (la población es la del año); anualícelas con annualise=true.' : 'Monthly rates are not annualised (the population is the year\'s); annualise them with annualise=true.');
  }
  if (rows.some((r) => r.flags.includes('projected'))) {
    notes.push(params.lang === 'es'
      ? 'Los valores marcados projected usan la población proyectada por CONAPO (2020 en adelante), no una población contada.'
      : 'Values flagged projected use CONAPO\'s projected population (2020 onwards), not a counted one.');
  }
  if (rows.some((r) => r.flags.includes('census-population'))) {
    notes.push(params.lang === 'es'
      ? 'Los municipios usan la población del Censo 2020 (INEGI); el país y las entidades, la de CONAPO a mitad de año: no son la misma cifra.'
      : 'Municipalities use INEGI\'s 2020 census population; the nation and states, CONAPO\'s mid-year population: they are not the same figure.');
  }
  if (ytdMonths) {
    const span = monthSpan(ytdMonths, params.lang);
    notes.push(params.lang === 'es'
      ? `Comparación del mismo periodo: cada año suma solo ${span}, los meses que tiene el último año.`
      : `Same-months comparison: each year sums only ${span}, the months the latest year has.`);
    // A rate over the same months divides those months' count by the year's population: it is not a yearly rate.
    if (perPopulation) {
      notes.push(params.lang === 'es'
        ? `La tasa de cada año es la de esos meses (su suma entre la población del año), no una tasa anual.`
        : `Each year's rate is that of those months (their sum over the year's population), not a yearly rate.`);
    }
  }
  if (status) {
    notes.push(params.lang === 'es'
      ? `Estatus a la fecha de consulta (${monthName(status.date, 'es')}): los meses recientes aún se están registrando (marcados provisional) y la serie no es comparable en el tiempo.`
      : `Status at retrieval (${monthName(status.date, 'en')}): recent months are still being registered (flagged provisional) and the series is not comparable over time.`);
    if (status.nationalNote && rows.some((r) => r.geo === '00')) notes.push(status.nationalNote[params.lang]);
  }
  return {
    indicator: indicator.code,
    name: indicator.name[params.lang],
    unit: params.annualise
      ? `${indicator.unit[params.lang]}${params.lang === 'es' ? ', anualizada' : ', annualised'}`
      : indicator.unit[params.lang],
    ...(params.measure === 'rate' ? { measure: 'rate' as const } : {}),
    ...(params.annualise ? { annualised: true } : {}),
    freq: params.freq,
    by: params.by,
    rows,
    sources,
    notes,
    ...(through ? { through } : {}),
    ...(ytdMonths ? { ytd_months: [...ytdMonths] } : {}),
    ...(status ? { status_as_of: status.date } : {}),
  };
}

// Made once: a regular expression literal is a new object each time it is evaluated (per row, in a loop).
const MONTH_PERIOD = /^\d{4}-\d{2}$/;
const YEAR_PERIOD = /^\d{4}$/;

/**
 * Counts of a status at retrieval (RNPDNO): the last `registering` months before the last published one are still being
 * registered, so they — and the years that contain them — are flagged provisional.
 */
function markStillRegistering(rows: ResultRow[], through: string, registering: number): void {
  const [y, m] = through.split('-').map(Number) as [number, number];
  const firstIndex = y * 12 + (m - 1) - (registering - 1);
  const first = `${Math.floor(firstIndex / 12)}-${String((firstIndex % 12) + 1).padStart(2, '0')}`;
  const firstYear = first.slice(0, 4);
  // Rows' flag arrays are replaced, never changed (zeros of one period share theirs): one new array per array seen.
  const marked = new Map<QualityFlag[], QualityFlag[]>();
  for (const row of rows) {
    const recent = MONTH_PERIOD.test(row.period) ? row.period >= first : YEAR_PERIOD.test(row.period) && row.period >= firstYear;
    if (!recent || row.flags.includes('provisional')) continue;
    let flags = marked.get(row.flags);
    if (flags === undefined) marked.set(row.flags, (flags = row.flags.concat('provisional').sort()));
    row.flags = flags;
  }
}
