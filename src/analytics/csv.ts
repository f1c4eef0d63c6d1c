import { stringify } from 'csv-stringify/sync';
import { SPREADSHEET_SAFE_CSV, type QueryResult } from '../domain/index.js';

/** How a result is cited: the indicator, each source with the files (and checksums) its values come from, the address. */
export function citationOf(result: QueryResult, url?: string): string {
  const sources = result.sources
    .map((s) => `${s.publisher}, ${s.dataset}${s.releases.length > 0 ? ` (${s.releases.map((r) => `${r.file_name}, sha256 ${r.sha256.slice(0, 12)}`).join('; ')})` : ''}`)
    .join('; ');
  return `Observa, «${result.name}» [${result.indicator}]. ${sources}.${url ? ` ${url}` : ''}`;
}

/**
 * The rows of a result as CSV (flags joined by ";"): the unit (a count or a rate, annualised or not), the months a
 * year was built from, and the citation in its own last column, so a downloaded file still says where it came from.
 * When any value is from a secondary source, a `source_url` column gives each value's pages (joined by " ").
 */
export function toCsv(result: QueryResult, url?: string): string {
  const links = result.rows.some((r) => r.source_links !== undefined);
  const citation = citationOf(result, url);
  const header = ['indicator', 'geo', 'geo_name', 'period', ...(result.by ? [result.by] : []), 'value', 'unit', 'numerator', 'denominator', 'months', 'flags', 'release_ids',
    ...(links ? ['source_url'] : []), 'citation'];
  const rows = result.rows.map((r) => [
    result.indicator, r.geo, r.geo_name, r.period, ...(result.by ? [r.dimension ?? ''] : []),
    r.value ?? '', result.unit, r.numerator ?? '', r.denominator ?? '', r.months ?? '', r.flags.join(';'), r.release_ids.join(';'),
    ...(links ? [(r.source_links ?? []).map((l) => l.url).join(' ')] : []), citation,
  ]);
  return stringify([header, ...rows], SPREADSHEET_SAFE_CSV);
}
