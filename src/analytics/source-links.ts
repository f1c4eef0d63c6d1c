import type { Indicator, QueryParams, ResultRow, SourceLink } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { lit } from '../store/index.js';


/**
 * The page each secondary value was taken from (`observation_source`, written with the release), attached to the rows
 * flagged `secondary-source`: a value summed from several places carries every link behind it.
 */
export async function attachSourceLinks(tx: ReadTx, indicator: Indicator, params: QueryParams, rows: ResultRow[]): Promise<ResultRow[]> {
  const secondary = rows.filter((r) => r.flags.includes('secondary-source'));
  if (secondary.length === 0) return rows;
  const releases = [...new Set(secondary.flatMap((r) => r.release_ids))];
  const series = [...new Set(indicator.numerator.map((t) => t.series))];
  const byCategory = params.by === 'category';
  const fixed = byCategory ? undefined : indicator.defaults.category;
  const links = await tx.all<{ geo: string; period: string; category: string; url: string; outlet: string; note: string }>(
    `SELECT DISTINCT a.ancestor AS geo, ${params.freq === 'year' ? 's.year::VARCHAR' : 's.period'} AS period, s.category, s.url, s.outlet, s.note
     FROM observation_source s JOIN geo_ancestor a ON a.geo = s.geo
     WHERE s.release_id IN (${releases.join(', ')}) AND s.series IN (${series.map(lit).join(', ')})
       ${fixed === undefined ? '' : `AND s.category = ${lit(fixed)}`}
     ORDER BY s.url, s.note`,
  );
  const key = (geo: string, period: string, category: string) => `${geo}|${period}|${byCategory ? category : ''}`;
  // One link per address: a sum over many places of one workbook (Guardia Nacional by state) cites the workbook once.
  // Its note is the place's own when there is one place; for a sum, only a known-error note is kept.
  const grouped = new Map<string, Map<string, { outlet: string; notes: Set<string> }>>();
  for (const l of links) {
    const k = key(l.geo, l.period, l.category);
    const byUrl = grouped.get(k) ?? new Map<string, { outlet: string; notes: Set<string> }>();
    const entry = byUrl.get(l.url) ?? { outlet: l.outlet, notes: new Set<string>() };
    entry.notes.add(l.note);
    byUrl.set(l.url, entry);
    grouped.set(k, byUrl);
  }
  const listOf = (k: string): SourceLink[] =>
    [...(grouped.get(k) ?? new Map<string, { outlet: string; notes: Set<string> }>())].map(([url, e]) => {
      const notes = [...e.notes];
      const note = notes.length === 1 ? (notes[0] ?? '') : (notes.find((n) => n.includes('known error')) ?? '');
      return { url, outlet: e.outlet, note };
    });
  return rows.map((r) => (r.flags.includes('secondary-source') ? { ...r, source_links: listOf(key(r.geo, r.period, r.dimension ?? '')) } : r));
}
