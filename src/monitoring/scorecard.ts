import { baselineSeries, detailOf } from '../analytics/index.js';
import { loadCatalog } from '../catalog/index.js';
import {
  IndicatorTag, type BenchmarksPromise, type CompletionStatus, type EvidenceEntry, type EvidenceKind, type EvidenceTarget, type Freshness, type FrameworkNode, type GapKind, type Indicator, type Lang, type ProgressClass,
  type PublicationFrequency, type QualityFlag, type QueryResult, type ResultRow, type SourceLink, type Text, type Trend,
} from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { currentStatus, listEvidence } from './evidence.js';

/** The method, published with every scorecard (es/en). */
export const SCORECARD_METHOD: Record<'progress' | 'trend' | 'freshness' | 'rollup' | 'evidence', Text> = {
  progress: {
    es: 'Con meta: se compara el cambio anual observado desde la línea de base con el cambio anual necesario para llegar a la meta en su fecha (tasa de crecimiento compuesta; lineal si algún valor es cero). Cociente ≥ 0,95 o meta ya alcanzada: en camino; entre 0 y 0,95: algún avance; ≤ 0 (sin cambio o en contra): fuera de camino. Es el método de Open SDG (Statistics Canada). Sin meta: «sin meta». Sin valor completo posterior a la línea de base: «sin datos».',
    en: 'With a target: the yearly change observed since the baseline is compared with the yearly change needed to reach the target by its date (compound growth rate; linear when a value is zero). Ratio ≥ 0.95, or target already met: on track; between 0 and 0.95: some progress; ≤ 0 (no change or the wrong way): off track. This is Open SDG\'s method (Statistics Canada). Without a target: "no target". Without a complete value after the baseline: "no data".',
  },
  trend: {
    es: 'Dirección del cambio desde la línea de base frente a la dirección deseada: variación anual compuesta mayor de 1 % a favor, mejora; mayor de 1 % en contra, empeora; si no, poco cambio. No aplica a indicadores de dirección neutra (contexto). Conteos de un estatus a la fecha de consulta (RNPDNO): no comparable, porque los meses recientes aún se están registrando.',
    en: 'Direction of change since the baseline against the desired direction: a compound yearly change of more than 1% the right way is improving, more than 1% the wrong way is worsening, otherwise little change. Not applicable to indicators with a neutral direction (context). Counts of a status at retrieval (RNPDNO): not comparable, since recent months are still being registered.',
  },
  freshness: {
    es: 'Al día si el último periodo con datos terminó hace no más de: 3 meses (fuente mensual), 6 (trimestral), 24 (anual), 132 (decenal), contado desde la fecha de corte del tablero.',
    en: 'Up to date if the latest period with data ended no more than 3 months (monthly source), 6 (quarterly), 24 (yearly) or 132 (decennial) before the scorecard\'s as-of date.',
  },
  rollup: {
    es: 'Cada objetivo, área y meta cuenta los indicadores vinculados a él o a los nodos debajo (sin repetir), las acciones debajo por estado de evidencia y los riesgos registrados para él o para su área.',
    en: 'Each objective, area and goal counts the indicators linked to it or to the nodes below it (each once), the actions below it by evidence status, and the risks registered for it or for its area.',
  },
  evidence: {
    es: 'Solo cuenta la evidencia aprobada: las entradas del catálogo (revisadas en git) y las enviadas por un editor que otra persona con rol de revisor aprobó. Cada nodo cuenta sus propias entradas y las de los nodos debajo. Una declaración del gobierno es una declaración, no un resultado verificado. El estado de un nodo es el de su entrada con la fecha más reciente.',
    en: 'Only approved evidence counts: catalog entries (reviewed in git) and entries submitted by an editor and approved by a second person with the reviewer role. Each node counts its own entries and those of the nodes below it. A government claim is a claim, not a verified result. A node\'s status is that of its entry with the latest date.',
  },
};

