import { GeoLevel, RequestError, type Indicator } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';

export interface SelectedGeo {
  readonly code: string;
  readonly level: GeoLevel;
  readonly name_es: string;
  readonly name_en: string;
}

/**
 * `09,15` (codes), `level:state` (every state), `level:municipality`, `children:09` (the municipalities of a state).
 * Expansions leave out registry codes for "not specified" places; they can still be named explicitly.
 */
export async function selectGeos(tx: ReadTx, indicator: Indicator, specs: readonly string[]): Promise<SelectedGeo[]> {
  const out = new Map<string, SelectedGeo>();
  for (const raw of specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    let rows: SelectedGeo[];
    if (raw.startsWith('level:')) {
      const level = GeoLevel.safeParse(raw.slice('level:'.length));
      if (!level.success) throw new RequestError('bad_request', `"${raw}": the level must be country, state or municipality`, { geo: raw });
      rows = await tx.all<SelectedGeo & Record<string, unknown>>(
        `SELECT code, level, name_es, name_en FROM geo WHERE level = ? AND NOT unspecified
         AND (level <> 'country' OR country = ?) ORDER BY code`,
        [level.data, indicator.code.startsWith('us.') ? 'US' : 'MX'],
      );
    } else if (raw.startsWith('children:')) {
      const parent = raw.slice('children:'.length);
      rows = await tx.all<SelectedGeo & Record<string, unknown>>(
        `SELECT code, level, name_es, name_en FROM geo WHERE parent = ? AND NOT unspecified ORDER BY code`,
        [parent],
      );
      if (rows.length === 0) throw new RequestError('not_found', `"${raw}": no geography has ${parent} as parent`, { geo: raw });
    } else {
      rows = await tx.all<SelectedGeo & Record<string, unknown>>(`SELECT code, level, name_es, name_en FROM geo WHERE code = ?`, [raw]);
      if (rows.length === 0) {
        throw new RequestError('not_found', `unknown geography "${raw}": use an INEGI code (00, 01–32, 5-digit municipality), US, level:state or children:<state>`, { geo: raw });
      }
    }
    for (const row of rows) {
      if (!indicator.levels.includes(row.level)) {
        throw new RequestError(
          'bad_request',
          `${indicator.code} is available at the ${indicator.levels.join(', ')} level(s); ${row.code} (${row.name_en}) is a ${row.level}`,
          { geo: row.code, levels: indicator.levels },
        );
      }
      if ((row.code === 'US') !== indicator.code.startsWith('us.') && row.level === 'country') {
        throw new RequestError('bad_request', `${indicator.code} does not cover ${row.name_en} (${row.code})`, { geo: row.code });
      }
      out.set(row.code, row);
    }
  }
  if (out.size === 0) throw new RequestError('bad_request', 'no geography selected: pass geo codes such as 00 or 09,15, or level:state');
  return [...out.values()];
}
