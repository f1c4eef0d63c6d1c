import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataVersion } from '../analytics/index.js';
import { createApp } from '../api/index.js';
import { importFile, ADAPTERS } from '../ingest/index.js';
import { sampleRows, writeCsv } from '../test-support/sesnsp-fixture.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { ScorecardCache, computeScorecard, type Scorecard } from './index.js';

const victims = ADAPTERS['sesnsp-victims-state'];
if (!victims) throw new Error('adapter missing');

let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
  await importFile(t.store, victims, writeCsv(join(t.dir, 'v1.csv'), sampleRows()));
});
afterAll(async () => t.cleanup());

const day = (i: number) => new Date(Date.UTC(2021, 5, 1) + i * 17 * 86_400_000);

describe('scorecard as_of (issue 12, finding 9): distinct dates do not each cost a computation', () => {
  it('50 distinct as_of values within one data version read the store once, and give what a full computation gives', async () => {
    const cache = new ScorecardCache();
    const version = await dataVersion(t.store);
    const cards: Scorecard[] = [];
    for (let i = 0; i < 50; i++) cards.push(await cache.scorecard(t.store, version, { lang: 'es', asOf: day(i) }));
    expect(cache.computations).toBe(1);
    expect(new Set(cards.map((c) => c.asOf)).size).toBe(50);
    // The dates matter (data from 2021 is fresh in 2021, stale two years on), and each equals a full computation.
    const freshness = new Set(cards.map((c) => c.indicators.find((i) => i.code === 'mx.homicide.victims')?.freshness));
    expect(freshness.size).toBeGreaterThan(1);
    for (const i of [0, 17, 49]) expect(cards[i]).toEqual(await computeScorecard(t.store, { lang: 'es', asOf: day(i) }));
    const past = await cache.scorecard(t.store, version, { lang: 'es', through: 2020 });
    expect(past).toEqual(await computeScorecard(t.store, { lang: 'es', through: 2020 }));
    expect(cache.computations).toBe(1);
  });

  it('a new release is a new data version: read once more', async () => {
    const cache = new ScorecardCache();
    await cache.scorecard(t.store, await dataVersion(t.store), { lang: 'en', asOf: day(0) });
    await importFile(t.store, victims, writeCsv(join(t.dir, 'v2.csv'), sampleRows((s, y, i) => (s + y + i) % 7)));
    const card = await cache.scorecard(t.store, await dataVersion(t.store), { lang: 'en', asOf: day(0) });
    expect(cache.computations).toBe(2);
    expect(card).toEqual(await computeScorecard(t.store, { lang: 'en', asOf: day(0) }));
  });

  it('the API answers each as_of with its own date', async () => {
    const app = createApp(t.store);
    for (const asOf of ['2022-01-03', '2024-07-19']) {
      const res = await app.request(`/api/v1/scorecard?as_of=${asOf}&lang=en`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Scorecard).asOf).toBe(asOf);
    }
  });
});
