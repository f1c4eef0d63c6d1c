import { AGGREGATE_TABLE, TERM_SUMS_TABLE, type ReadTx } from '../store/index.js';
import type { Part } from './query.js';
import { keptPlaces, type PlaceSelection } from './geo-selection.js';
import { cached, keepsReads } from './read-cache.js';
import { inList } from '../store/index.js';
import { sharedRead, type ReadPart } from './shared-reads.js';

/** The pieces of an indicator query over current data (SQL on `o`, the aggregate rows). */
export interface AggregateQuery {
  /** The terms' series and dimension filters, each with the places asked for at its levels. */
  readonly direct: string;
  readonly period: string;
  readonly year: string;
  readonly dimension: string;
  /** Period range (and year-to-date months). */
  readonly where: string;
  /** SQL of the months each stored place published (series, geo, year, months), over the observations; null when the
   * indicator's source does not count months per place. */
  readonly monthsPerPlace: string | null;
  /** The places asked for (what `direct` selects): whether any of them holds sums from places under it. */
  readonly places: PlaceSelection;
  /**
   * The places' own values from the terms' yearly sums (`TERM_SUMS_TABLE`) instead of the observations: the terms and
   * places (on `o`), and the years.
   */
  readonly termSums?: { readonly direct: string; readonly where: string };
}

/** One row of the read: the sum of a place's values (own, or from below) for one series, period, release and flags. */
interface Sum extends Record<string, unknown> {
  series: string;
  geo: string;
  period: string;
  dimension?: string | null;
  year: number;
  freq: string;
  release_id: number;
  flags: string;
  value: number;
  /** The months (bit m set for month m) of the place's own monthly values in the sum: months per place, first read. */
  mask?: number;
  /** The fewest months of any stored place under the place that year: months per place, second read. */
  months?: number | null;
  below?: boolean;
}

type Place = Pick<Part, 'name_es' | 'name_en' | 'level'>;

/**
 * A read by years of explicit places only, which concurrent requests of the same shape may share (shared-reads.ts):
 * its places and years, and the query for any other places and years (all else the same).
 */
export interface ShareableRead {
  readonly part: ReadPart;
  readonly queryFor: (part: ReadPart) => AggregateQuery;
}

/**
 * Sums at the places asked for, from two parts: the places' own values (the current observations stored at them) and
 * the sums of what is stored under them (`observation_aggregate`). Each part is summed by place, period, release id and
 * flags text, and the few rows (a municipal map's two thousand) are gathered here: collecting release ids and flags as
 * lists in the engine cost more than the sums, and lists are slow to bring out of it. Months per place (SESNSP's
 * partial years): from the places' own monthly values (a bit per month); when some place asked for also holds
 * sums from places under it (a nation of states), from one more read of the months of every stored place under it, from
 * the observations — the fewest of any (exact, as the observations say).
 */
