import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/index.js';
import type { QueryParams } from '../domain/index.js';
import { computeScorecard, reportedFigures } from '../monitoring/index.js';
import { publishToPostgres } from '../store/index.js';
import { tempPgStore, type TempPgStore } from '../test-support/pg-store.js';
import { loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { dataVersion, listReleases, queryIndicator } from './index.js';

// The same indicator suite on both stores: the embedded DuckDB file, and PostgreSQL after `observa publish`.
let duck: TempStore;
let pgs: TempPgStore;
beforeAll(async () => {
  duck = await loadedStore();
  pgs = await tempPgStore();
  await publishToPostgres(duck.store, pgs.store);
}, 240_000);
afterAll(async () => {
  await pgs?.cleanup();
  await duck?.cleanup();
});

const base: QueryParams = { indicator: 'mx.homicide.victims', geo: ['00'], from: null, to: null, freq: 'year', by: null, lang: 'es', asOf: null };
const QUERIES: QueryParams[] = [
  base,
  { ...base, geo: ['level:state'], from: '2024', to: '2024', lang: 'en' },
  { ...base, indicator: 'mx.homicide.rate', geo: ['00', '09', '25'], from: '2019', to: '2025' },
  { ...base, freq: 'month', geo: ['09'], from: '2024-01', to: '2025-06', by: 'sex' },
  { ...base, indicator: 'mx.disappeared.persons', geo: ['children:14'], from: '2024', to: '2024' },
  { ...base, indicator: 'mx.homicide.firearm_share', geo: ['00'], from: '2015', to: '2025' },
  { ...base, indicator: 'us.overdose.deaths', geo: ['US'], freq: 'month', from: '2021-01', to: '2021-12', by: 'estimate' },
  { ...base, indicator: 'mx.population', geo: ['level:municipality'], from: '2020', to: '2020' },
  { ...base, indicator: 'us.border.fentanyl_seized', geo: ['US-SWB', 'level:region'], freq: 'fy', from: 'FY2019', to: 'FY2026', by: 'component' },
  { ...base, indicator: 'us.border.encounters', geo: ['US-SWB'], freq: 'year', from: '2021', to: '2025', by: 'citizenship' },
  // Binational, assistance and secondary sources: fiscal-year labels, source links, state-only and monthly-only indicators.
  { ...base, indicator: 'migrants.border.dead_missing', geo: ['US-MX'], by: 'cause' },
  { ...base, indicator: 'us.assistance.mexico', geo: ['US'], from: '2015', to: '2024', by: 'stage' },
  { ...base, indicator: 'mx.extraditions.to_us', geo: ['00'], by: 'category' },
  { ...base, indicator: 'mx.rule_of_law.wjp', geo: ['level:state'] },
  { ...base, indicator: 'mx.guardia_nacional.personnel', geo: ['00', '05', '09'], freq: 'month', from: '2021-01', to: '2021-07' },
];

describe('PostgreSQL server store after publish', () => {
  it('holds every published table row for row', async () => {
    for (const table of ['observation', 'observation_aggregate', 'geo', 'geo_ancestor', 'release', 'series_period', 'boundary', 'assistance_line', 'observation_source', 'migrant_incident']) {
      const [a] = await duck.store.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      const [b] = await pgs.store.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      expect(b?.n, table).toBe(a?.n);
    }
    const sum = `SELECT sum(value) AS v, count(*) FILTER (WHERE cardinality(flags) > 0) AS flagged FROM observation WHERE superseded_by IS NULL`;
    const [a] = await duck.store.all<{ v: number; flagged: number }>(sum.replace('cardinality(flags)', 'len(flags)'));
    const [b] = await pgs.store.all<{ v: number; flagged: number }>(sum);
    expect(b?.flagged).toBe(a?.flagged);
    // CBP's fractional pounds, rates and scores (ENVIPE, WJP): the two engines add doubles in different orders.
    expect(Math.abs(Number(b?.v) - Number(a?.v))).toBeLessThan(1e-3);
  });

  it('answers every indicator query with the same numbers, flags and releases as DuckDB', async () => {
    for (const q of QUERIES) {
      const [a, b] = [await queryIndicator(duck.store, q), await queryIndicator(pgs.store, q)];
      expect(b, JSON.stringify(q)).toEqual(a);
      expect(a.rows.length, JSON.stringify(q)).toBeGreaterThan(0);
    }
  });

  it('gives the same releases, scorecard and reported figures', async () => {
    expect(await listReleases(pgs.store)).toEqual(await listReleases(duck.store));
    const asOf = new Date(Date.UTC(2026, 10, 29));
    expect(await computeScorecard(pgs.store, { lang: 'en', asOf })).toEqual(await computeScorecard(duck.store, { lang: 'en', asOf }));
    expect(await reportedFigures(pgs.store, 'es')).toEqual(await reportedFigures(duck.store, 'es'));
    expect(await dataVersion(pgs.store)).toBe(await dataVersion(duck.store));
  });

  it('serves the API and the observatory from PostgreSQL', async () => {
    const app = createApp(pgs.store);
    for (const path of ['/api/v1/indicators/mx.homicide.rate/data?geo=level:state&period=2024', '/es/', '/en/indicators/mx.homicide.rate/', '/es/scorecard/',
      '/api/v1/boundaries/states', '/api/v1/releases', '/en/states/25/', '/data/es/mx.homicide.rate/year.json']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
    }
    const fromPg = await (await app.request('/api/v1/indicators/mx.homicide.victims/data.csv?geo=00&period=2015..2024')).text();
    const fromDuck = await (await createApp(duck.store).request('/api/v1/indicators/mx.homicide.victims/data.csv?geo=00&period=2015..2024')).text();
    expect(fromPg).toBe(fromDuck);
  }, 180_000);

  it('publishing again replaces the statistics in one transaction and keeps the server\'s own evidence', async () => {
    await pgs.store.write((tx) => tx.run(`INSERT INTO evidence (id, node, status, date, source, note_es, note_en, author, submitted_by, recorded_at, kind, publisher, title, origin)
      VALUES (999, '2.2.a.1', 'limited', '2024-01-01', 'https://example.org', 'nota', NULL, 'A', 'cli', now(), 'observa-judgement', 'A', 'T', 'request')`));
    const before = await pgs.store.all(`SELECT count(*) AS n FROM evidence`);
    const summary = await publishToPostgres(duck.store, pgs.store);
    expect(summary.tables.find((t) => t.name === 'observation')?.rows).toBeGreaterThan(1_000_000);
    expect(await pgs.store.all(`SELECT count(*) AS n FROM evidence`)).toEqual(before);
    expect(await pgs.store.all(`SELECT count(*) AS n FROM evidence WHERE id = 999`)).toEqual([{ n: 1 }]);
    expect(await pgs.store.all(`SELECT count(*) AS n FROM release`)).toEqual(await duck.store.all(`SELECT count(*) AS n FROM release`));
    // A publish copies the observations and their aggregates (~2.3 M rows): as long as the first one in beforeAll.
  }, 240_000);
});
