import { queryIndicator } from '../analytics/index.js';
import { loadCatalog } from '../catalog/index.js';
import { REASON_LABELS, type Lang, type QualityFlag, type ReportedFigure } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';

export interface ReportedComparison {
  readonly id: string;
  readonly statement: string;
  readonly reported: { value: number; qualifier: ReportedFigure['qualifier']; unit: string; period: string };
  /** What Observa computes from the raw files for the same thing, when it can. */
  readonly computed: {
    indicator: string;
    name: string;
    geo: string;
    period: string;
    value: number | null;
    unit: string;
    flags: readonly QualityFlag[];
    releaseIds: readonly number[];
  } | null;
  /** computed − reported, and as a percentage of reported. */
  readonly difference: { absolute: number; percent: number | null } | null;
  readonly reasons: readonly { code: string; label: string }[];
  readonly explanation: string;
  readonly attribution: string;
  readonly source: ReportedFigure['source'];
  /** The Framework node a figure from the evidence catalog is about. */
  readonly node: string | null;
}

function periodQuery(period: string): { freq: 'year' | 'month'; from: string; to: string } {
  const rolling = /^12m-ending-(\d{4}-\d{2})$/.exec(period);
  if (rolling) return { freq: 'month', from: rolling[1] as string, to: rolling[1] as string };
  return { freq: /^\d{4}$/.test(period) ? 'year' : 'month', from: period, to: period };
}

/** The figures others publish (as cited), each beside Observa's own computation and the reason they differ. */
export async function reportedFigures(tx: ReadTx, lang: Lang, indicator?: string): Promise<ReportedComparison[]> {
  const out: ReportedComparison[] = [];
  const { monitoring, evidence } = loadCatalog();
  // Figures of the evidence catalog (governments' and assessors' own numbers) join the cited figures.
  const figures: (ReportedFigure & { node?: string })[] = [...monitoring.reported, ...evidence.figures];
  for (const f of figures.filter((r) => indicator === undefined || r.compare?.indicator === indicator)) {
    let computed: ReportedComparison['computed'] = null;
    if (f.compare) {
      const q = periodQuery(f.compare.period);
      const result = await queryIndicator(tx, {
        indicator: f.compare.indicator, geo: [f.compare.geo], from: q.from, to: q.to, freq: q.freq, by: null, lang, asOf: null,
      });
      const row = result.rows.find((r) => r.period === f.compare?.period && r.geo === f.compare.geo);
      computed = {
        indicator: f.compare.indicator, name: result.name, geo: f.compare.geo, period: f.compare.period, value: row?.value ?? null,
        unit: result.unit, flags: row?.flags ?? [], releaseIds: row?.release_ids ?? [],
      };
    }
    const difference =
      computed?.value == null
        ? null
        : { absolute: computed.value - f.value, percent: f.value === 0 ? null : Math.round(((computed.value - f.value) / f.value) * 1000) / 10 };
    out.push({
      id: f.id,
      statement: f.statement[lang],
      reported: { value: f.value, qualifier: f.qualifier, unit: f.unit[lang], period: f.period },
      computed,
      difference,
      reasons: f.reasons.map((r) => ({ code: r, label: REASON_LABELS[r][lang] })),
      explanation: f.explanation[lang],
      attribution: f.attribution[lang],
      source: f.source,
      node: f.node ?? null,
    });
  }
  return out;
}
