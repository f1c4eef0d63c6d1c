import { JUSTICE_STAGE_ORDER, furthestStageIndex } from '../domain/index.js';
import type { CaseType, JusticeEventKind, JusticeStage } from '../domain/index.js';
import { funnel, SUPPRESSION_THRESHOLD } from './aggregate.js';
import type { FunnelCase, FunnelDimension, FunnelRow } from './aggregate.js';
import { LATEST_VERSIONS, recordContext } from './cases.js';
import type { CaseRow } from './cases.js';
import { groupBy, ready } from './context.js';
import type { RegistryContext } from './context.js';
import { decide } from './policy.js';
import type { Principal } from './policy.js';

// Public aggregates.

export const FUNNEL_GROUP_BY: readonly FunnelDimension[] = ['yearEntered', 'type', 'state'];

export interface FunnelAggregates {
  readonly threshold: number;
  readonly groupBy: readonly FunnelDimension[];
  readonly stages: readonly JusticeStage[];
  readonly rows: FunnelRow[];
  /**
   * Days from the complaint to each later stage, by case type: the median over cases whose two events both have day
   * precision; null (suppressed) when fewer than `threshold` cases have both. Counts are not published here.
   */
  readonly timeToStage: readonly { type: CaseType; stage: JusticeStage; medianDays: number | null; suppressed: boolean }[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * The impunity funnel over `public-aggregate` cases: per year of entry (the year the case was first recorded in the
 * registry), type and state, how many cases reached each stage, with every count of 1–4 suppressed (aggregate.ts).
 * One fixed table: arbitrary groupings could be differenced against each other.
 */
export async function funnelAggregates(ctx: RegistryContext): Promise<FunnelAggregates> {
  await ready(ctx);
  const [rows, firsts, events] = await Promise.all([
    ctx.store.all<CaseRow>(`${LATEST_VERSIONS} ORDER BY c.case_id`),
    ctx.store.all<{ case_id: number; created_at: string }>('SELECT case_id, created_at FROM case_record WHERE version = 1'),
    ctx.store.all<{ case_id: number; kind: JusticeEventKind; date_value: string; date_precision: string }>('SELECT case_id, kind, date_value, date_precision FROM case_event'),
  ]);
  const entered = new Map(firsts.map((f) => [Number(f.case_id), Number(f.created_at.slice(0, 4))]));
  const kinds = groupBy(events, (e) => Number(e.case_id), (e) => ({ kind: e.kind }));
  const anonymous: Principal = { kind: 'anonymous' };
  const cases: FunnelCase[] = rows
    .filter((row) => decide(anonymous, 'aggregate.read', recordContext(row, [])).allow)
    .map((row) => ({
      type: row.type as CaseType,
      state: row.state,
      yearEntered: entered.get(Number(row.case_id)) ?? Number(row.created_at.slice(0, 4)),
      furthestStageIndex: furthestStageIndex(kinds.get(Number(row.case_id)) ?? []),
    }));
  // Time from the complaint to each later stage: the earliest day-precision event of each kind per public case.
  const publicCases = new Map(rows.filter((row) => decide(anonymous, 'aggregate.read', recordContext(row, [])).allow).map((row) => [Number(row.case_id), row.type as CaseType]));
  const firstDay = new Map<string, number>();
  for (const e of events) {
    if (e.date_precision !== 'day' || !publicCases.has(Number(e.case_id))) continue;
    const key = `${Number(e.case_id)}|${e.kind}`;
    const day = Date.parse(`${e.date_value}T00:00:00Z`) / 86_400_000;
    if (Number.isFinite(day) && (firstDay.get(key) ?? Number.POSITIVE_INFINITY) > day) firstDay.set(key, day);
  }
  const timeToStage: FunnelAggregates['timeToStage'][number][] = [];
  for (const type of [...new Set(publicCases.values())].sort()) {
    for (const stage of JUSTICE_STAGE_ORDER.slice(1)) {
      const days: number[] = [];
      for (const [caseId, caseType] of publicCases) {
        if (caseType !== type) continue;
        const from = firstDay.get(`${caseId}|${JUSTICE_STAGE_ORDER[0]}`);
        const to = firstDay.get(`${caseId}|${stage}`);
        if (from !== undefined && to !== undefined && to >= from) days.push(to - from);
      }
      const suppressed = days.length < SUPPRESSION_THRESHOLD;
      timeToStage.push({ type, stage, medianDays: suppressed ? null : median(days), suppressed });
    }
  }
  return { threshold: SUPPRESSION_THRESHOLD, groupBy: FUNNEL_GROUP_BY, stages: JUSTICE_STAGE_ORDER, rows: funnel(cases, FUNNEL_GROUP_BY), timeToStage };
}