/** What the scorecard says when no government published a target or benchmark. */
const NO_TARGETS_STATEMENT: Text = {
  es: 'Ningún gobierno publicó metas ni puntos de referencia (benchmarks) para el Marco; el tablero no las inventa.',
  en: 'Neither government published targets or benchmarks for the Framework; the scorecard does not invent them.',
};

const MAX_AGE_MONTHS: Record<PublicationFrequency, number | null> = { monthly: 3, quarterly: 6, yearly: 24, decennial: 132, irregular: null };

/** A period as a fractional year: '2021' → 2021, '2021-06' → 2020.5 + 6/12, '12m-ending-2021-12' → 2021, 'FY2021' → 2021. */
export function periodYears(period: string): number {
  // FY2025 counts as 2025 (fiscal years are compared with fiscal years: the baseline is one too).
  const m = /^(?:12m-ending-|FY)?(\d{4})(?:-(\d{2}))?$/.exec(period);
  if (!m) return Number.NaN;
  const year = Number(m[1]);
  return m[2] === undefined ? year : year - 1 + Number(m[2]) / 12;
}

export interface Assessment {
  readonly progress: ProgressClass;
  readonly trend: Trend;
  /** Compound yearly change since the baseline, in percent (null when it cannot be computed). */
  readonly yearlyChangePct: number | null;
  /** Observed ÷ required yearly change, when there is a target. */
  readonly progressRatio: number | null;
}

const rate = (from: number, to: number, years: number): number =>
  from > 0 && to > 0 ? (to / from) ** (1 / years) - 1 : (to - from) / years / (Math.abs(from) > 0 ? Math.abs(from) : 1);

/** The pure part of the scorecard: one indicator's progress class and trend. */
export function assess(input: {
  direction: Indicator['direction'];
  baseline: { period: string; value: number } | null;
  latest: { period: string; value: number } | null;
  target: { period: string; value: number } | null;
  /** Counts of a status at retrieval (RNPDNO): lag-biased, so the trend is "not comparable" instead of a verdict. */
  statusAtRetrieval?: boolean;
}): Assessment {
  const { baseline, latest, target, direction } = input;
  if (!baseline || !latest) return { progress: 'no-data', trend: 'not-applicable', yearlyChangePct: null, progressRatio: null };
  if (input.statusAtRetrieval) return { progress: target ? 'no-data' : 'no-target', trend: 'not-comparable', yearlyChangePct: null, progressRatio: null };
  const years = periodYears(latest.period) - periodYears(baseline.period);
  const sign = direction === 'lower-is-better' ? -1 : 1;
  let trend: Trend = 'not-applicable';
  let change: number | null = null;
  if (years > 0) {
    change = rate(baseline.value, latest.value, years);
    if (direction !== 'neutral') trend = change * sign > 0.01 ? 'improving' : change * sign < -0.01 ? 'worsening' : 'little-change';
  }
  const yearlyChangePct = change === null ? null : Math.round(change * 10_000) / 100;
  if (!target) return { progress: years > 0 ? 'no-target' : 'no-data', trend, yearlyChangePct, progressRatio: null };
  if (direction === 'neutral') return { progress: 'no-target', trend, yearlyChangePct, progressRatio: null };
  const met = sign < 0 ? latest.value <= target.value : latest.value >= target.value;
  if (met) return { progress: 'on-track', trend, yearlyChangePct, progressRatio: null };
  if (years <= 0 || change === null) return { progress: 'no-data', trend, yearlyChangePct, progressRatio: null };
  const targetYears = periodYears(target.period) - periodYears(baseline.period);
  const required = targetYears > 0 ? rate(baseline.value, target.value, targetYears) : Number.NaN;
  if (!Number.isFinite(required) || required === 0) return { progress: 'off-track', trend, yearlyChangePct, progressRatio: null };
  const ratio = change / required;
  const progress: ProgressClass = ratio >= 0.95 ? 'on-track' : ratio > 0 ? 'some-progress' : 'off-track';
  return { progress, trend, yearlyChangePct, progressRatio: Math.round(ratio * 1000) / 1000 };
}

