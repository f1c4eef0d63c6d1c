import { z } from 'zod';
import { GeoLevel } from './geo.js';
import { QueryFreq } from './period.js';
import { NodeId } from './framework.js';
import { Text } from './text.js';
import { QualityFlag } from './flags.js';

/**
 * `mx.*`, `us.*` and `migrants.*` (binational, e.g. IOM's border route) come from official or secondary statistics;
 * `cases.*` from Observa's case registry (public, suppressed aggregates).
 */
export const IndicatorCode = z.string().regex(/^(mx|us|migrants|cases)\.[a-z_]+(\.[a-z_]+)*$/, 'expected a code like mx.homicide.rate').brand<'IndicatorCode'>();
export type IndicatorCode = z.infer<typeof IndicatorCode>;

/** Dimensions an observation may carry besides series, geo and period. */
export const Dimension = z.enum([
  'crime_type', 'crime_subtype', 'modality', 'sex', 'age', 'estimate', 'component', 'drug', 'citizenship', 'stage', 'cause', 'category',
]);
export type Dimension = z.infer<typeof Dimension>;

/** A term of a formula: one series, optionally filtered on dimension values, used at the listed geo levels. */
export const SeriesTerm = z.strictObject({
  series: z.string().min(1),
  where: z.partialRecord(Dimension, z.array(z.string().min(1)).min(1)).default({}),
  levels: z.array(GeoLevel).min(1).optional(),
  /** Flags every value this term contributes to (the census population where CONAPO has none says so). */
  flags: z.array(QualityFlag).min(1).optional(),
});
export type SeriesTerm = z.infer<typeof SeriesTerm>;

export const IndicatorTag = z.enum(['militarisation']);
export type IndicatorTag = z.infer<typeof IndicatorTag>;
export const TAG_LABELS: Record<IndicatorTag, Text> = {
  militarisation: { es: 'Militarización de la seguridad pública', en: 'Militarisation of public security' },
};

export const Indicator = z.strictObject({
  code: IndicatorCode,
  name: Text,
  definition: Text,
  unit: Text,
  /** count: additive; ratio: numerator ÷ denominator × factor, always from summed parts. */
  kind: z.enum(['count', 'ratio']),
  numerator: z.array(SeriesTerm).min(1),
  denominator: z.array(SeriesTerm).min(1).optional(),
  /** Filters applied unless the query breaks the indicator down by that dimension (e.g. CDC's predicted vs reported). */
  defaults: z.partialRecord(Dimension, z.string().min(1)).default({}),
  factor: z.number().positive().default(1),
  decimals: z.number().int().min(0).max(4).default(0),
  direction: z.enum(['lower-is-better', 'higher-is-better', 'neutral']),
  levels: z.array(GeoLevel).min(1),
  frequencies: z.array(QueryFreq).min(1),
  dimensions: z.array(Dimension).default([]),
  /** Catalog ids of the sources behind it. */
  sources: z.array(z.string()).min(1),
  framework: z.array(NodeId).default([]),
  baseline: z.strictObject({ period: z.string(), geo: z.string(), note: Text }),
  targets: z.array(z.strictObject({ period: z.string(), value: z.number(), source: z.url(), note: Text })).default([]),
  /** Why there is no target, when there is none (the scorecard counts it as a gap). */
  targetNote: Text.optional(),
  caveats: z.array(Text).default([]),
  /** Cross-cutting themes the Framework's nodes do not name (e.g. the militarisation of public security). */
  tags: z.array(IndicatorTag).default([]),
  /** The publisher leaves out rows whose count is zero (RNPDNO): a place without a row has 0, not "no data". */
  zeroWhenAbsent: z.boolean().default(false),
  /**
   * A count of people and its rate: the same numerator over a population, per `factor` inhabitants. The rate is derived
   * from the count (`rateIndicator`), never written out as a second formula.
   */
  rate: z.strictObject({
    denominator: z.array(SeriesTerm).min(1),
    factor: z.number().positive(),
    decimals: z.number().int().min(0).max(4),
    unit: Text,
    /** Which population, from which source, at which levels: shown beside every rate. */
    population: Text,
    /** Catalog ids of the population's sources (cited with the rate). */
    sources: z.array(z.string()).min(1),
  }).optional(),
  /** Why a count of people has no rate (no population for its geography is bundled). */
  noRate: Text.optional(),
  /** A ratio published under its own code that is the rate of a count: the loader checks the formulas are the same. */
  rateOf: IndicatorCode.optional(),
  /**
   * Counts of a status at the date the data was retrieved (RNPDNO): months near that date are still being registered,
   * so the series is biased by lag and its trend is "not comparable" rather than a verdict.
   */
  statusAtRetrieval: z.strictObject({
    /** YYYY-MM (or YYYY-MM-DD when the day is known). */
    date: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/),
    /** Months before the last published month whose counts are still being registered (flagged provisional). */
    registeringMonths: z.number().int().min(0),
    /** Said wherever the national value is shown (e.g. persons without a registered state count only there). */
    nationalNote: Text.optional(),
  }).optional(),
});
export type Indicator = z.infer<typeof Indicator>;
export type IndicatorInput = z.input<typeof Indicator>;

