import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/index.js';
import { bundledDataPath, loadCatalog } from '../catalog/index.js';
import { adapterFor, BUNDLED_FILES, importFile } from '../ingest/index.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { effectiveMeasure } from './data.js';

// Rates need the victims, CONAPO and the census; RNPDNO for a municipal indicator.
const NEEDED = ['sesnsp-victims-state', 'conapo-population-state', 'inegi-population-municipal', 'rnpdno-municipal'];
let t: TempStore;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await tempStore();
  for (const entry of BUNDLED_FILES.filter((f) => NEEDED.includes(f.source))) await importFile(t.store, adapterFor(entry.source), bundledDataPath(entry.path));
  app = createApp(t.store);
}, 600_000);
afterAll(async () => t.cleanup());

const get = (path: string) => app.fetch(new Request(`http://test${path}`));
const text = async (path: string) => {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return res.text();
};
const json = async <T>(path: string) => JSON.parse(await text(path)) as T;
interface File { unit: string; measure?: string; annualised?: boolean; rows: { geo: string; period: string; value: number | null; flags: string[] }[]; notes: string[] }

describe('maps and ranks default to the rate', () => {
  it('every count of people with a rate opens its map on the rate, its chart on the count', () => {
    const withRate = loadCatalog().indicators.filter((i) => i.rate);
    expect(withRate.length).toBeGreaterThanOrEqual(9);
    for (const i of withRate) {
      const view = (v: 'chart' | 'map' | 'table', measure: 'count' | 'rate' | null, map: 'states' | 'hex' | 'municipal' = 'states') => ({ view: v, map, measure, by: null });
      expect(effectiveMeasure(i, view('map', null)), i.code).toBe('rate');
      expect(effectiveMeasure(i, view('map', null, 'hex')), i.code).toBe('rate');
      expect(effectiveMeasure(i, view('chart', null)), i.code).toBe('count');
      expect(effectiveMeasure(i, view('map', 'count')), i.code).toBe('count');
      // No municipal rates exist: the municipal map shows counts even where the rate was asked for.
      expect(effectiveMeasure(i, view('map', null, 'municipal')), i.code).toBe('count');
      expect(effectiveMeasure(i, view('map', 'rate', 'municipal')), i.code).toBe('count');
      // The map kind does not change the measure of a chart left with map=municipal in its URL.
      expect(effectiveMeasure(i, view('chart', 'rate', 'municipal')), i.code).toBe('rate');
      expect(effectiveMeasure(i, { ...view('map', 'rate'), by: 'sex' }), i.code).toBe('count');
    }
  });

  it('the municipal map says it shows counts, and why, in both languages; its table and downloads are counts too', async () => {
    const es = await text('/es/indicators/mx.disappeared.persons/?view=map&map=municipal');
    expect(es).toContain('Se muestra: <span class="measure-shown">personas</span>');
    expect(es).toContain('<span class="municipal-count-note">El mapa municipal muestra el conteo: no hay tasas municipales');
    expect(/id="dl-csv" href="([^"]+)"/.exec(es)?.[1]).not.toContain('measure=rate');
    // Asked for the rate, the municipal map still shows (and says it shows) the count.
    const en = await text('/en/indicators/mx.disappeared.persons/?view=map&map=municipal&measure=rate');
    expect(en).toContain('Shown: <span class="measure-shown">persons</span>');
    expect(en).toContain('<span class="municipal-count-note">The municipal map shows the count: there are no municipal rates');
    expect(/id="dl-csv" href="([^"]+)"/.exec(en)?.[1]).not.toContain('measure=rate');
    // The state map shows the rate, and the note is hidden until the reader picks the municipal map.
    const states = await text('/en/indicators/mx.disappeared.persons/?view=map');
    expect(states).toContain('Shown: <span class="measure-shown">persons per 100,000 inhabitants</span>');
    expect(states).toContain('<span class="municipal-count-note" hidden>');
    // An indicator without municipalities has no municipal map: a URL asking for one gets the state map, on the rate.
    const noMunicipal = await text('/en/indicators/mx.homicide.victims/?view=map&map=municipal');
    expect(noMunicipal).toContain('<option value="states" selected>');
    expect(noMunicipal).not.toContain('value="municipal"');
    expect(noMunicipal).toContain('Shown: <span class="measure-shown">victims per 100,000 inhabitants</span>');
    expect(noMunicipal).toContain('<span class="municipal-count-note" hidden>');
  });

  it('the map view of femicide is per 100,000 women, says so, and its no-JavaScript downloads carry the view', async () => {
    const page = await text('/en/indicators/mx.femicide.victims/?view=map&from=2020&to=2024');
    expect(page).toContain('<option value="" selected>Automatic: rate on maps, number on charts and tables</option>');
    expect(page).toContain('Shown: <span class="measure-shown">victims per 100,000 women</span>');
    expect(page).toContain('Maps and state ranks use the rate by default');
    expect(page).toContain('Women at mid-year per CONAPO');
    // The population's source and file are among the page's sources and releases.
    expect(page).toMatch(/<h3>Imported releases<\/h3>[\s\S]*conapo_pob_estatal_sexo_anual_1950_2070\.csv/);
    const csvHref = /id="dl-csv" href="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(csvHref).toBe('/en/indicators/mx.femicide.victims.csv?geo=00&amp;from=2020&amp;to=2024&amp;freq=year&amp;measure=rate');
    const csv = parse(await text(csvHref.replaceAll('&amp;', '&')), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r['period'])).toEqual(['2020', '2021', '2022', '2023', '2024']);
    for (const row of csv) {
      expect(row['unit']).toBe('victims per 100,000 women');
      expect(row['months']).toBe('12');
      expect(Number(row['value'])).toBeCloseTo((Number(row['numerator']) / Number(row['denominator'])) * 100_000, 4);
      expect(row['flags']).toContain('projected');
      expect(row['citation']).toMatch(/^Observa, «Victims of femicide» \[mx\.femicide\.victims\]\. .*sha256 [0-9a-f]{12}\)\.$/);
      expect(row['citation']).toContain('conapo_pob_estatal_sexo_anual_1950_2070.csv');
    }
    const chart = await text('/en/indicators/mx.femicide.victims/');
    expect(chart).toContain('Shown: <span class="measure-shown">victims</span>');
    // Chosen explicitly, the rate is shown on the chart too, and the download follows.
    const rateChart = await text('/es/indicators/mx.femicide.victims/?measure=rate');
    expect(rateChart).toContain('<option value="rate" selected>Tasa por cada 100 000 (víctimas por cada 100 000 mujeres)</option>');
    expect(/id="dl-csv" href="([^"]+)"/.exec(rateChart)?.[1]).toBe('/es/indicators/mx.femicide.victims.csv?geo=00&amp;freq=year&amp;measure=rate');
    expect(/id="dl-csv" href="([^"]+)"/.exec(chart)?.[1]).toBe('/en/indicators/mx.femicide.victims.csv?geo=00&amp;freq=year');
  });

  it('data files: yearly rates, annualised monthly rates, and no municipal rates', async () => {
    const year = await json<File>('/data/es/mx.homicide.victims/year-rate.json');
    expect(year.unit).toBe('víctimas por cada 100 000 habitantes');
    expect(year.measure).toBe('rate');
    const rate = await json<File>('/data/es/mx.homicide.rate/year.json');
    expect(year.rows).toEqual(rate.rows);
    const annualised = await json<File>('/data/en/mx.homicide.victims/month-rate-annualised.json');
    const plain = await json<File>('/data/en/mx.homicide.victims/month-rate.json');
    expect(annualised.annualised).toBe(true);
    expect(annualised.unit).toBe('victims per 100,000 inhabitants, annualised');
    const feb = (f: File) => f.rows.find((r) => r.geo === '11' && r.period === '2024-02')?.value ?? Number.NaN;
    expect(feb(annualised)).toBeCloseTo((feb(plain) * 365.25) / 29, 4);
    expect((await json<File>('/data/en/mx.homicide.rate/month-annualised.json')).rows.find((r) => r.geo === '11' && r.period === '2024-02')?.value).toBeCloseTo(feb(annualised), 6);
    expect((await get('/data/en/mx.disappeared.persons/municipality-2024-rate.json')).status).toBe(404);
    expect((await get('/data/en/us.overdose.deaths/year-rate.json')).status).toBe(404);
    expect((await get('/data/en/mx.homicide.victims/year-annualised.json')).status).toBe(404);
    // A rate over the same months of each year (the page's ytd checkbox with the Rate measure).
    const ytdRate = await json<File & { ytd_months: number[] }>('/data/en/mx.homicide.victims/year-rate-ytd.json');
    expect(ytdRate.measure).toBe('rate');
    expect(ytdRate.ytd_months.length).toBeGreaterThan(0);
    expect((await get('/data/en/mx.homicide.victims/month-rate-ytd.json')).status).toBe(404);
  });

  it('state pages rank counts of people by their rate and say that 1 is the highest', async () => {
    const page = await text('/en/states/06/');
    expect(page).toContain('Rank: 1 = the highest rate of the 32 states');
    const row = (code: string) => new RegExp(`<tr data-indicator="${code.replaceAll('.', '\\.')}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
    expect(row('mx.femicide.victims')).toContain('(victims per 100,000 women)');
    expect(row('mx.femicide.victims')).toContain('1 = highest rate');
    // Colima: among the states with the highest homicide rate, not among the highest counts.
    const rates = await json<File>('/data/en/mx.homicide.rate/year.json');
    const latest = rates.rows.filter((r) => r.geo !== '00' && r.period === '2024').sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
    const expected = latest.findIndex((r) => r.geo === '06') + 1;
    expect(row('mx.homicide.victims')).toContain(`>${expected} of 32 <small`);
  });
});
