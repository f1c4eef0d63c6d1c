import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath, loadCatalog } from '../catalog/index.js';
import { RequestError, type QueryParams } from '../domain/index.js';
import { adapterFor, BUNDLED_FILES, importFile } from '../ingest/index.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { queryIndicator } from './query.js';

// Only the files rates need: SESNSP victims, CONAPO and the census (the whole bundle is not needed here).
const NEEDED = ['sesnsp-victims-state', 'conapo-population-state', 'inegi-population-municipal'];
let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
  for (const entry of BUNDLED_FILES.filter((f) => NEEDED.includes(f.source))) {
    await importFile(t.store, adapterFor(entry.source), bundledDataPath(entry.path));
  }
}, 600_000);
afterAll(async () => t.cleanup());

const q = (p: Partial<QueryParams> & { indicator: string }) =>
  queryIndicator(t.store, { geo: ['00'], from: null, to: null, freq: 'year', by: null, lang: 'en', asOf: null, ...p });

/** The raw files, read here with a CSV parser and nothing of Observa's. */
type Row = Record<string, string>;
const readCsv = (path: string): Row[] => {
  const bytes = readFileSync(bundledDataPath(path));
  return parse(path.endsWith('.gz') ? gunzipSync(bytes) : bytes, { columns: true }) as Row[];
};
const MONTHS = ['Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio', 'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre'];
let sesnsp: Row[] | undefined;
const victims = (filter: (r: Row) => boolean, year: number, months: readonly number[]): number => {
  sesnsp ??= readCsv('sesnsp/IDVFC_NM_2015-2025.csv.gz');
  let sum = 0;
  for (const r of sesnsp) {
    if (Number(r['Año']) !== year || !filter(r)) continue;
    for (const m of months) sum += Number(r[MONTHS[m - 1] as string] || 0);
  }
  return sum;
};
const conapo = (year: number, state: string, sex: 'Total' | 'Mujeres'): number => {
  const row = readCsv('conapo/conapo_pob_estatal_sexo_anual_1950_2070.csv').find((r) => Number(r['n_year']) === year && r['cve_ent'] === state && r['genero'] === sex);
  if (!row) throw new Error(`no CONAPO row ${year} ${state} ${sex}`);
  return Number(row['pob_mid_year']);
};
const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

describe('every count of people has a rate', () => {
  const { indicators } = loadCatalog();
  // Counts of people, by their unit: victims, persons, deaths (the test decides, not a flag the indicator sets itself;
  // shares such as "% of people arrested" are not counts of people).
  const people = indicators.filter((i) => i.kind === 'count' && /^(victims|persons|deaths|people|women)$/.test(i.unit.en));
  // The one accepted exception: places for which no population is bundled (the United States, the binational border).
  const populations = new Set(indicators.flatMap((i) => (i.rate?.denominator ?? []).map((d) => d.series)));
  const mexican = (code: string) => code.startsWith('mx.');

  it('finds the counts of people the issue names', () => {
    expect(people.map((i) => i.code)).toEqual(expect.arrayContaining([
      'mx.homicide.victims', 'mx.femicide.victims', 'mx.women_murdered.victims', 'mx.kidnapping.victims', 'mx.extortion.victims',
      'mx.trafficking.victims', 'mx.disappeared.persons', 'mx.disappeared.located_dead', 'us.overdose.deaths', 'us.overdose.synthetic_opioid_deaths',
    ]));
  });

  it('each has a rate per 100,000, or (outside Mexico, with no population bundled) says in es and en why not', () => {
    expect([...populations]).toEqual(['conapo.population.mid_year']);
    for (const i of people) {
      if (mexican(i.code)) {
        expect(i.rate, i.code).toBeDefined();
        expect(i.rate?.factor, i.code).toBe(100_000);
        expect(i.noRate, i.code).toBeUndefined();
      } else if (!i.rate) {
        expect(i.noRate?.es, i.code).toMatch(/100 000/);
        expect(i.noRate?.en, i.code).toMatch(/100,000/);
      }
    }
  });

  it('femicide and women killed are per 100,000 women; the others per 100,000 inhabitants', () => {
    for (const i of people.filter((x) => x.rate)) {
      const women = i.code === 'mx.femicide.victims' || i.code === 'mx.women_murdered.victims';
      expect(i.rate?.denominator, i.code).toEqual([{ series: 'conapo.population.mid_year', where: women ? { sex: ['female'] } : {} }]);
      expect(i.rate?.unit.en, i.code).toMatch(women ? /per 100,000 women/ : /per 100,000 inhabitants/);
    }
  });

  it('mx.homicide.rate is the rate of mx.homicide.victims: the same values, one definition', async () => {
    const [rate, derived] = await Promise.all([
      q({ indicator: 'mx.homicide.rate', geo: ['00', 'level:state'], from: '2015', to: '2024' }),
      q({ indicator: 'mx.homicide.victims', geo: ['00', 'level:state'], from: '2015', to: '2024', measure: 'rate' }),
    ]);
    expect(derived.rows).toHaveLength(33 * 10);
    expect(derived.rows).toEqual(rate.rows);
    // Cited the same way: the victims' source and CONAPO's, with their files.
    expect(derived.sources).toEqual(rate.sources);
    expect(derived.measure).toBe('rate');
    expect(derived.unit).toBe('victims per 100,000 inhabitants');
  });

  it('a count without a rate refuses measure=rate with the catalog\'s reason', async () => {
    const error = await q({ indicator: 'us.overdose.deaths', geo: ['US'], measure: 'rate' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as Error).message).toMatch(/no U\.S\. population/);
  });
});

