import { z } from 'zod';
import { Dimension } from './indicator.js';
import { QualityFlag } from './flags.js';
import { QueryFreq } from './period.js';

/** Where a secondary value was taken from (every `secondary-source` row carries at least one). */
export const SourceLink = z.object({ url: z.string(), outlet: z.string(), note: z.string() });
export type SourceLink = z.infer<typeof SourceLink>;

/** The rows an indicator query returns: one boundary, shared by the CLI (`--format json`) and the API. */
export const ResultRow = z.object({
  geo: z.string(),
  geo_name: z.string(),
  period: z.string(),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  flags: z.array(QualityFlag),
  release_ids: z.array(z.number().int()),
  /** The breakdown value when the query asked for `by`. */
  dimension: z.string().optional(),
  /** Months summed into a year, when built from monthly data. */
  months: z.number().int().optional(),
  /** For values flagged `secondary-source`: the pages they were transcribed from. */
  source_links: z.array(SourceLink).optional(),
});
export type ResultRow = z.infer<typeof ResultRow>;

export const ResultSource = z.object({
  id: z.string(),
  publisher: z.string(),
  dataset: z.string(),
  url: z.string(),
  releases: z.array(z.object({ id: z.number().int(), file_name: z.string(), sha256: z.string(), imported_at: z.string() })),
});

export const QueryResult = z.object({
  indicator: z.string(),
  name: z.string(),
  unit: z.string(),
  /** `rate` when the count was asked for per population (the unit says per how many). */
  measure: z.enum(['count', 'rate']).optional(),
  /** Monthly rates multiplied by 365.25 / days in the month. */
  annualised: z.boolean().optional(),
  freq: QueryFreq,
  by: Dimension.nullable(),
  rows: z.array(ResultRow),
  sources: z.array(ResultSource),
  notes: z.array(z.string()),
  /** The last month (YYYY-MM) any numerator series holds: "data through June 2025". Absent for series without months. */
  through: z.string().optional(),
  /** Year-to-date comparison: the months (1–12) every year was summed over (those the latest year has). */
  ytd_months: z.array(z.number().int().min(1).max(12)).optional(),
  /** Counts of a status at the date of retrieval (RNPDNO): that date (YYYY-MM, or YYYY-MM-DD). */
  status_as_of: z.string().optional(),
});
export type QueryResult = z.infer<typeof QueryResult>;

export const QueryParams = z.strictObject({
  indicator: z.string().min(1),
  geo: z.array(z.string().min(1)).min(1),
  from: z.string().nullable(),
  to: z.string().nullable(),
  freq: QueryFreq,
  by: Dimension.nullable(),
  lang: z.enum(['es', 'en']),
  asOf: z.string().nullable(),
  /** A count of people per population instead of the count (the indicator's `rate`). */
  measure: z.enum(['count', 'rate']).optional(),
  /** Monthly rates × 365.25 / days in the month. */
  annualise: z.boolean().optional(),
  /** Sum every year over only the months the latest year has (Jan–Jun of each year when the latest ends in June). */
  ytd: z.boolean().optional(),
});
export type QueryParams = z.infer<typeof QueryParams>;
