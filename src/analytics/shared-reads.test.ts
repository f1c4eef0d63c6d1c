import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryParams, QueryResult } from '../domain/index.js';
import { loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { isLightQuery, queryIndicator } from './query.js';
import { sharedReadCounts } from './shared-reads.js';

// Concurrent answers by year at named places share their reads (shared-reads.ts): each must be exactly the answer it
// gets alone — its places, its years, its flags and releases, nothing of the others' — and reads must have been shared.

let t: TempStore;
beforeAll(async () => {
  t = await loadedStore();
});
afterAll(async () => {
  await t?.cleanup();
});

const ask = (over: Partial<QueryParams>): QueryParams => ({
  indicator: 'mx.disappeared.persons', geo: ['00'], from: null, to: null, freq: 'year', by: null, lang: 'en', asOf: null, ...over,
});

describe('answers that share a read', () => {
  it('are each the answer given alone, and share reads when asked together', async () => {
    const munis = (await t.store.all<{ geo: string }>(
      `SELECT DISTINCT o.geo FROM observation o JOIN geo g ON g.code = o.geo WHERE g.level = 'municipality' AND o.series LIKE 'rnpdno.%' ORDER BY 1 LIMIT 40`,
    )).map((r) => r.geo);
    expect(munis.length).toBe(40);
    const ranges = [['2019', '2024'], ['2024', '2024'], [null, '2020'], ['2021', null]] as const;
    const questions: QueryParams[] = [
      // Municipalities one by one and in pairs, over different years; counts and rates (a yearly denominator).
      ...munis.map((geo, i) => ask({ geo: i % 5 === 0 ? [geo, munis[(i + 7) % munis.length] as string] : [geo], from: ranges[i % 4]?.[0] ?? null, to: ranges[i % 4]?.[1] ?? null, ...(i % 3 === 0 ? { measure: 'rate' as const } : {}) })),
      // The same municipality twice, other years; states and the nation (sums from below, months per place).
      ask({ geo: [munis[0] as string], from: '2015', to: '2016' }),
      ask({ indicator: 'mx.homicide.victims', geo: ['09', '15'], from: '2016', to: '2025' }),
      ask({ indicator: 'mx.homicide.victims', geo: ['00'], from: '2024', to: '2025' }),
      ask({ indicator: 'mx.homicide.rate', geo: ['14', '00'], from: '2019', to: '2021' }),
    ];
    for (const q of questions) expect(isLightQuery(q)).toBe(true);
    const alone: QueryResult[] = [];
    for (const q of questions) alone.push(await queryIndicator(t.store, q));
    const before = sharedReadCounts(t.store);
    const together = await Promise.all(questions.map((q) => queryIndicator(t.store, q)));
    const after = sharedReadCounts(t.store);
    expect(together).toEqual(alone);
    // Every answer has rows of its own places only, and not all are empty (the comparison compares something).
    expect(alone.filter((a) => a.rows.length > 0).length).toBeGreaterThan(30);
    questions.forEach((q, i) => {
      for (const row of alone[i]?.rows ?? []) expect(q.geo).toContain(row.geo);
    });
    // Asked together, fewer reads than requests: they were shared.
    expect(after.requests - before.requests).toBeGreaterThan(questions.length);
    expect(after.reads - before.reads).toBeLessThan((after.requests - before.requests) / 2);
  });

  it('fails every request of a shared read that fails, and serves the next ones', async () => {
    const munis = (await t.store.all<{ code: string }>(`SELECT code FROM geo WHERE level = 'municipality' ORDER BY code LIMIT 6`)).map((r) => r.code);
    const store = t.store as { readTimeoutMs: number | null };
    store.readTimeoutMs = 0;
    try {
      const answers = await Promise.allSettled(munis.map((geo) => queryIndicator(t.store, ask({ geo: [geo] }))));
      expect(answers.every((a) => a.status === 'rejected')).toBe(true);
    } finally {
      store.readTimeoutMs = null;
    }
    const again = await Promise.all(munis.map((geo) => queryIndicator(t.store, ask({ geo: [geo] }))));
    expect(again.every((a) => a.indicator === 'mx.disappeared.persons')).toBe(true);
  });

  it('names what is light: by year, current, no breakdown, a few places named by code', () => {
    expect(isLightQuery(ask({ geo: ['14039'] }))).toBe(true);
    expect(isLightQuery(ask({ geo: ['14039'], freq: 'month' }))).toBe(false);
    expect(isLightQuery(ask({ geo: ['level:state'] }))).toBe(false);
    expect(isLightQuery(ask({ geo: ['children:14'] }))).toBe(false);
    expect(isLightQuery(ask({ geo: ['09'], by: 'sex' }))).toBe(false);
    expect(isLightQuery(ask({ geo: ['09'], asOf: '2025-01-01T00:00:00Z' }))).toBe(false);
    expect(isLightQuery(ask({ geo: [Array.from({ length: 13 }, (_, i) => String(i + 1).padStart(2, '0')).join(',')] }))).toBe(false);
  });
});
