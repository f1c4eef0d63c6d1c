import { z } from 'zod';
import { Confidence, MeridaPillarId, NodeId, SourceRef } from './framework.js';
import { IsoDate, Text } from './text.js';

// ---------------------------------------------------------------------------------------------------------------------
// Progress of indicators (scorecard)
// ---------------------------------------------------------------------------------------------------------------------

/** Open SDG's idea (Statistics Canada's method), reduced to the five classes the scorecard publishes. */
export const ProgressClass = z.enum(['on-track', 'some-progress', 'off-track', 'no-target', 'no-data']);
export type ProgressClass = z.infer<typeof ProgressClass>;

/** Direction of change since the baseline, judged against the indicator's desired direction (for indicators without a target). */
export const Trend = z.enum(['improving', 'little-change', 'worsening', 'not-applicable', 'not-comparable']);
export type Trend = z.infer<typeof Trend>;

export const Freshness = z.enum(['fresh', 'stale', 'irregular', 'no-data']);
export type Freshness = z.infer<typeof Freshness>;

export const PROGRESS_LABELS: Record<ProgressClass, Text> = {
  'on-track': { es: 'en camino', en: 'on track' },
  'some-progress': { es: 'algún avance', en: 'some progress' },
  'off-track': { es: 'fuera de camino', en: 'off track' },
  'no-target': { es: 'sin meta', en: 'no target' },
  'no-data': { es: 'sin datos', en: 'no data' },
};

export const TREND_LABELS: Record<Trend, Text> = {
  improving: { es: 'mejora', en: 'improving' },
  'little-change': { es: 'poco cambio', en: 'little change' },
  worsening: { es: 'empeora', en: 'worsening' },
  'not-applicable': { es: 'no aplica', en: 'not applicable' },
  // Counts of a status at retrieval (RNPDNO): recent months are still being registered, so a change is lag, not a verdict.
  'not-comparable': { es: 'no comparable (estatus a la fecha de consulta)', en: 'not comparable (status at retrieval)' },
};

export const FRESHNESS_LABELS: Record<Freshness, Text> = {
  fresh: { es: 'al día', en: 'up to date' },
  stale: { es: 'desactualizado', en: 'out of date' },
  irregular: { es: 'publicación irregular', en: 'irregular publication' },
  'no-data': { es: 'sin datos', en: 'no data' },
};

/** The gaps the monitoring-gap report lists (GAO-10-837, GAO-20-388: measures, targets, data, risks). */
export const GapKind = z.enum(['no-indicator', 'no-baseline', 'no-target', 'no-recent-data', 'no-risk-entry', 'no-evidence']);
export type GapKind = z.infer<typeof GapKind>;

export const GAP_LABELS: Record<GapKind, Text> = {
  'no-indicator': { es: 'sin indicador vinculado', en: 'no linked indicator' },
  'no-baseline': { es: 'sin línea de base con datos', en: 'no baseline with data' },
  'no-target': { es: 'sin meta', en: 'no target' },
  'no-recent-data': { es: 'sin datos recientes', en: 'no recent data' },
  'no-risk-entry': { es: 'sin riesgos registrados', en: 'no risk entries' },
  'no-evidence': { es: 'sin evidencia de avance', en: 'no evidence of progress' },
};

// ---------------------------------------------------------------------------------------------------------------------
// Risk register (catalog data)
// ---------------------------------------------------------------------------------------------------------------------

export const RiskLevel = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof RiskLevel>;
export const RiskCategory = z.enum(['implementation', 'external', 'corruption-fraud', 'human-rights', 'data']);

export const RISK_LEVEL_LABELS: Record<RiskLevel, Text> = {
  low: { es: 'baja', en: 'low' },
  medium: { es: 'media', en: 'medium' },
  high: { es: 'alta', en: 'high' },
};
export const RISK_CATEGORY_LABELS: Record<z.infer<typeof RiskCategory>, Text> = {
  implementation: { es: 'ejecución', en: 'implementation' },
  external: { es: 'externo', en: 'external' },
  'corruption-fraud': { es: 'corrupción y fraude', en: 'corruption and fraud' },
  'human-rights': { es: 'derechos humanos', en: 'human rights' },
  data: { es: 'datos', en: 'data' },
};

export const Risk = z.strictObject({
  id: z.string().regex(/^r-[a-z0-9-]+$/),
  /** Joint objectives (or areas, where the objectives are not published). */
  nodes: z.array(NodeId).min(1),
  category: RiskCategory,
  risk: Text,
  likelihood: RiskLevel,
  impact: RiskLevel,
  mitigation: Text,
  /** Who should own the mitigation, as the sources suggest; "not assigned" when nobody is named. */
  owner: Text,
  reviewDate: IsoDate,
  /** Likelihood and impact are Observa's editorial judgement from the sources, not an official rating. */
  basis: Text,
  confidence: Confidence,
  sources: z.array(SourceRef).min(1),
});
export type Risk = z.infer<typeof Risk>;

// ---------------------------------------------------------------------------------------------------------------------
// U.S. assistance lines
// ---------------------------------------------------------------------------------------------------------------------