/** Whole months between the end of the latest period and the as-of date; yearly periods end in December. */
export function freshness(lastPeriod: { year: number; month: number } | null, frequency: PublicationFrequency, asOf: Date): { freshness: Freshness; ageMonths: number | null } {
  if (!lastPeriod) return { freshness: 'no-data', ageMonths: null };
  const age = asOf.getUTCFullYear() * 12 + asOf.getUTCMonth() + 1 - (lastPeriod.year * 12 + (lastPeriod.month === 0 ? 12 : lastPeriod.month));
  const max = MAX_AGE_MONTHS[frequency];
  if (max === null) return { freshness: 'irregular', ageMonths: age };
  return { freshness: age <= max ? 'fresh' : 'stale', ageMonths: age };
}

/** A value's flags, and the pages a secondary value was taken from (only when it has them). */
function flagsAndLinks(row: ResultRow | null): Pick<ScoredValue, 'flags' | 'source_links'> {
  if (!row) return { flags: [] };
  return { flags: row.flags, ...(row.source_links ? { source_links: row.source_links } : {}) };
}

/**
 * A value shown for an indicator keeps its flags; a secondary value (transcribed by a third party) also keeps the pages
 * it was taken from, so no page, command or report shows it without its flag and its own link.
 */
export interface ScoredValue {
  readonly period: string;
  readonly value: number | null;
  readonly flags: readonly QualityFlag[];
  readonly source_links?: readonly SourceLink[];
}

export interface IndicatorScore {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly direction: Indicator['direction'];
  readonly nodes: readonly string[];
  readonly baseline: ScoredValue & { readonly geo: string };
  readonly latest: ScoredValue | null;
  readonly latestComplete: ScoredValue | null;
  readonly target: { period: string; value: number; source: string } | null;
  readonly targetNote: string | null;
  readonly lastPeriodWithData: string | null;
  readonly sourceFrequency: PublicationFrequency;
  readonly freshness: Freshness;
  readonly ageMonths: number | null;
  readonly progress: ProgressClass;
  readonly trend: Trend;
  readonly yearlyChangePct: number | null;
  readonly progressRatio: number | null;
}

export interface NodeScore {
  readonly id: string;
  readonly kind: FrameworkNode['kind'];
  readonly parent: string | null;
  readonly title: string;
  readonly confidence: FrameworkNode['confidence'];
  /** Indicators linked to this node itself. */
  readonly indicators: readonly string[];
  /** Indicators linked to it or any node below it. */
  readonly measuredBy: readonly string[];
  /** Of those, the ones with at least one value in the store. */
  readonly measuredWithData: readonly string[];
  readonly hasBaseline: boolean;
  readonly hasTarget: boolean;
  readonly hasFreshData: boolean;
  readonly progress: Record<ProgressClass, number>;
  /** Its current status on the completion scale, from its latest approved evidence entry (about the node itself). */
  readonly evidence: { status: CompletionStatus; date: string; entry: number; entries: number } | null;
  /** Approved entries about the node itself, and about it or any node below it. */
  readonly evidenceCount: { own: number; withBelow: number };
  /** Benchmarks or targets the governments published for this node (evidence.yaml `targets` naming the node). */
  readonly publishedTargets: readonly { value: number; period: string; note: string | null; source: string }[];
  /** For goals, areas and objectives: the actions below them by current status (`none`: no evidence yet). */
  readonly actions: Record<CompletionStatus | 'none', number> | null;
  readonly risks: readonly string[];
  readonly gaps: readonly GapKind[];
}