export async function readAggregates(tx: ReadTx, q: AggregateQuery, shareable: ShareableRead | null = null): Promise<Part[]> {
  const perPlace = q.monthsPerPlace !== null;
  const summed = await placesWithSumsBelow(tx);
  const sums = shareable === null ? await tx.all<Sum>(readSql(q, perPlace, summed)) : await readShared(tx, shareable, perPlace, summed);
  // Some place asked for holds sums from places under it: every row's months are then the fewest of any stored place
  // under its place (read once, beside the sums already read), not its own values' bits.
  const under = perPlace && sums.some((r) => r.below === true) ? await monthsUnder(tx, q, sums) : null;
  if (under !== null) for (const r of sums) r.months = under.get(`${r.series}|${r.geo}|${r.year}`) ?? null;
  const places = await placesOf(tx, sums);
  // The months of each place's own monthly values, by series and year (the first read's bits, over all its rows).
  // Keyed by series, place and year; the key is made once per row (thousands of rows in a municipal answer).
  const monthKeys = perPlace && under === null ? sums.map((r) => `${r.series}|${r.geo}|${r.year}`) : null;
  const ownMonths = new Map<string, number>();
  if (monthKeys !== null) {
    sums.forEach((r, i) => {
      const k = monthKeys[i] as string;
      if (r.mask) ownMonths.set(k, (ownMonths.get(k) ?? 0) | Number(r.mask));
    });
  }
  // Releases and flags gathered in small arrays (one or two each, per place and period), sorted once at the end.
  const groups = new Map<string, Part>();
  sums.forEach((r, i) => {
    const dimension = r.dimension ?? null;
    const key = `${r.geo}|${r.period}|${dimension ?? ''}`;
    const year = Number(r.year);
    const mask = monthKeys === null ? undefined : ownMonths.get(monthKeys[i] as string);
    const months = r.months ?? (mask === undefined ? null : bitCount(mask));
    let group = groups.get(key);
    if (group === undefined) {
      const place = places.get(r.geo);
      group = {
        geo: r.geo, name_es: place?.name_es ?? r.geo, name_en: place?.name_en ?? r.geo, period: r.period, year, dimension,
        value: Number(r.value), releases: [Number(r.release_id)], flags: flagList(r.flags), native_freq: r.freq, level: place?.level ?? '',
        geo_months: months,
      };
      groups.set(key, group);
      return;
    }
    group.value += Number(r.value);
    if (year < group.year) group.year = year;
    if (r.freq < group.native_freq) group.native_freq = r.freq;
    if (months !== null && (group.geo_months === null || months < group.geo_months)) group.geo_months = months;
    const release = Number(r.release_id);
    if (!group.releases.includes(release)) group.releases.push(release);
    for (const f of flagList(r.flags)) if (!group.flags.includes(f)) group.flags.push(f);
  });
  const parts = [...groups.values()];
  for (const part of parts) {
    if (part.releases.length > 1) part.releases.sort((a, b) => a - b);
    if (part.flags.length > 1) part.flags.sort();
  }
  return parts;
}

/** A row's flags text as a list, each flag once. */
function flagList(text: string): string[] {
  if (text === '') return [];
  const flags = text.split(',');
  return flags.length === 1 ? flags : [...new Set(flags)];
}

/** The fewest months any stored place under each place of `sums` published, by series, place and year. */
async function monthsUnder(tx: ReadTx, q: AggregateQuery, sums: readonly Sum[]): Promise<ReadonlyMap<string, number>> {
  const rows = await tx.all<{ series: string; geo: string; year: number; months: number }>(`
    SELECT m.series, a.ancestor AS geo, m.year, min(m.months) AS months
    FROM (${q.monthsPerPlace}) m JOIN geo_ancestor a ON a.geo = m.geo
    WHERE a.ancestor IN ${inList([...new Set(sums.map((r) => r.geo))])}
    GROUP BY 1, 2, 3`);
  return new Map(rows.map((r) => [`${r.series}|${r.geo}|${r.year}`, Number(r.months)]));
}

function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n += 1;
  return n;
}

/**
 * The places' names and level, by code: where reads are kept, from the kept geography; elsewhere (a server store) from a
 * read of the places in the sums.
 */
async function placesOf(tx: ReadTx, sums: readonly Sum[]): Promise<ReadonlyMap<string, Place>> {
  const kept = keptPlaces(tx);
  if (kept !== null) return kept;
  const codes = [...new Set(sums.map((r) => r.geo))];
  if (codes.length === 0) return new Map();
  const rows = await tx.all<Place & { code: string }>(`SELECT code, name_es, name_en, level FROM geo WHERE code IN ${inList(codes)}`);
  return new Map(rows.map(({ code, ...place }) => [code, place]));
}

/**
 * The sums of a shareable read: one read for this request and those of the same shape gathered with it (the same SQL
 * but for places and years), of which this request keeps its places' rows in its years. Each row is one place's and one
 * year's (both are grouped on), so the rows kept are exactly those a read of this request alone returns.
 */
