import { stringify } from 'csv-stringify/sync';
import { SPREADSHEET_SAFE_CSV, type QueryResult } from '../domain/index.js';

/** The rows of a result as CSV, with the citation in a trailing comment-free column set (flags joined by ";"). */
export function toCsv(result: QueryResult): string {
  const header = ['indicator', 'geo', 'geo_name', 'period', ...(result.by ? [result.by] : []), 'value', 'numerator', 'denominator', 'flags', 'release_ids'];
  const rows = result.rows.map((r) => [
    result.indicator, r.geo, r.geo_name, r.period, ...(result.by ? [r.dimension ?? ''] : []),
    r.value ?? '', r.numerator ?? '', r.denominator ?? '', r.flags.join(';'), r.release_ids.join(';'),
  ]);
  return stringify([header, ...rows], SPREADSHEET_SAFE_CSV);
}