export interface Scorecard {
  readonly asOf: string;
  readonly through: number | null;
  readonly lang: Lang;
  readonly frameworkVersion: string;
  readonly method: Record<keyof typeof SCORECARD_METHOD, string>;
  readonly summary: {
    readonly nodes: number;
    readonly nodesByKind: Record<FrameworkNode['kind'], number>;
    readonly measured: number;
    /** Goals, areas and objectives (no actions). */
    readonly goalsAreasObjectives: number;
    /** Goals, areas and objectives with at least one linked indicator (itself or below) that has data. */
    readonly measuredWithData: number;
    /** Indicators by cross-cutting tag (e.g. militarisation). */
    readonly indicatorsByTag: Record<string, number>;
    readonly withTarget: number;
    readonly withFreshData: number;
    readonly withRisks: number;
    readonly actionsWithEvidence: number;
    /** actionsWithEvidence ÷ actions, from 0 to 1 (null without actions). */
    readonly actionsWithEvidenceShare: number | null;
    /** Nodes of every kind with approved evidence about themselves or a node below. */
    readonly nodesWithEvidence: number;
    /** Approved entries in all, and by kind. */
    readonly evidenceEntries: number;
    readonly evidenceByKind: Record<EvidenceKind, number>;
    /** Published targets (indicators.yaml and evidence.yaml) and, when there are none, what the scorecard says and cites. */
    readonly targets: {
      readonly published: number;
      readonly statement: string | null;
      readonly promise: (Omit<BenchmarksPromise, 'note'> & { note: string }) | null;
    };
    readonly indicatorsByProgress: Record<ProgressClass, number>;
  };
  readonly indicators: readonly IndicatorScore[];
  readonly nodes: readonly NodeScore[];
  readonly gaps: readonly { id: string; kind: FrameworkNode['kind']; title: string; missing: readonly GapKind[] }[];
}

const emptyProgress = (): Record<ProgressClass, number> => ({ 'on-track': 0, 'some-progress': 0, 'off-track': 0, 'no-target': 0, 'no-data': 0 });

async function lastPeriods(tx: ReadTx): Promise<Map<string, { year: number; month: number }>> {
  const rows = await tx.all<{ series: string; year: number; month: number }>(
    `SELECT series, year, month FROM (
       SELECT series, year, month, row_number() OVER (PARTITION BY series ORDER BY year DESC, month DESC) AS latest FROM series_period
     ) AS ranked WHERE latest = 1`,
  );
  return new Map(rows.map((r) => [r.series, { year: Number(r.year), month: Number(r.month) }]));
}

function scoreIndicator(
  series: QueryResult, indicator: Indicator, lang: Lang, asOf: Date, through: number | null, periods: Map<string, { year: number; month: number }>,
): IndicatorScore {
  const detail = detailOf(indicator.code, lang, series, asOf, through ?? undefined);
  const { sources } = loadCatalog();
  const frequency = sources.find((s) => s.id === indicator.sources[0])?.publicationFrequency ?? 'irregular';
  // Freshness follows the numerator's series: the outcome, not the denominator, is what goes stale.
  const asOfYear = Math.min(asOf.getUTCFullYear(), through ?? Number.POSITIVE_INFINITY);
  let last: { year: number; month: number } | null = null;
  for (const term of indicator.numerator) {
    const p = periods.get(term.series);
    if (!p) continue;
    const bounded = p.year > asOfYear ? { year: asOfYear, month: 0 } : p;
    if (!last || bounded.year * 100 + bounded.month > last.year * 100 + last.month) last = bounded;
  }
  const fresh = freshness(last, frequency, asOf);
  const targets = [...indicator.targets, ...evidenceTargets(indicator.code)];
  const targetRow = targets.find((t) => periodYears(t.period) >= periodYears(detail.latestComplete?.period ?? '0000')) ?? targets.at(-1) ?? null;
  const baselineValue = detail.baseline.row?.value ?? null;
  const complete = detail.latestComplete;
  const a = assess({
    direction: indicator.direction,
    baseline: baselineValue === null ? null : { period: indicator.baseline.period, value: baselineValue },
    latest: complete?.value == null ? null : { period: complete.period, value: complete.value },
    target: targetRow ? { period: targetRow.period, value: targetRow.value } : null,
    statusAtRetrieval: indicator.statusAtRetrieval !== undefined,
  });
  return {
    code: indicator.code,
    name: indicator.name[lang],
    unit: indicator.unit[lang],
    direction: indicator.direction,
    nodes: indicator.framework,
    baseline: { period: indicator.baseline.period, geo: indicator.baseline.geo, value: baselineValue, ...flagsAndLinks(detail.baseline.row) },
    latest: detail.latest ? { period: detail.latest.period, value: detail.latest.value, ...flagsAndLinks(detail.latest) } : null,
    latestComplete: complete ? { period: complete.period, value: complete.value, ...flagsAndLinks(complete) } : null,
    target: targetRow ? { period: targetRow.period, value: targetRow.value, source: targetRow.source } : null,
    targetNote: indicator.targetNote?.[lang] ?? null,
    lastPeriodWithData: last ? (last.month === 0 ? String(last.year) : `${last.year}-${String(last.month).padStart(2, '0')}`) : null,
    sourceFrequency: frequency,
    freshness: fresh.freshness,
    ageMonths: fresh.ageMonths,
    ...a,
  };
}

