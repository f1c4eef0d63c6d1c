import { stringify } from 'csv-stringify/sync';
import { SPREADSHEET_SAFE_CSV, type QueryResult } from '../domain/index.js';

/**
 * The rows of a result as CSV, with the citation in a trailing comment-free column set (flags joined by ";"). When any
 * value is from a secondary source, a `source_url` column gives each value's pages (joined by " ").
 */
export function toCsv(result: QueryResult): string {
  const links = result.rows.some((r) => r.source_links !== undefined);
  const header = ['indicator', 'geo', 'geo_name', 'period', ...(result.by ? [result.by] : []), 'value', 'numerator', 'denominator', 'flags', 'release_ids',
    ...(links ? ['source_url'] : [])];
  const rows = result.rows.map((r) => [
    result.indicator, r.geo, r.geo_name, r.period, ...(result.by ? [r.dimension ?? ''] : []),
    r.value ?? '', r.numerator ?? '', r.denominator ?? '', r.flags.join(';'), r.release_ids.join(';'),
    ...(links ? [(r.source_links ?? []).map((l) => l.url).join(' ')] : []),
  ]);
  return stringify([header, ...rows], SPREADSHEET_SAFE_CSV);
}