describe('rates checked against the raw files', () => {
  it('femicide per 100,000 women, 2024, nation and Estado de México, equals SESNSP victims ÷ CONAPO women × 100,000', async () => {
    const femicide = (state: string | null) => victims((r) => r['Subtipo de delito'] === 'Feminicidio' && (state === null || Number(r['Clave_Ent']) === Number(state)), 2024, ALL_MONTHS);
    const expected = {
      '00': (femicide(null) / conapo(2024, '00', 'Mujeres')) * 100_000,
      '15': (femicide('15') / conapo(2024, '15', 'Mujeres')) * 100_000,
    };
    const result = await q({ indicator: 'mx.femicide.victims', geo: ['00', '15'], from: '2024', to: '2024', measure: 'rate' });
    expect(result.rows.map((r) => r.geo)).toEqual(['00', '15']);
    for (const row of result.rows) {
      expect(row.value, row.geo).toBeCloseTo(expected[row.geo as '00' | '15'], 3);
      expect(row.flags, row.geo).toContain('projected');
    }
    // The national figure as printed (2 decimals): 797 victims over 67,0xx,xxx women.
    expect(result.rows[0]?.numerator).toBe(femicide(null));
    expect(result.rows[0]?.denominator).toBe(conapo(2024, '00', 'Mujeres'));
    expect(result.unit).toBe('victims per 100,000 women');
  });

  it('women killed per 100,000 women, 2021, equals femicide + female homicide victims ÷ CONAPO women', async () => {
    const killed = victims((r) => ['Feminicidio', 'Homicidio doloso'].includes(r['Subtipo de delito'] as string) && r['Sexo'] === 'Mujer', 2021, ALL_MONTHS);
    const result = await q({ indicator: 'mx.women_murdered.victims', from: '2021', to: '2021', measure: 'rate' });
    expect(result.rows[0]?.value).toBeCloseTo((killed / conapo(2021, '00', 'Mujeres')) * 100_000, 3);
  });

  it('the annualised monthly homicide rate of Guanajuato, February 2024 (29 days) and January 2024 (31 days)', async () => {
    const pop = conapo(2024, '11', 'Total');
    const homicide = (month: number) => victims((r) => Number(r['Clave_Ent']) === 11 && ['Homicidio doloso', 'Feminicidio'].includes(r['Subtipo de delito'] as string), 2024, [month]);
    const expected = new Map([
      ['2024-01', (homicide(1) / pop) * 100_000 * (365.25 / 31)],
      ['2024-02', (homicide(2) / pop) * 100_000 * (365.25 / 29)],
    ]);
    for (const indicator of ['mx.homicide.victims', 'mx.homicide.rate']) {
      const result = await q({
        indicator, geo: ['11'], from: '2024-01', to: '2024-02', freq: 'month', annualise: true, ...(indicator === 'mx.homicide.victims' ? { measure: 'rate' as const } : {}),
      });
      expect(result.rows.map((r) => r.period), indicator).toEqual(['2024-01', '2024-02']);
      for (const row of result.rows) expect(row.value, `${indicator} ${row.period}`).toBeCloseTo(expected.get(row.period) as number, 2);
      expect(result.annualised).toBe(true);
      expect(result.notes.join(' ')).toMatch(/365\.25 \/ days in the month/);
      expect(result.unit).toMatch(/annualised$/);
    }
    // Not annualised, the same month is 29/365.25 of it.
    const plain = await q({ indicator: 'mx.homicide.rate', geo: ['11'], from: '2024-02', to: '2024-02', freq: 'month' });
    expect(plain.rows[0]?.value).toBeCloseTo((homicide(2) / pop) * 100_000, 3);
  });

  it('annualising is refused for counts, shares and years', async () => {
    for (const p of [
      { indicator: 'mx.homicide.victims', freq: 'month' as const },
      { indicator: 'mx.homicide.firearm_share', freq: 'month' as const },
      { indicator: 'mx.homicide.rate', freq: 'year' as const },
    ]) {
      await expect(q({ ...p, annualise: true }), p.indicator).rejects.toThrow(/annualise applies to monthly rates/);
    }
  });
});

describe('projected population and mixed population sources', () => {
  it('CONAPO years from 2020 are flagged projected; 2019 is not; the census is flagged census-population', async () => {
    const nation = await q({ indicator: 'mx.population', from: '2018', to: '2021' });
    expect(nation.rows.map((r) => [r.period, r.flags.includes('projected')])).toEqual([['2018', false], ['2019', false], ['2020', true], ['2021', true]]);
    expect(nation.rows.find((r) => r.period === '2020')?.value).toBe(128_209_170);
    expect(nation.notes.join(' ')).toMatch(/projected population/);
    const municipality = await q({ indicator: 'mx.population', geo: ['00', '14039'], from: '2020', to: '2020' });
    const guadalajara = municipality.rows.find((r) => r.geo === '14039');
    expect(guadalajara?.flags).toEqual(['census-population']);
    expect(municipality.rows.find((r) => r.geo === '00')?.flags).toEqual(['projected']);
    expect(municipality.notes.join(' ')).toMatch(/not the same figure/);
  });

  it('a rate carries its denominator\'s flag and names its population', async () => {
    const result = await q({ indicator: 'mx.kidnapping.victims', from: '2019', to: '2020', measure: 'rate', lang: 'es' });
    expect(result.rows.map((r) => r.flags.includes('projected'))).toEqual([false, true]);
    expect(result.notes.join(' ')).toMatch(/Denominador: Población total a mitad de año de CONAPO/);
  });
});
