import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import { TREND_LABELS } from '../domain/index.js';
import { adapterFor, importFile } from '../ingest/index.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { assess, computeScorecard } from './scorecard.js';

let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
  await importFile(t.store, adapterFor('rnpdno-municipal'), bundledDataPath('rnpdno/rnpdno_municipal_mensual_disappeared_not_located.csv.gz'));
}, 120_000);
afterAll(async () => t.cleanup());

describe('a lag-biased series gets no verdict', () => {
  it('the scorecard marks the disappeared trend "not comparable (status at retrieval)", where the same numbers would read "worsening"', async () => {
    const card = await computeScorecard(t.store, { lang: 'en', asOf: new Date('2026-03-31T00:00:00Z') });
    const disappeared = card.indicators.find((i) => i.code === 'mx.disappeared.persons');
    expect(disappeared?.baseline.value).toBeGreaterThan(0);
    expect(disappeared?.latestComplete?.value).toBeGreaterThan(0);
    expect(disappeared).toMatchObject({ trend: 'not-comparable', yearlyChangePct: null });
    // The same baseline and latest values, judged as an ordinary series, would be a verdict.
    const naive = assess({
      direction: 'lower-is-better',
      baseline: { period: '2021', value: disappeared?.baseline.value ?? 0 },
      latest: { period: disappeared?.latestComplete?.period ?? '', value: disappeared?.latestComplete?.value ?? 0 },
      target: null,
    });
    expect(naive.trend).toBe('worsening');
    expect(TREND_LABELS['not-comparable']).toEqual({ es: 'no comparable (estatus a la fecha de consulta)', en: 'not comparable (status at retrieval)' });
    // An ordinary count keeps its verdict.
    expect(assess({ direction: 'lower-is-better', baseline: { period: '2021', value: 100 }, latest: { period: '2024', value: 120 }, target: null }).trend).toBe('worsening');
  });
});