const sourceUrl = (t: EvidenceTarget) => (typeof t.source === 'string' ? t.source : t.source.url);

/** Targets the governments published for an indicator (evidence.yaml), in the shape of the indicator's own targets. */
function evidenceTargets(code: string): { period: string; value: number; source: string }[] {
  return loadCatalog().evidence.targets.filter((t) => t.indicator === code).map((t) => ({ period: t.period, value: t.value, source: sourceUrl(t) }));
}

export interface ScorecardOptions {
  readonly lang: Lang;
  /** The date freshness is judged at; defaults to now. */
  readonly asOf?: Date;
  /** Only data and evidence up to the end of this year count (periodic reports). */
  readonly through?: number;
}

/**
 * Everything a scorecard reads from the store, for one language: the latest period of each series, each measurable
 * indicator's series at its baseline place, the evidence ledger. The date (`asOf`, `through`) only filters these.
 */
export interface ScorecardInputs {
  readonly lang: Lang;
  readonly periods: Map<string, { year: number; month: number }>;
  readonly series: ReadonlyMap<string, QueryResult>;
  readonly evidence: readonly EvidenceEntry[];
}

export async function scorecardInputs(tx: ReadTx, lang: Lang): Promise<ScorecardInputs> {
  const periods = await lastPeriods(tx);
  const series = new Map<string, QueryResult>();
  for (const indicator of loadCatalog().indicators.filter((i) => i.framework.length > 0)) series.set(indicator.code, await baselineSeries(tx, indicator.code, lang));
  return { lang, periods, series, evidence: await listEvidence(tx) };
}

/** The scorecard for every node of the Framework catalog. */
export async function computeScorecard(tx: ReadTx, options: ScorecardOptions): Promise<Scorecard> {
  return assembleScorecard(await scorecardInputs(tx, options.lang), options);
}

