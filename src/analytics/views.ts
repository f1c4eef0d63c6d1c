import { loadCatalog } from '../catalog/index.js';
import type { Indicator, Lang, QueryResult, ResultRow } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { isoSecond, queryIndicator, resolveIndicator } from './query.js';

export interface IndicatorDetail {
  readonly indicator: Indicator;
  readonly baseline: Indicator['baseline'] & { readonly row: ResultRow | null };
  /** The most recent value at the baseline's geography, and the most recent full (unflagged-partial) one. */
  readonly latest: ResultRow | null;
  readonly latestComplete: ResultRow | null;
  readonly framework: readonly { id: string; kind: string; title: string }[];
}

/** `through`: ignore periods after this year (a report on a past year sees the data up to it). */
export async function indicatorDetail(tx: ReadTx, code: string, lang: Lang, now?: Date, through?: number): Promise<IndicatorDetail> {
  return detailOf(code, lang, await baselineSeries(tx, code, lang), now, through);
}

/** The rows an indicator's detail is read from: every period at its baseline place (the part that reads the store). */
export async function baselineSeries(tx: ReadTx, code: string, lang: Lang): Promise<QueryResult> {
  const indicator = resolveIndicator(code);
  // An indicator with a fiscal-year baseline (the U.S. border series) is followed in fiscal years.
  const freq = indicator.baseline.period.startsWith('FY') && indicator.frequencies.includes('fy') ? 'fy' : indicator.frequencies.includes('year') ? 'year' : 'month';
  return queryIndicator(tx, { indicator: code, geo: [indicator.baseline.geo], from: null, to: null, freq, by: null, lang, asOf: null });
}

/** An indicator's detail at a date from its baseline series (no store access: dates cost nothing once the series is read). */
export function detailOf(code: string, lang: Lang, series: QueryResult, now?: Date, through?: number): IndicatorDetail {
  const indicator = resolveIndicator(code);
  // Projections (CONAPO runs to 2070) are not "latest": only periods that have begun count.
  const thisYear = Math.min((now ?? new Date()).getUTCFullYear(), through ?? Number.POSITIVE_INFINITY);
  const rows = series.rows.filter((r) => Number(r.period.replace(/^12m-ending-|^FY/, '').slice(0, 4)) <= thisYear);
  const nodes = loadCatalog().framework.nodes;
  return {
    indicator,
    baseline: { ...indicator.baseline, row: series.rows.find((r) => r.period === indicator.baseline.period) ?? null },
    latest: rows.at(-1) ?? null,
    latestComplete: rows.filter((r) => !r.flags.includes('partial-period')).at(-1) ?? null,
    framework: indicator.framework.map((id) => {
      const node = nodes.find((n) => n.id === id);
      return { id, kind: node?.kind ?? 'unknown', title: node?.title[lang] ?? id };
    }),
  };
}

export interface ReleaseRow {
  readonly id: number;
  readonly source_id: string;
  readonly file_name: string;
  readonly sha256: string;
  readonly byte_size: number;
  readonly row_count: number;
  readonly observation_count: number;
  readonly imported_at: string;
  readonly adapter_version: string;
  readonly encoding: string;
  readonly period_from: string | null;
  readonly period_to: string | null;
  readonly current_observations: number;
}

export async function listReleases(tx: ReadTx, id?: number): Promise<ReleaseRow[]> {
  return tx.all<ReleaseRow & Record<string, unknown>>(`
    SELECT r.id, r.source_id, r.file_name, r.sha256, r.byte_size, r.row_count, r.observation_count,
           r.imported_at, r.adapter_version, r.encoding, r.period_from, r.period_to,
           (SELECT count(*) FROM observation o WHERE o.release_id = r.id AND o.superseded_by IS NULL) AS current_observations
    FROM release r ${id === undefined ? '' : `WHERE r.id = ${Math.trunc(id)}`} ORDER BY r.id`).then((rows) => rows.map((r) => ({ ...r, imported_at: isoSecond(r.imported_at) })));
}

export async function releaseSummary(tx: ReadTx, id: number): Promise<unknown> {
  const [row] = await tx.all<{ summary: string }>(`SELECT summary::VARCHAR AS summary FROM release WHERE id = ?`, [id]);
  return row ? (JSON.parse(row.summary) as unknown) : null;
}

/**
 * A fingerprint of everything a response can depend on: changes when a release lands, evidence is added or reviewed
 * (an approval makes an entry public) or the catalog changes.
 */
export async function dataVersion(tx: ReadTx): Promise<string> {
  const [row] = await tx.all<{ releases: number; max_id: number | null; evidence: number | null; reviews: number | null; fingerprint: string | null }>(
    `SELECT count(*) AS releases, max(id) AS max_id, (SELECT max(id) FROM evidence) AS evidence, (SELECT max(id) FROM evidence_review) AS reviews,
            (SELECT value FROM meta WHERE key = 'catalog_fingerprint') AS fingerprint FROM release`,
  );
  return `${row?.releases ?? 0}.${row?.max_id ?? 0}.${row?.evidence ?? 0}.${row?.reviews ?? 0}.${row?.fingerprint ?? ''}`;
}