function readShared(tx: ReadTx, s: ShareableRead, withMonths: boolean, summed: SummedPlaces | null): Promise<Sum[]> {
  // The shape names the read whatever its places: with the sums part always, so that it is one string per shape.
  const shape = readSql(s.queryFor({ places: [], years: [0, 0] }), withMonths, null);
  return sharedRead<Sum>(tx, shape, s.part, (parts) => {
    const places = [...new Map(parts.flatMap((p) => p.places).map((g) => [g.code, g])).values()];
    const years = [Math.min(...parts.map((p) => p.years[0])), Math.max(...parts.map((p) => p.years[1]))] as const;
    return tx.all<Sum>(readSql(s.queryFor({ places, years }), withMonths, summed));
  }, (part, row) => {
    const year = Number(row.year);
    return year >= part.years[0] && year <= part.years[1] && part.places.some((g) => g.code === row.geo);
  });
}

/** The places that hold sums of places under them, and their levels. */
interface SummedPlaces {
  readonly codes: ReadonlySet<string>;
  readonly levels: ReadonlySet<string>;
}

/**
 * The places that hold sums of places under them (the states, the nation, the U.S. regions…), where reads are kept (a
 * DuckDB store, until its next commit); null elsewhere (a server store: every read includes the sums part).
 */
function placesWithSumsBelow(tx: ReadTx): Promise<SummedPlaces> | null {
  if (!keepsReads(tx)) return null;
  return cached(tx, `places with sums below`, async () => {
    const rows = await tx.all<{ geo: string; level: string }>(`SELECT DISTINCT s.geo, g.level FROM ${AGGREGATE_TABLE} s JOIN geo g ON g.code = s.geo`);
    return { codes: new Set(rows.map((r) => r.geo)), levels: new Set(rows.map((r) => r.level)) };
  });
}

/**
 * Whether a read of `places` needs the sums part: unknown (`summed` null), a place that holds sums, or places expanded
 * at a level where some place does (every municipality of a map has nothing under it: the part was 2–3 of the bundled
 * municipal top 20's 12 ms, finding nothing).
 */
function needsSumsBelow(places: PlaceSelection, summed: SummedPlaces | null): boolean {
  return summed === null || places.expansions.some((e) => summed.levels.has(e.level)) || places.explicit.some((g) => summed.codes.has(g.code));
}

/**
 * The two parts' sums, by series, place, period (and breakdown), year, frequency, release id and flags; with `withMonths`,
 * each row's months as bits (own values) and whether it holds sums from below. The sums part is left out where no place
 * asked for holds any (a municipality's own series): on a 50 M store it was a third of such a read, finding nothing.
 */
function readSql(q: AggregateQuery, withMonths: boolean, summed: SummedPlaces | null): string {
  const dimension = q.dimension === 'NULL::VARCHAR' ? [] : [`${q.dimension} AS dimension`];
  const keys = ['o.series', 'o.geo', `${q.period} AS period`, ...dimension, `${q.year} AS year`, 'o.freq', 'o.release_id'];
  const groupBy = Array.from({ length: keys.length + 1 }, (_, i) => i + 1).join(', ');
  const part = (from: string, flags: string, below: boolean, current: string) => {
    const extra = withMonths
      ? `, ${below ? '0' : `bit_or(CASE WHEN o.freq = 'month' THEN 1 << o.month::INT ELSE 0 END)`} AS mask, ${below} AS below`
      : '';
    return `SELECT ${keys.join(', ')}, ${flags} AS flags, sum(o.value) AS value${extra}
      FROM ${from} WHERE ${current}(${q.direct}) AND ${q.where}
      GROUP BY ${groupBy}`;
  };
  const own = q.termSums
    ? `SELECT ${keys.join(', ')}, o.flags AS flags, sum(o.value) AS value${withMonths ? ', bit_or(o.mask) AS mask, false AS below' : ''}
      FROM ${TERM_SUMS_TABLE} o WHERE (${q.termSums.direct}) AND ${q.termSums.where}
      GROUP BY ${groupBy}`
    : part('observation o', `array_to_string(o.flags, ',')`, false, 'o.superseded_by IS NULL AND ');
  return needsSumsBelow(q.places, summed) ? `${own}
    UNION ALL ${part(`${AGGREGATE_TABLE} o`, 'o.flags', true, '')}` : own;
}
