import { GeoLevel, RequestError, type Indicator } from '../domain/index.js';
import type { Dialect, ReadTx } from '../store/index.js';
import { cached, keepsReads } from './read-cache.js';
import { lit } from '../store/index.js';

export interface SelectedGeo {
  readonly code: string;
  readonly level: GeoLevel;
  readonly name_es: string;
  readonly name_en: string;
}

/** Whole levels (or a state's municipalities) stay SQL, so a 2,475-municipality map is not a 2,475-literal IN list. */
export interface Expansion {
  readonly level: GeoLevel;
  readonly parent: string | null;
  readonly country: 'MX' | 'US';
}

export interface GeoSelection {
  readonly explicit: readonly SelectedGeo[];
  readonly expansions: readonly Expansion[];
}

/** What a SQL condition on places needs of a selection: codes with their level, and expansions. */
export interface PlaceSelection {
  readonly explicit: readonly Pick<SelectedGeo, 'code' | 'level'>[];
  readonly expansions: readonly Expansion[];
}

/** Distinct geography items one request may name (explicit codes and expansions together). */
export const MAX_GEO_ITEMS = 120;


/** SQL subquery of the codes an expansion stands for (registry codes for "not specified" places left out). */
export function expansionSql(e: Expansion): string {
  return `SELECT code FROM geo WHERE level = ${lit(e.level)} AND NOT unspecified AND country = ${lit(e.country)}${e.parent === null ? '' : ` AND parent = ${lit(e.parent)}`}`;
}

/**
 * The selected codes at the given levels, as a SQL condition on `column`; null when none applies. `scan`: the condition
 * filters a DuckDB table scan (the observations), where a list of codes is also written as `list_contains`. DuckDB
 * turns an IN list of several constants into a join after the scan, keeping the list only to skip row groups: every
 * row of the series in the groups read reached the join (~1 M of a 10 M municipal store for 25 municipalities).
 * `list_contains` is applied in the scan itself; the IN stays for the row groups. Same rows; measured on a 10 M store,
 * 2 cores: 25 places 70–85 → 32–41 ms, 8 places 57 → 30, 3 places 34 → 18, one place unchanged (shared-reads.ts
 * gathers ~25 municipalities into one read under load).
 */
export function selectionCondition(sel: PlaceSelection, column: string, levels?: readonly GeoLevel[], scan: Dialect | null = null): string | null {
  const ok = (l: GeoLevel) => !levels || levels.includes(l);
  const codes = sel.explicit.filter((g) => ok(g.level)).map((g) => lit(g.code));
  const inScan = scan === 'duckdb' && codes.length > 1 ? ` AND list_contains([${codes.join(', ')}], ${column})` : '';
  const parts = [
    ...(codes.length > 0 ? [`(${column} IN (${codes.join(', ')})${inScan})`] : []),
    ...sel.expansions.filter((e) => ok(e.level)).map((e) => `${column} IN (${expansionSql(e)})`),
  ];
  return parts.length === 0 ? null : `(${parts.join(' OR ')})`;
}

function checkLevel(indicator: Indicator, level: GeoLevel, what: string): void {
  if (!indicator.levels.includes(level)) {
    throw new RequestError('bad_request', `${indicator.code} is available at the ${indicator.levels.join(', ')} level(s); ${what} is a ${level}`, { geo: what, levels: indicator.levels });
  }
}

/**
 * Every place's level and names by code, read once per store generation where reads are kept (a DuckDB store); null
 * elsewhere. One read serves every place a request names and every name an answer shows, and asking for each of the
 * 2,475 municipalities in turn does not fill the kept reads with one entry per place.
 */
export function keptPlaces(tx: ReadTx): Promise<ReadonlyMap<string, SelectedGeo>> | null {
  if (!keepsReads(tx)) return null;
  return cached(tx, 'geography', async () => {
    const rows = await tx.all<SelectedGeo & Record<string, unknown>>(`SELECT code, level, name_es, name_en FROM geo`);
    return new Map(rows.map((r) => [r.code, r]));
  });
}

/** The distinct geography items of a request (`geo=09,15&geo=level:state`: codes and expansions), in order. */
export function geoItems(specs: readonly string[]): string[] {
  return [...new Set(specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''))];
}

/**
 * `09,15` (codes), `level:state` (every state), `level:municipality`, `children:09` (the municipalities of a state).
 * Expansions leave out registry codes for "not specified" places; they can still be named explicitly.
 */
export async function selectGeos(tx: ReadTx, indicator: Indicator, specs: readonly string[]): Promise<GeoSelection> {
  const explicit = new Map<string, SelectedGeo>();
  const expansions: Expansion[] = [];
  const country = indicator.code.startsWith('us.') ? 'US' : 'MX';
  // Each distinct item once (a repeated `level:state` used to repeat the whole SQL), and a bounded number of them:
  // every item costs a lookup and a condition, so an anonymous request must not name thousands.
  const items = geoItems(specs);
  if (items.length > MAX_GEO_ITEMS) {
    throw new RequestError('bad_request', `too many geographies (${items.length}): name at most ${MAX_GEO_ITEMS}, or use level:state, level:municipality or children:<state>`, {
      geo: items.length, max: MAX_GEO_ITEMS,
    });
  }
  for (const raw of items) {
    if (raw.startsWith('level:')) {
      const level = GeoLevel.safeParse(raw.slice('level:'.length));
      if (!level.success) throw new RequestError('bad_request', `"${raw}": the level must be one of ${GeoLevel.options.join(', ')}`, { geo: raw });
      checkLevel(indicator, level.data, raw);
      expansions.push({ level: level.data, parent: null, country });
    } else if (raw.startsWith('children:')) {
      const parent = raw.slice('children:'.length);
      const childLevel = `SELECT level FROM geo WHERE parent = ? AND NOT unspecified LIMIT 1`;
      const [child] = await cached(tx, `${childLevel} ${parent}`, () => tx.all<{ level: GeoLevel }>(childLevel, [parent]));
      if (!child) throw new RequestError('not_found', `"${raw}": no geography has ${parent} as parent`, { geo: raw });
      checkLevel(indicator, child.level, raw);
      expansions.push({ level: child.level, parent, country });
    } else {
      const kept = keptPlaces(tx);
      const row = kept !== null
        ? (await kept).get(raw)
        : (await tx.all<SelectedGeo & Record<string, unknown>>(`SELECT code, level, name_es, name_en FROM geo WHERE code = ?`, [raw]))[0];
      if (!row) {
        throw new RequestError('not_found', `unknown geography "${raw}": use an INEGI code (00, 01–32, 5-digit municipality), US, a CBP region or area (US-SWB, US-SWB-USBP-TCA), level:state or children:<code>`, { geo: raw });
      }
      checkLevel(indicator, row.level, `${row.code} (${row.name_en})`);
      // CBP regions and areas belong to the U.S. indicators only.
      if ((row.level === 'country' && (row.code === 'US') !== (country === 'US')) || ((row.level === 'region' || row.level === 'area') && country !== 'US')) {
        throw new RequestError('bad_request', `${indicator.code} does not cover ${row.name_en} (${row.code})`, { geo: row.code });
      }
      explicit.set(row.code, row);
    }
  }
  if (explicit.size === 0 && expansions.length === 0) {
    throw new RequestError('bad_request', 'no geography selected: pass geo codes such as 00 or 09,15, or level:state');
  }
  return { explicit: [...explicit.values()], expansions };
}