export const AssistanceAccount = z.enum(['INCLE', 'FMF', 'IMET', 'ESF', 'DOD-CN', 'MULTIPLE', 'OTHER']);
export type AssistanceAccount = z.infer<typeof AssistanceAccount>;
/** The money pipeline in order; Mérida totals differ by source because they count different stages. */
/** `not-stated`: the source gives an amount without saying which stage it counts. */
export const FundingStage = z.enum(['request', 'appropriation', 'allocation', 'obligation', 'disbursement', 'not-stated']);
export type FundingStage = z.infer<typeof FundingStage>;

export const ACCOUNT_LABELS: Record<AssistanceAccount, Text> = {
  INCLE: { es: 'INCLE (control internacional de narcóticos y aplicación de la ley)', en: 'INCLE (International Narcotics Control and Law Enforcement)' },
  FMF: { es: 'FMF (financiamiento militar extranjero)', en: 'FMF (Foreign Military Financing)' },
  IMET: { es: 'IMET (educación y entrenamiento militar internacional)', en: 'IMET (International Military Education and Training)' },
  ESF: { es: 'ESF (fondo de apoyo económico)', en: 'ESF (Economic Support Fund)' },
  'DOD-CN': { es: 'DoD antinarcóticos (secc. 1004/333)', en: 'DoD counter-narcotics (sec. 1004/333)' },
  MULTIPLE: { es: 'varias cuentas (total sin desglose publicado)', en: 'several accounts (total, no published split)' },
  OTHER: { es: 'otra cuenta', en: 'other account' },
};
export const STAGE_LABELS: Record<FundingStage, Text> = {
  request: { es: 'solicitud', en: 'request' },
  appropriation: { es: 'asignación del Congreso', en: 'appropriation' },
  allocation: { es: 'distribución', en: 'allocation' },
  obligation: { es: 'obligación', en: 'obligation' },
  disbursement: { es: 'desembolso', en: 'disbursement' },
  'not-stated': { es: 'etapa no indicada', en: 'stage not stated' },
};

const FiscalYear = z.number().int().min(1990).max(2100);

export const AssistanceLine = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/),
    program: z.enum(['merida', 'bicentennial', 'pre-merida', 'other']),
    account: AssistanceAccount,
    /** The account's name as the source gives it (ForeignAssistance.gov "Funding Account Name"). */
    accountName: z.string().optional(),
    fyFrom: FiscalYear,
    fyTo: FiscalYear,
    stage: FundingStage,
    amountUsd: z.number().nonnegative(),
    /** True where the source publishes one total for several accounts or years and no split. */
    isTotal: z.boolean(),
    recipient: Text,
    goals: z.array(NodeId).default([]),
    pillars: z.array(MeridaPillarId).default([]),
    note: Text,
    confidence: Confidence,
    source: SourceRef,
  })
  .refine((l) => l.fyFrom <= l.fyTo, { message: 'fyFrom must not be after fyTo', path: ['fyTo'] })
  .refine((l) => l.isTotal || l.fyFrom === l.fyTo, { message: 'a line over several fiscal years must be marked isTotal', path: ['isTotal'] });
export type AssistanceLine = z.infer<typeof AssistanceLine>;

// ---------------------------------------------------------------------------------------------------------------------
// Reported figures beside computed ones
// ---------------------------------------------------------------------------------------------------------------------

export const DifferenceReason = z.enum(['source', 'cut-off', 'definition', 'rounding', 'not-computable']);
export type DifferenceReason = z.infer<typeof DifferenceReason>;
export const REASON_LABELS: Record<DifferenceReason, Text> = {
  source: { es: 'otra fuente', en: 'different source' },
  'cut-off': { es: 'otra fecha de corte', en: 'different cut-off date' },
  definition: { es: 'otra definición', en: 'different definition' },
  rounding: { es: 'redondeo', en: 'rounding' },
  'not-computable': { es: 'Observa no tiene los datos para calcularla', en: 'Observa holds no data to compute it' },
};

export const ReportedFigure = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  statement: Text,
  value: z.number(),
  /** "over 95,000" is at-least; "approximately 29" is about; "up to 300" is at-most. */
  qualifier: z.enum(['exact', 'at-least', 'about', 'at-most']),
  unit: Text,
  period: z.string(),
  /** What Observa computes for comparison, when it can. */
  compare: z.strictObject({ indicator: z.string(), geo: z.string(), period: z.string() }).optional(),
  reasons: z.array(DifferenceReason).min(1),
  explanation: Text,
  /** Who published the figure and where the figure comes from, in their words. */
  attribution: Text,
  source: SourceRef,
});
export type ReportedFigure = z.infer<typeof ReportedFigure>;

/** The file may hold YAML anchors under other keys (`_sources`); only these three are data. */
export const MonitoringCatalog = z.object({
  risks: z.array(Risk),
  assistance: z.array(AssistanceLine),
  reported: z.array(ReportedFigure),
});
export type MonitoringCatalog = z.infer<typeof MonitoringCatalog>;
