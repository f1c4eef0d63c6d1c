import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseType, JUSTICE_STAGE_ORDER } from '../domain/index.js';
import { SUPPRESSION_THRESHOLD, funnel, suppress, suppressCount, suppressTable } from './aggregate.js';
import type { FunnelCase, FunnelDimension } from './aggregate.js';

const isSmall = (n: number | null) => n !== null && n >= 1 && n <= 4;

describe('primary suppression', () => {
  it('hides 1–4 and publishes 0 and 5+', () => {
    expect([0, 1, 4, 5, 120].map(suppressCount)).toEqual([
      { count: 0, suppressed: false },
      { count: null, suppressed: true },
      { count: null, suppressed: true },
      { count: 5, suppressed: false },
      { count: 120, suppressed: false },
    ]);
    expect(SUPPRESSION_THRESHOLD).toBe(5);
  });

  it('keeps the cells’ keys and refuses impossible counts', () => {
    expect(suppress([{ state: '28', count: 3 }, { state: '05', count: 9 }])).toEqual([
      { state: '28', count: null, suppressed: true },
      { state: '05', count: 9, suppressed: false },
    ]);
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => suppress([{ count: bad }])).toThrow(/non-negative integer/);
  });
});

describe('secondary suppression', () => {
  const row = (counts: number[], key = 'r') => counts.map((count, col) => ({ row: key, col, count }));
  const byRow = { rowKey: (c: { row: string }) => c.row };
  const published = (counts: number[]) => suppress(row(counts), byRow).map((c) => c.count);

  it('hides the next-smallest non-zero cell when one cell alone is hidden', () => {
    expect(published([3, 7, 20, 0])).toEqual([null, null, 20, 0]);
    expect(published([12, 4, 9, 30])).toEqual([12, null, null, 30]);
    expect(published([5, 5, 2])).toEqual([null, 5, null]); // ties: the first
  });

  it('leaves rows alone when nothing or enough is hidden', () => {
    expect(published([6, 7, 0])).toEqual([6, 7, 0]);
    expect(published([4, 3, 10])).toEqual([null, null, 10]);
  });

  it('hides more when the hidden cells would pin each other', () => {
    // 1 + 1 = 2 hidden: both must be 1, since zeros are published.
    expect(published([1, 1, 20, 30])).toEqual([null, null, null, 30]);
  });

  it('withholds a total it cannot make safe, or that is small itself', () => {
    expect(suppressTable(row([1, 1, 1, 1, 1]), byRow.rowKey).rows).toEqual([{ row: 'r', total: null, suppressed: true }]);
    expect(suppressTable(row([2, 1, 0]), byRow.rowKey).rows).toEqual([{ row: 'r', total: null, suppressed: true }]);
    expect(suppressTable(row([3, 7, 20]), byRow.rowKey).rows).toEqual([{ row: 'r', total: 30, suppressed: false }]);
  });

  it('treats rows independently', () => {
    const cells = [...row([3, 9, 9], 'a'), ...row([6, 9, 9], 'b')];
    expect(suppress(cells, byRow).map((c) => c.count)).toEqual([null, null, 9, 6, 9, 9]);
  });

  const table = fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 6 }), {
    minLength: 1,
    maxLength: 5,
  });

  it('publishes true counts, never 1–4, and never a row whose hidden cells subtraction could recover', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const cells = rows.flatMap((counts, r) => row(counts, `r${r}`));
        const out = suppressTable(cells, byRow.rowKey);
        out.cells.forEach((c, i) => {
          expect(isSmall(c.count)).toBe(false);
          expect(c.suppressed).toBe(c.count === null);
          if (c.count !== null) expect(c.count).toBe(cells[i]?.count);
        });
        rows.forEach((counts, r) => {
          const total = out.rows.find((t) => t.row === `r${r}`);
          expect(isSmall(total?.total ?? null)).toBe(false);
          if (total?.total === null || total === undefined) return;
          expect(total.total).toBe(counts.reduce((a, b) => a + b, 0));
          const mine = out.cells.filter((c) => c.row === `r${r}`);
          const hidden = mine.filter((c) => c.suppressed).length;
          const hiddenSum = total.total - mine.reduce((a, c) => a + (c.count ?? 0), 0);
          // What an attacker knows: the hidden cells sum to hiddenSum and each is ≥ 1 (zeros are published).
          expect(hidden === 0 || hidden >= 2).toBe(true);
          if (hidden > 0) {
            expect(hiddenSum).toBeGreaterThanOrEqual(SUPPRESSION_THRESHOLD);
            const feasibleValuesPerCell = hiddenSum - (hidden - 1); // each hidden cell ranges over 1..this
            expect(feasibleValuesPerCell).toBeGreaterThanOrEqual(2);
          }
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('impunity funnel', () => {
  const stages = JUSTICE_STAGE_ORDER.length;
  const make = (n: number, furthestStageIndex: number, over: Partial<FunnelCase> = {}): FunnelCase[] =>
    Array.from({ length: n }, () => ({ type: 'disappearance', state: '28', yearEntered: 2020, furthestStageIndex, ...over }));

  it('counts the cases that reached each stage', () => {
    const cases = [...make(40, -1), ...make(30, 0), ...make(15, 1), ...make(10, 2), ...make(5, 4)];
    const [row] = funnel(cases, []);
    expect(row?.group).toEqual({});
    expect(row?.cases).toEqual({ count: 100, suppressed: false });
    expect(row?.stages.map((s) => [s.stage, s.count])).toEqual([
      ['complaint-filed', 60],
      ['investigation-opened', 30],
      ['charges-filed', 15],
      ['trial-opened', 5],
      ['conviction', 5],
    ]);
  });

  it('hides small stages and small steps between published stages', () => {
    // 100 cases, 98 complaints: publishing both would say "2 cases without a complaint".
    const cases = [...make(2, -1), ...make(38, 0), ...make(50, 1), ...make(7, 2), ...make(2, 3), ...make(1, 4)];
    const [row] = funnel(cases, []);
    expect([row?.cases.count, ...(row?.stages.map((s) => s.count) ?? [])]).toEqual([100, null, 60, 10, null, null]);
  });

  it('groups and sorts by the requested dimensions', () => {
    const cases = [...make(6, 0, { state: '28', yearEntered: 2021 }), ...make(7, 1, { state: '05', yearEntered: 2021 }), ...make(8, 0, { state: '28', yearEntered: 2019 })];
    expect(funnel(cases, ['state', 'yearEntered']).map((r) => r.group)).toEqual([
      { state: '05', yearEntered: 2021 },
      { state: '28', yearEntered: 2019 },
      { state: '28', yearEntered: 2021 },
    ]);
    expect(funnel(cases, ['yearEntered']).map((r) => [r.group.yearEntered, r.cases.count])).toEqual([
      [2019, 8],
      [2021, 13],
    ]);
  });

  it('refuses bad input', () => {
    expect(() => funnel(make(1, 5), [])).toThrow(/furthestStageIndex/);
    expect(() => funnel(make(1, -2), [])).toThrow(/furthestStageIndex/);
    expect(() => funnel([], ['state', 'state'])).toThrow(/at most once/);
    expect(() => funnel([], ['name' as FunnelDimension])).toThrow(/cannot group/);
  });

  const funnelCase = fc.record({
    type: fc.constantFrom(...CaseType.options),
    state: fc.constantFrom('02', '05', '28'),
    yearEntered: fc.integer({ min: 2018, max: 2020 }),
    furthestStageIndex: fc.integer({ min: -1, max: stages - 1 }),
  });
  const dims = fc.subarray<FunnelDimension>(['type', 'state', 'yearEntered']);

  it('publishes true counts, never 1–4, and no small difference between published counts', () => {
    fc.assert(
      fc.property(fc.array(funnelCase, { maxLength: 300 }), dims, (cases, groupBy) => {
        const rows = funnel(cases, groupBy);
        let casesSeen = 0;
        for (const r of rows) {
          const inGroup = cases.filter((c) => groupBy.every((d) => c[d] === r.group[d]));
          casesSeen += inGroup.length;
          const truth = [inGroup.length, ...JUSTICE_STAGE_ORDER.map((_, s) => inGroup.filter((c) => c.furthestStageIndex >= s).length)];
          const shown = [r.cases, ...r.stages];
          shown.forEach((p, i) => {
            expect(isSmall(p.count)).toBe(false);
            expect(p.suppressed).toBe(p.count === null);
            if (p.count !== null) expect(p.count).toBe(truth[i]);
          });
          const publishedCounts = shown.map((p) => p.count).filter((c): c is number => c !== null);
          for (let i = 0; i < publishedCounts.length; i++) {
            for (let j = i + 1; j < publishedCounts.length; j++) expect(isSmall((publishedCounts[i] ?? 0) - (publishedCounts[j] ?? 0))).toBe(false);
          }
        }
        expect(casesSeen).toBe(cases.length);
      }),
      { numRuns: 500 },
    );
  });
});
