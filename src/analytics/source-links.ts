import type { Indicator, QueryParams, ResultRow, SourceLink } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

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
  const grouped = new Map<string, SourceLink[]>();
  for (const l of links) {
    const k = key(l.geo, l.period, l.category);
    const list = grouped.get(k) ?? [];
    if (!list.some((x) => x.url === l.url && x.note === l.note)) list.push({ url: l.url, outlet: l.outlet, note: l.note });
    grouped.set(k, list);
  }
  return rows.map((r) => (r.flags.includes('secondary-source') ? { ...r, source_links: grouped.get(key(r.geo, r.period, r.dimension ?? '')) ?? [] } : r));
}
