import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import { RequestError, type QueryParams } from '../domain/index.js';
import { loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { queryIndicator } from './query.js';

let t: TempStore;
beforeAll(async () => {
  t = await loadedStore();
});
afterAll(async () => t.cleanup());

const q = (p: Partial<QueryParams> & { indicator: string }) =>
  queryIndicator(t.store, { geo: ['00'], from: null, to: null, freq: 'year', by: null, lang: 'en', asOf: null, ...p });

/** SESNSP's published national totals (the national rows of its annual victims file), by year. */
async function publishedNational(subtypes: string[], modality?: string): Promise<Map<string, number>> {
  const rows = await t.store.all<{ year: string; total: number }>(
    `SELECT year::VARCHAR AS year, sum(victimas)::DOUBLE AS total FROM read_csv('${bundledDataPath('reference/sesnsp_victimas_nacional_anual.csv')}', all_varchar=false)
     WHERE subtipo IN (${subtypes.map((s) => `'${s}'`).join(', ')}) ${modality ? `AND modalidad = '${modality}'` : ''} GROUP BY year ORDER BY year`,
  );
  return new Map(rows.map((r) => [r.year, r.total]));
}

describe('mx.homicide.victims against SESNSP national totals', () => {
  it('national yearly values 2015–2024 equal the published national totals', async () => {
    const result = await q({ indicator: 'mx.homicide.victims', from: '2015', to: '2024' });
    const published = await publishedNational(['Homicidio doloso', 'Feminicidio']);
    expect(result.rows.map((r) => r.period)).toEqual(['2015', '2016', '2017', '2018', '2019', '2020', '2021', '2022', '2023', '2024']);
    for (const row of result.rows) expect(row.value, row.period).toBe(published.get(row.period));
    expect(result.rows.find((r) => r.period === '2020')?.value).toBe(35_545);
    expect(result.rows.every((r) => r.flags.length === 0)).toBe(true);
  });

  it('kidnapping, extortion and trafficking match the published national totals too', async () => {
    for (const [indicator, subtypes] of [
      ['mx.kidnapping.victims', ['Secuestro']],
      ['mx.extortion.victims', ['Extorsión']],
      ['mx.trafficking.victims', ['Trata de personas']],
      ['mx.femicide.victims', ['Feminicidio']],
    ] as const) {
      const result = await q({ indicator, from: '2015', to: '2024' });
      const published = await publishedNational([...subtypes]);
      expect(result.rows).toHaveLength(10);
      for (const row of result.rows) expect(row.value, `${indicator} ${row.period}`).toBe(published.get(row.period));
    }
  });

  it('every crime subtype in the file sums, over the states, to its published national total', async () => {
    const mismatches = await t.store.all(`
      WITH published AS (
        SELECT year, subtipo, modalidad, victimas FROM read_csv('${bundledDataPath('reference/sesnsp_victimas_nacional_anual.csv')}')
        WHERE year <= 2024),
      ours AS (
        SELECT year, crime_subtype AS subtipo, modality AS modalidad, sum(value) AS victimas
        FROM observation WHERE series = 'sesnsp.victims' AND superseded_by IS NULL AND year <= 2024 GROUP BY ALL)
      SELECT * FROM published FULL JOIN ours USING (year, subtipo, modalidad)
      WHERE published.victimas IS DISTINCT FROM ours.victimas`);
    expect(mismatches).toEqual([]);
  });

  it('the 32 states sum to the national value, every year', async () => {
    const national = await q({ indicator: 'mx.homicide.victims', from: '2015', to: '2025' });
    const states = await q({ indicator: 'mx.homicide.victims', geo: ['level:state'], from: '2015', to: '2025' });
    expect(new Set(states.rows.map((r) => r.geo)).size).toBe(32);
    for (const n of national.rows) {
      const sum = states.rows.filter((s) => s.period === n.period).reduce((acc, s) => acc + (s.value ?? 0), 0);
      expect(sum, n.period).toBe(n.value);
    }
  });

  it('2025 is flagged partial (January–June) and says how many months it holds', async () => {
    const result = await q({ indicator: 'mx.homicide.victims', from: '2024', to: '2025' });
    expect(result.rows.map((r) => [r.period, r.flags, r.months])).toEqual([
      ['2024', [], 12],
      ['2025', ['partial-period'], 6],
    ]);
    expect(result.notes.join(' ')).toMatch(/partial-period/);
  });

  it('monthly values add up to the year', async () => {
    const months = await q({ indicator: 'mx.homicide.victims', freq: 'month', from: '2021-01', to: '2021-12' });
    const year = await q({ indicator: 'mx.homicide.victims', from: '2021', to: '2021' });
    expect(months.rows).toHaveLength(12);
    expect(months.rows.reduce((a, r) => a + (r.value ?? 0), 0)).toBe(year.rows[0]?.value);
  });

  it('by sex and by modality, the parts sum to the total', async () => {
    const total = (await q({ indicator: 'mx.homicide.victims', from: '2022', to: '2022' })).rows[0]?.value;
    for (const by of ['sex', 'modality', 'age', 'crime_subtype'] as const) {
      const parts = await q({ indicator: 'mx.homicide.victims', from: '2022', to: '2022', by });
      expect(parts.rows.length).toBeGreaterThan(1);
      expect(parts.rows.reduce((a, r) => a + (r.value ?? 0), 0), by).toBe(total);
    }
  });
});

describe('ratios are computed from summed parts, never averaged', () => {
  it('the national rate is national victims over national population', async () => {
    const rate = (await q({ indicator: 'mx.homicide.rate', from: '2020', to: '2020' })).rows[0];
    expect(rate?.numerator).toBe(35_545);
    expect(rate?.denominator).toBe(128_209_170);
    expect(rate?.value).toBeCloseTo((35_545 / 128_209_170) * 100_000, 4);
    const states = await q({ indicator: 'mx.homicide.rate', geo: ['level:state'], from: '2020', to: '2020' });
    const den = states.rows.reduce((a, r) => a + (r.denominator ?? 0), 0);
    const num = states.rows.reduce((a, r) => a + (r.numerator ?? 0), 0);
    expect([num, den]).toEqual([rate?.numerator, rate?.denominator]);
    const meanOfRates = states.rows.reduce((a, r) => a + (r.value ?? 0), 0) / states.rows.length;
    expect(Math.abs(meanOfRates - (rate?.value ?? 0))).toBeGreaterThan(1);
  });

  it('firearm share 2020 is 24,415 of 34,569 intentional-homicide victims', async () => {
    const row = (await q({ indicator: 'mx.homicide.firearm_share', from: '2020', to: '2020' })).rows[0];
    expect([row?.numerator, row?.denominator]).toEqual([24_415, 34_569]);
    expect(row?.value).toBeCloseTo(70.627, 2);
  });

  it('women murdered = femicide + female intentional-homicide victims', async () => {
    const women = (await q({ indicator: 'mx.women_murdered.victims', from: '2021', to: '2021' })).rows[0]?.value ?? 0;
    const fem = (await q({ indicator: 'mx.femicide.victims', from: '2021', to: '2021' })).rows[0]?.value ?? 0;
    const bySex = await q({ indicator: 'mx.homicide.victims', from: '2021', to: '2021', by: 'sex' });
    const homicideWomen = bySex.rows.find((r) => r.dimension === 'female')?.value ?? 0;
    expect(women).toBe(homicideWomen);
    expect(fem).toBeGreaterThan(0);
    expect(fem).toBeLessThan(women);
  });
});

describe('other sources', () => {
  it('CDC: a year is the 12 months ending in December; predicted by default, reported on request; provisional', async () => {
    const months = await q({ indicator: 'us.overdose.deaths', geo: ['US'], freq: 'month', from: '2021-04', to: '2021-04' });
    expect(months.rows[0]).toMatchObject({ period: '12m-ending-2021-04', value: 100_950 });
    expect(months.rows[0]?.flags).toEqual(['estimated', 'provisional']);
    const byEstimate = await q({ indicator: 'us.overdose.deaths', geo: ['US'], freq: 'month', from: '2021-04', to: '2021-04', by: 'estimate' });
    expect(byEstimate.rows.map((r) => [r.dimension, r.value])).toEqual([['predicted', 100_950], ['reported', 99_772]]);
    const synthetic = await q({ indicator: 'us.overdose.synthetic_opioid_deaths', geo: ['US'], freq: 'month', from: '2021-04', to: '2021-04' });
    expect(synthetic.rows[0]?.value).toBe(64_317);
    const years = await q({ indicator: 'us.overdose.deaths', geo: ['US'], from: '2015', to: '2025' });
    expect(years.rows.map((r) => r.period)).toEqual(['2015', '2016', '2017', '2018', '2019', '2020', '2021', '2022', '2023', '2024']);
    const dec2021 = await q({ indicator: 'us.overdose.deaths', geo: ['US'], freq: 'month', from: '2021-12', to: '2021-12' });
    expect(years.rows.find((r) => r.period === '2021')?.value).toBe(dec2021.rows[0]?.value);
  });

  it('RNPDNO: municipalities roll up to their state and the nation', async () => {
    const state = (await q({ indicator: 'mx.disappeared.persons', geo: ['14'], from: '2023', to: '2023' })).rows[0]?.value ?? 0;
    const munis = await q({ indicator: 'mx.disappeared.persons', geo: ['children:14'], from: '2023', to: '2023' });
    const unspecified = await q({ indicator: 'mx.disappeared.persons', geo: ['14998', '14999'], from: '2023', to: '2023' });
    const sum = [...munis.rows, ...unspecified.rows].reduce((a, r) => a + (r.value ?? 0), 0);
    expect(sum).toBe(state);
    const nation = (await q({ indicator: 'mx.disappeared.persons', from: '2023', to: '2023' })).rows[0]?.value ?? 0;
    const states = await q({ indicator: 'mx.disappeared.persons', geo: ['level:state', '99'], from: '2023', to: '2023' });
    expect(states.rows.reduce((a, r) => a + (r.value ?? 0), 0)).toBe(nation);
  });

  it('a count needs no population; mx.population uses CONAPO for states and the census for municipalities', async () => {
    const pop = await q({ indicator: 'mx.population', geo: ['00', '14', '14039'], from: '2020', to: '2020' });
    expect(pop.rows.map((r) => [r.geo, r.value])).toEqual([['00', 128_209_170], ['14', expect.any(Number)], ['14039', 1_385_629]]);
  });
});

describe('mistakes get clear errors', () => {
  it('unknown indicator, unknown geo, wrong level, unsupported frequency or breakdown, bad period', async () => {
    await expect(q({ indicator: 'mx.nope' })).rejects.toThrow(/unknown indicator "mx.nope"/);
    await expect(q({ indicator: 'mx.homicide.victims', geo: ['77'] })).rejects.toThrow(/unknown geography "77"/);
    await expect(q({ indicator: 'mx.homicide.victims', geo: ['14039'] })).rejects.toThrow(/municipality/);
    await expect(q({ indicator: 'mx.population', freq: 'month' })).rejects.toThrow(/freq=month/);
    await expect(q({ indicator: 'mx.homicide.rate', by: 'sex' })).rejects.toThrow(/cannot be broken down by sex/);
    await expect(q({ indicator: 'mx.homicide.victims', from: '2020-13', to: null })).rejects.toBeInstanceOf(RequestError);
    await expect(q({ indicator: 'mx.homicide.victims', from: '2024', to: '2020' })).rejects.toThrow(/ends before it starts/);
    await expect(q({ indicator: 'us.overdose.deaths', geo: ['00'] })).rejects.toThrow(/does not cover/);
  });
});