/** The scorecard at a date from what was read (no store access). */
export function assembleScorecard(inputs: ScorecardInputs, options: ScorecardOptions): Scorecard {
  const { lang } = options;
  if (inputs.lang !== lang) throw new Error(`scorecard inputs read in ${inputs.lang}, asked for ${lang}`);
  const through = options.through ?? null;
  const asOf = options.asOf ?? (through === null ? new Date() : new Date(Date.UTC(through, 11, 31)));
  const { framework, indicators, monitoring, evidence } = loadCatalog();
  const { periods } = inputs;
  const measurable = indicators.filter((i) => i.framework.length > 0);
  const scores: IndicatorScore[] = [];
  for (const indicator of measurable) scores.push(scoreIndicator(inputs.series.get(indicator.code) as QueryResult, indicator, lang, asOf, through, periods));
  const byCode = new Map(scores.map((s) => [s.code, s]));

  const entries = through === null ? [...inputs.evidence] : inputs.evidence.filter((e) => e.date <= `${through}-12-31`);
  const status = currentStatus(entries);
  const entryCount = new Map<string, number>();
  for (const e of entries) entryCount.set(e.node, (entryCount.get(e.node) ?? 0) + 1);

  const children = new Map<string, FrameworkNode[]>();
  for (const n of framework.nodes) if (n.parent !== null) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const descendants = (id: string): FrameworkNode[] => (children.get(id) ?? []).flatMap((c) => [c, ...descendants(c.id)]);
  const nodeById = new Map(framework.nodes.map((n) => [n.id, n]));
  const ancestors = (n: FrameworkNode): FrameworkNode[] => {
    const p = n.parent === null ? undefined : nodeById.get(n.parent);
    return p ? [p, ...ancestors(p)] : [];
  };
  const risksOf = (id: string) => monitoring.risks.filter((r) => r.nodes.includes(id)).map((r) => r.id);

  const nodes: NodeScore[] = framework.nodes.map((n) => {
    const below = descendants(n.id);
    const direct = scores.filter((s) => s.nodes.includes(n.id)).map((s) => s.code);
    const measuredBy = [...new Set([n, ...below].flatMap((m) => scores.filter((s) => s.nodes.includes(m.id)).map((s) => s.code)))];
    const linked = measuredBy.map((c) => byCode.get(c)).filter((s): s is IndicatorScore => s !== undefined);
    const progress = emptyProgress();
    for (const s of linked) progress[s.progress] += 1;
    // A risk counts for the node it names, the nodes below (an area's risk covers its objectives) and above it.
    const risks = [...new Set([n, ...below, ...ancestors(n).filter((a) => a.kind === 'area')].flatMap((m) => risksOf(m.id)))];
    const current = status.get(n.id);
    const own = entryCount.get(n.id) ?? 0;
    const withBelow = own + below.reduce((sum, m) => sum + (entryCount.get(m.id) ?? 0), 0);
    const publishedTargets = evidence.targets.filter((t) => t.node === n.id)
      .map((t) => ({ value: t.value, period: t.period, note: t.note?.[lang] ?? null, source: sourceUrl(t) }));
    const actionsBelow = below.filter((m) => m.kind === 'action');
    let actions: NodeScore['actions'] = null;
    if (n.kind !== 'action') {
      actions = { 'not-started': 0, limited: 0, substantial: 0, complete: 0, unclear: 0, none: 0 };
      for (const a of actionsBelow) actions[status.get(a.id)?.status ?? 'none'] += 1;
    }
    const gaps: GapKind[] = [];
    if (n.kind === 'action') {
      if (!current) gaps.push('no-evidence');
    } else {
      if (linked.length === 0) gaps.push('no-indicator');
      if (!linked.some((s) => s.baseline.value !== null)) gaps.push('no-baseline');
      if (!linked.some((s) => s.target !== null) && publishedTargets.length === 0) gaps.push('no-target');
      if (!linked.some((s) => s.freshness === 'fresh')) gaps.push('no-recent-data');
      if (n.kind !== 'goal' && risks.length === 0) gaps.push('no-risk-entry');
      if (withBelow === 0) gaps.push('no-evidence');
    }
    return {
      id: n.id,
      kind: n.kind,
      parent: n.parent,
      title: n.title[lang],
      confidence: n.confidence,
      indicators: direct,
      measuredBy,
      measuredWithData: linked.filter((l) => l.lastPeriodWithData !== null).map((l) => l.code),
      hasBaseline: linked.some((s) => s.baseline.value !== null),
      hasTarget: linked.some((s) => s.target !== null) || publishedTargets.length > 0,
      hasFreshData: linked.some((s) => s.freshness === 'fresh'),
      progress,
      evidence: current ? { status: current.status, date: current.date, entry: current.id, entries: own } : null,
      evidenceCount: { own, withBelow },
      publishedTargets,
      actions,
      risks,
      gaps,
    };
  });

  const nodesByKind = { goal: 0, area: 0, objective: 0, action: 0 };
  for (const n of nodes) nodesByKind[n.kind] += 1;
  const indicatorsByProgress = emptyProgress();
  for (const s of scores) indicatorsByProgress[s.progress] += 1;
  const evidenceByKind: Record<EvidenceKind, number> = { 'government-claim': 0, 'independent-assessment': 0, 'observa-judgement': 0 };
  for (const e of entries) evidenceByKind[e.kind] += 1;
  const actionsWithEvidence = nodes.filter((n) => n.kind === 'action' && n.evidence !== null).length;
  const publishedTargetCount = indicators.reduce((sum, i) => sum + i.targets.length, 0) + evidence.targets.length;
  const promise = evidence.benchmarks_promise;
  return {
    asOf: asOf.toISOString().slice(0, 10),
    through,
    lang,
    frameworkVersion: framework.version,
    method: {
      progress: SCORECARD_METHOD.progress[lang], trend: SCORECARD_METHOD.trend[lang],
      freshness: SCORECARD_METHOD.freshness[lang], rollup: SCORECARD_METHOD.rollup[lang], evidence: SCORECARD_METHOD.evidence[lang],
    },
    summary: {
      nodes: nodes.length,
      nodesByKind,
      measured: nodes.filter((n) => n.kind !== 'action' && n.measuredBy.length > 0).length,
      goalsAreasObjectives: nodes.filter((n) => n.kind !== 'action').length,
      measuredWithData: nodes.filter((n) => n.kind !== 'action' && n.measuredWithData.length > 0).length,
      indicatorsByTag: Object.fromEntries(IndicatorTag.options.map((tag) => [tag, measurable.filter((i) => i.tags.includes(tag)).length])),
      withTarget: nodes.filter((n) => n.hasTarget).length,
      withFreshData: nodes.filter((n) => n.hasFreshData).length,
      withRisks: nodes.filter((n) => n.kind !== 'action' && n.risks.length > 0).length,
      actionsWithEvidence,
      actionsWithEvidenceShare: nodesByKind.action === 0 ? null : Math.round((actionsWithEvidence / nodesByKind.action) * 1000) / 1000,
      nodesWithEvidence: nodes.filter((n) => n.evidenceCount.withBelow > 0).length,
      evidenceEntries: entries.length,
      evidenceByKind,
      targets: {
        published: publishedTargetCount,
        statement: publishedTargetCount === 0 ? NO_TARGETS_STATEMENT[lang] : null,
        promise: publishedTargetCount === 0 && promise ? { ...promise, note: promise.note[lang] } : null,
      },
      indicatorsByProgress,
    },
    indicators: scores,
    nodes,
    gaps: nodes.filter((n) => n.gaps.length > 0).map((n) => ({ id: n.id, kind: n.kind, title: n.title, missing: n.gaps })),
  };
}

/**
 * Scorecards by date without a computation per date: what a scorecard reads from the store is read once per data
 * version and language (a few entries kept), and each `as_of`/`through` is then assembled from it in memory. Any number
 * of distinct dates costs one reading of the store (`computations` counts the readings).
 */
export class ScorecardCache {
  computations = 0;
  private readonly inputs = new Map<string, Promise<ScorecardInputs>>();

  constructor(private readonly capacity = 4) {}

  async scorecard(tx: ReadTx, dataVersion: string, options: ScorecardOptions): Promise<Scorecard> {
    const key = `${dataVersion}|${options.lang}`;
    let inputs = this.inputs.get(key);
    if (inputs === undefined) {
      this.computations++;
      inputs = scorecardInputs(tx, options.lang);
      this.inputs.set(key, inputs);
      inputs.catch(() => this.inputs.delete(key));
      for (const old of this.inputs.keys()) if (this.inputs.size > this.capacity) this.inputs.delete(old);
    }
    return assembleScorecard(await inputs, options);
  }
}
