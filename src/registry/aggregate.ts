import { JUSTICE_STAGE_ORDER } from '../domain/index.js';
import type { CaseType, JusticeStage } from '../domain/index.js';

/*
 * Public aggregates with small-cell suppression. A count of 1–4 cases in a state, year and type can point to a
 * family that the community already knows about, so it is never published, nor left recoverable by arithmetic.
 *
 * Zero is published as 0. It counts no one, so it identifies no one, and hiding it would hide exactly what the
 * observatory exists to show (no convictions at all). The price: an attacker knows every hidden cell is at least 1,
 * which the secondary suppression below takes into account.
 *
 * Limits: the guarantee is against subtraction (published total minus published cells). Someone who also knows this
 * algorithm can sometimes pin a hidden cell by reasoning about which cell it would have picked (e.g. a row 5, 4, 4 with
 * total 13: two hidden cells summing to 8 that were both hidden as small must be 4 and 4). Closing that needs an
 * audit of every pattern (as tau-ARGUS does) and is left for when the tables are fixed.
 * Protection also holds within one table only. Different tabulations of the same cases (by state, then by state and
 * year) can be differenced against each other, so publish a fixed set of tables rather than arbitrary groupings.
 * The caller passes only cases whose visibility allows public aggregates.
 */

export const SUPPRESSION_THRESHOLD = 5;

export interface PublishedCount {
  readonly count: number | null;
  readonly suppressed: boolean;
}

export interface CountCell {
  readonly count: number;
}

export type PublishedCell<C extends CountCell> = Omit<C, 'count'> & PublishedCount;

/** 1–4: too small to publish. */
export function isSmallCount(count: number): boolean {
  return count >= 1 && count < SUPPRESSION_THRESHOLD;
}

/** Primary suppression of one count. */
export function suppressCount(count: number): PublishedCount {
  assertCount(count);
  return isSmallCount(count) ? { count: null, suppressed: true } : { count, suppressed: false };
}

function assertCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`a count must be a non-negative integer, got ${count}`);
}

/**
 * Whether the hidden cells of a row whose total is published keep their secret. Each hidden cell is known to be ≥ 1,
 * so with k hidden cells summing to S each could be anything in 1..S−k+1: we need k ≥ 2, S − k + 1 ≥ 2 (no cell
 * pinned), and S ≥ the threshold (the hidden cells together are no small group either).
 */
function rowIsProtected(hidden: readonly number[]): boolean {
  if (hidden.length === 0) return true;
  const sum = hidden.reduce((a, b) => a + b, 0);
  return hidden.length >= 2 && sum - hidden.length + 1 >= 2 && sum >= SUPPRESSION_THRESHOLD;
}

export interface SuppressedTable<C extends CountCell> {
  readonly cells: PublishedCell<C>[];
  /** Row totals in order of first appearance; a total is suppressed when small or when publishing it would expose a cell. */
  readonly rows: { readonly row: string; readonly total: number | null; readonly suppressed: boolean }[];
}

/**
 * Primary suppression of every cell, then, per row whose total is published, secondary suppression: while the row's
 * hidden cells could be recovered by subtracting the published cells from the total (a single hidden cell, or
 * hidden cells whose sum pins them), hide the smallest non-zero published cell of that row as well (hiding a zero
 * would not help: the hidden sum would stay the same). Ties go to the first cell in input order.
 */
export function suppressTable<C extends CountCell>(cells: readonly C[], rowKey: (cell: C) => string): SuppressedTable<C> {
  cells.forEach((c) => assertCount(c.count));
  const hidden = cells.map((c) => isSmallCount(c.count));
  const rowMembers = new Map<string, number[]>();
  cells.forEach((c, i) => {
    const key = rowKey(c);
    const members = rowMembers.get(key) ?? [];
    members.push(i);
    rowMembers.set(key, members);
  });

  const rows: SuppressedTable<C>['rows'] = [];
  for (const [row, members] of rowMembers) {
    const total = members.reduce((sum, i) => sum + (cells[i] as C).count, 0);
    const hiddenCounts = () => members.filter((i) => hidden[i]).map((i) => (cells[i] as C).count);
    let protectedRow = rowIsProtected(hiddenCounts());
    while (!protectedRow) {
      const candidates = members.filter((i) => !hidden[i] && (cells[i] as C).count > 0);
      if (candidates.length === 0) break;
      const smallest = candidates.reduce((best, i) => ((cells[i] as C).count < (cells[best] as C).count ? i : best));
      hidden[smallest] = true;
      protectedRow = rowIsProtected(hiddenCounts());
    }
    // A row that cannot be protected (e.g. five cells of 1) keeps its cells hidden and withholds the total instead.
    const publishTotal = protectedRow && !isSmallCount(total);
    rows.push({ row, total: publishTotal ? total : null, suppressed: !publishTotal });
  }

  return {
    cells: cells.map((c, i) => ({ ...c, count: hidden[i] ? null : c.count, suppressed: hidden[i] === true })),
    rows,
  };
}

