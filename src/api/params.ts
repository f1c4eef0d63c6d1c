import { z } from 'zod';
import { Dimension, Lang, QueryFreq, type QueryParams } from '../domain/index.js';

/** Query-string schema of /indicators/{code}/data: the one definition the route and the OpenAPI document share. */
export const DataQuery = z.strictObject({
  geo: z.string().max(4000).default('00').describe('Comma-separated geo codes (00, 09, 14039, US, CBP regions US-SWB/US-NB/US-CI, areas such as US-SWB-USBP-TCA), or level:state, level:municipality, level:region, children:<code>'),
  period: z.string().optional().describe('FROM..TO, e.g. 2015..2024, 2019-01..2020-12 or FY2019..FY2026; open ends allowed (2019..). With freq=fy a bare year is a fiscal year'),
  freq: QueryFreq.default('year').describe('month, year (calendar) or fy (U.S. fiscal year, October–September, built from months; partial fiscal years are flagged partial-period)'),
  by: Dimension.optional(),
  lang: Lang.default('es'),
  as_of: z.iso.datetime({ offset: true }).optional().describe('Values as they were known at this instant (ISO 8601)'),
  measure: z.enum(['count', 'rate']).default('count').describe('count, or rate: a count of people per 100,000 of the population the catalog names (femicide: per 100,000 women)'),
  annualise: z.enum(['true', 'false']).default('false').describe('true: monthly rates × 365.25 / days in the month (freq=month with measure=rate, or mx.homicide.rate)'),
  ytd: z.enum(['true', 'false']).optional().describe('true: the same months of every year — each year summed over the months the latest year has (e.g. January–June); the result lists them in ytd_months. Needs freq=year or fy'),
});
export type DataQuery = z.infer<typeof DataQuery>;

export function toQueryParams(indicator: string, q: DataQuery): QueryParams {
  const [from, to] = q.period === undefined ? [null, null] : q.period.includes('..') ? q.period.split('..') : [q.period, q.period];
  return {
    indicator,
    geo: q.geo.split(',').map((g) => g.trim()).filter((g) => g !== ''),
    from: from === undefined || from === '' ? null : from,
    to: to === undefined || to === '' ? null : to,
    freq: q.freq,
    by: q.by ?? null,
    lang: q.lang,
    asOf: q.as_of ?? null,
    measure: q.measure,
    annualise: q.annualise === 'true',
    ...(q.ytd === 'true' ? { ytd: true } : {}),
  };
}
