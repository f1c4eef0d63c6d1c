import { z } from 'zod';
import { QualityFlag } from './flags.js';

/**
 * "Both sides of the border": pairs of series from the two sides (or from both ends of one problem) on one chart,
 * each indexed to its own base period (= 100), so that changes are compared, never levels or units.
 */
export const BothSidesPoint = z.object({
  period: z.string(),
  /** The year the period is named after (FY2023 → 2023, 2023 → 2023): the chart's x position. */
  year: z.number().int(),
  value: z.number().nullable(),
  /** value ÷ base value × 100; null when either is missing. */
  index: z.number().nullable(),
  /** Partial periods are drawn apart from the line and never compared as complete. */
  partial: z.boolean(),
  flags: z.array(QualityFlag),
});
export type BothSidesPoint = z.infer<typeof BothSidesPoint>;

export const BothSidesSeries = z.object({
  indicator: z.string(),
  name: z.string(),
  unit: z.string(),
  geo: z.string(),
  geo_name: z.string(),
  side: z.string(),
  freq: z.enum(['fy', 'year']),
  base: z.object({ period: z.string(), value: z.number().nullable() }),
  points: z.array(BothSidesPoint),
  sources: z.array(z.object({ publisher: z.string(), dataset: z.string(), url: z.string(), files: z.array(z.string()) })),
});
export type BothSidesSeries = z.infer<typeof BothSidesSeries>;

export const BothSidesPair = z.object({
  id: z.string(),
  title: z.string(),
  method: z.string(),
  caveats: z.array(z.string()),
  series: z.array(BothSidesSeries),
});
export type BothSidesPair = z.infer<typeof BothSidesPair>;

export const BothSidesView = z.object({
  pairs: z.array(BothSidesPair),
  /** Pairs left out because one of their indicators is not in this build's catalog. */
  skipped: z.array(z.object({ id: z.string(), title: z.string(), missing: z.array(z.string()) })),
});
export type BothSidesView = z.infer<typeof BothSidesView>;