export const PublicationFrequency = z.enum(['monthly', 'quarterly', 'yearly', 'decennial', 'irregular']);
export type PublicationFrequency = z.infer<typeof PublicationFrequency>;
export const FREQUENCY_LABELS: Record<PublicationFrequency, Text> = {
  monthly: { es: 'mensual', en: 'monthly' },
  quarterly: { es: 'trimestral', en: 'quarterly' },
  yearly: { es: 'anual', en: 'yearly' },
  decennial: { es: 'decenal', en: 'every ten years' },
  irregular: { es: 'irregular', en: 'irregular' },
};

export const Source = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  publisher: Text,
  dataset: Text,
  url: z.url(),
  licence: Text,
  /** How often the publisher releases it; the scorecard's freshness test uses it. */
  publicationFrequency: PublicationFrequency,
  notes: Text,
  /**
   * Each place is published in every month it reports, a month not yet reported left empty (SESNSP's wide layout): a
   * place missing a month makes its own period — and every total containing it — partial. Off where a missing row means
   * zero or nothing (CBP lists only the areas that seized something; RNPDNO only non-zero municipality-months).
   */
  missingMonthMeansUnreported: z.boolean().default(false),
});
export type Source = z.infer<typeof Source>;

export type Measure = 'count' | 'rate';

/** The rate of a count of people: its numerator over the declared population (no breakdown: the population has none). */
export function rateIndicator(count: Indicator): Indicator {
  if (!count.rate) throw new Error(`${count.code} has no rate`);
  const { denominator, factor, decimals, unit, sources } = count.rate;
  return { ...count, kind: 'ratio', denominator, factor, decimals, unit, dimensions: [], sources: [...new Set([...count.sources, ...sources])] };
}

/** Days in the month of a `YYYY-MM` period. */
export function daysInMonth(period: string): number {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year ?? 0, month ?? 0, 0)).getUTCDate();
}

/** The one annualisation rule: a monthly rate × 365.25 / days in that month (a year of average length). */
export const annualiseMonthlyRate = (value: number, period: string): number => (value * 365.25) / daysInMonth(period);

export const ANNUALISATION_METHOD = {
  es: 'Tasa mensual anualizada: tasa del mes × 365.25 / días del mes (enero: × 365.25/31; febrero de 2024: × 365.25/29), para compararla con tasas anuales.',
  en: 'Annualised monthly rate: the month\'s rate × 365.25 / days in the month (January: × 365.25/31; February 2024: × 365.25/29), to compare it with yearly rates.',
} as const satisfies Text;