/**
 * Suppressed cells. Without `rowKey`, primary suppression only (the caller publishes no totals). With `rowKey`, the
 * caller may publish each row's total, taken from `suppressTable(...).rows` (which also withholds unsafe totals).
 */
export function suppress<C extends CountCell>(cells: readonly C[], options: { rowKey?: (cell: C) => string } = {}): PublishedCell<C>[] {
  if (options.rowKey) return suppressTable(cells, options.rowKey).cells;
  return cells.map((c) => ({ ...c, ...suppressCount(c.count) }));
}

// ---------------------------------------------------------------------------------------------------------------
// The impunity funnel.

export interface FunnelCase {
  readonly type: CaseType;
  readonly state: string;
  readonly yearEntered: number;
  /** Index in JUSTICE_STAGE_ORDER of the furthest stage reached (furthestStageIndex in the domain); -1 for none. */
  readonly furthestStageIndex: number;
}

export type FunnelDimension = 'type' | 'state' | 'yearEntered';

export interface FunnelRow {
  readonly group: { readonly type?: CaseType; readonly state?: string; readonly yearEntered?: number };
  /** All cases in the group, whether or not they reached any stage. */
  readonly cases: PublishedCount;
  readonly stages: readonly ({ readonly stage: JusticeStage } & PublishedCount)[];
}

/**
 * The funnel's counts are cumulative (cases ≥ complaint ≥ investigation ≥ …), so the difference between two
 * published counts is itself a count of cases ("stopped after the complaint"). Walking down from the total, a count is
 * published only if it is not small and its difference from the last published count is not small either; hence
 * every count derivable by subtraction is 0 or ≥ the threshold. The total comes first because it is the denominator
 * every reader needs.
 */
function suppressCumulative(counts: readonly number[]): PublishedCount[] {
  let lastPublished: number | null = null;
  return counts.map((count) => {
    const publish = !isSmallCount(count) && (lastPublished === null || !isSmallCount(lastPublished - count));
    if (!publish) return { count: null, suppressed: true };
    lastPublished = count;
    return { count, suppressed: false };
  });
}

const DIMENSIONS: readonly FunnelDimension[] = ['type', 'state', 'yearEntered'];

/** Cases that reached each stage of JUSTICE_STAGE_ORDER, per group, suppressed. Rows are sorted by group. */
export function funnel(cases: readonly FunnelCase[], groupBy: readonly FunnelDimension[]): FunnelRow[] {
  for (const d of groupBy) if (!DIMENSIONS.includes(d)) throw new RangeError(`cannot group the funnel by "${String(d)}"`);
  if (new Set(groupBy).size !== groupBy.length) throw new RangeError('each funnel dimension at most once');

  const groups = new Map<string, { group: FunnelRow['group']; reached: number[]; total: number }>();
  for (const c of cases) {
    if (!Number.isInteger(c.furthestStageIndex) || c.furthestStageIndex < -1 || c.furthestStageIndex >= JUSTICE_STAGE_ORDER.length) {
      throw new RangeError(`furthestStageIndex must be an integer from -1 to ${JUSTICE_STAGE_ORDER.length - 1}, got ${c.furthestStageIndex}`);
    }
    const group = Object.fromEntries(groupBy.map((d) => [d, c[d]])) as FunnelRow['group'];
    const key = JSON.stringify(groupBy.map((d) => c[d]));
    const entry = groups.get(key) ?? { group, reached: JUSTICE_STAGE_ORDER.map(() => 0), total: 0 };
    entry.total += 1;
    // Reaching a stage means having passed through every earlier one.
    for (let s = 0; s <= c.furthestStageIndex; s++) entry.reached[s] = (entry.reached[s] ?? 0) + 1;
    groups.set(key, entry);
  }

  const rows = [...groups.values()].map(({ group, reached, total }) => {
    const [casesCount, ...stageCounts] = suppressCumulative([total, ...reached]) as [PublishedCount, ...PublishedCount[]];
    return {
      group,
      cases: casesCount,
      stages: JUSTICE_STAGE_ORDER.map((stage, i) => ({ stage, ...(stageCounts[i] as PublishedCount) })),
    };
  });
  return rows.sort((a, b) => compareGroups(a.group, b.group, groupBy));
}

function compareGroups(a: FunnelRow['group'], b: FunnelRow['group'], groupBy: readonly FunnelDimension[]): number {
  for (const d of groupBy) {
    const [x, y] = [a[d], b[d]];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
