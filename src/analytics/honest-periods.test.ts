import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import { RequestError, type QueryParams } from '../domain/index.js';
import { adapterFor, importFile } from '../ingest/index.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { queryIndicator } from './query.js';

/** The published CSV text of a bundled file (gunzipped). */
const bundledText = (path: string) => gunzipSync(readFileSync(bundledDataPath(path))).toString('utf8');

/** Naive CSV split: these files quote no commas in the columns the tests read (checked by the header length). */
const cells = (line: string) => line.split(',');

const SESNSP = 'sesnsp/IDVFC_NM_2015-2025.csv.gz';
const DISAPPEARED = 'rnpdno/rnpdno_municipal_mensual_disappeared_not_located.csv.gz';
/** Coahuila: leaves December 2024 empty in the altered copy. */
const EMPTIED_STATE = '05';
/** Zacatecas: has no RNPDNO rows in 2019 in the altered copy. */
const ABSENT_STATE = '32';

let sesnsp: TempStore;
let rnpdno: TempStore;
/** Homicide victims (doloso + feminicidio) from the altered file, computed here from its text, not by Observa. */
const rawHomicides = new Map<string, number>();

function alteredSesnsp(dir: string): string {
  const lines = bundledText(SESNSP).split('\n');
  const header = cells(lines[0] ?? '');
  const col = (name: string) => header.indexOf(name);
  const [year, state, subtype, december] = [col('Año'), col('Clave_Ent'), col('Subtipo de delito'), col('Diciembre')];
  const out = lines.map((line, i) => {
    if (i === 0 || line === '') return line;
    // Quoted fields would shift the columns; the rows altered and summed here have none.
    const c = line.includes('"') ? null : cells(line);
    if (!c) return line;
    if (c[year] === '2024' && c[state]?.padStart(2, '0') === EMPTIED_STATE) c[december] = '';
    if (['Homicidio doloso', 'Feminicidio'].includes(c[subtype] ?? '') && c[year] === '2024') {
      const months = c.slice(col('Enero'), december + 1).map((v) => (v === '' ? 0 : Number(v)));
      const key = c[state]?.padStart(2, '0') ?? '';
      const sum = months.reduce((a, b) => a + b, 0);
      rawHomicides.set(key, (rawHomicides.get(key) ?? 0) + sum);
      rawHomicides.set('00', (rawHomicides.get('00') ?? 0) + sum);
    }
    return c.join(',');
  });
  expect(lines.filter((l) => l.includes('"')).length, 'rows with quotes would be skipped by the naive split').toBe(0);
  const path = join(dir, 'IDVFC_NM_altered.csv');
  writeFileSync(path, out.join('\n'));
  return path;
}

function alteredRnpdno(dir: string): string {
  const lines = bundledText(DISAPPEARED).split('\n');
  const header = cells(lines[0] ?? '');
  const [state, year] = [header.indexOf('cve_estado'), header.indexOf('year')];
  const kept = lines.filter((line, i) => i === 0 || line === '' || !(cells(line)[state] === ABSENT_STATE && cells(line)[year] === '2019'));
  expect(lines.length - kept.length, 'the altered copy removes some rows').toBeGreaterThan(0);
  const path = join(dir, 'rnpdno_altered.csv');
  writeFileSync(path, kept.join('\n'));
  return path;
}

beforeAll(async () => {
  [sesnsp, rnpdno] = await Promise.all([tempStore(), tempStore()]);
  await importFile(sesnsp.store, adapterFor('sesnsp-victims-state'), alteredSesnsp(sesnsp.dir));
  await importFile(rnpdno.store, adapterFor('rnpdno-municipal'), alteredRnpdno(rnpdno.dir));
  await importFile(rnpdno.store, adapterFor('cdc-vsrr-overdose'), bundledDataPath('cdc/cdc_vsrr_us_national_12mo_ending_2015_2025.csv'));
}, 240_000);
afterAll(async () => {
  await sesnsp.cleanup();
  await rnpdno.cleanup();
});

const q = (t: TempStore, p: Partial<QueryParams> & { indicator: string }) =>
  queryIndicator(t.store, { geo: ['00'], from: null, to: null, freq: 'year', by: null, lang: 'en', asOf: null, ...p });

describe('completeness per place and period (altered SESNSP copy: one state leaves December 2024 empty)', () => {
  it('flags that state and the national total as partial with 11 months; other states stay complete', async () => {
    const result = await q(sesnsp, { indicator: 'mx.homicide.victims', geo: ['00', 'level:state'], from: '2024', to: '2024' });
    const row = (geo: string) => result.rows.find((r) => r.geo === geo);
    expect(row(EMPTIED_STATE)).toMatchObject({ months: 11, value: rawHomicides.get(EMPTIED_STATE) });
    expect(row(EMPTIED_STATE)?.flags).toContain('partial-period');
    expect(row('00')).toMatchObject({ months: 11, value: rawHomicides.get('00') });
    expect(row('00')?.flags).toContain('partial-period');
    const others = result.rows.filter((r) => r.geo !== EMPTIED_STATE && r.geo !== '00');
    expect(others).toHaveLength(31);
    for (const r of others) {
      expect(r.flags, r.geo).not.toContain('partial-period');
      expect(r.months, r.geo).toBe(12);
      expect(r.value, r.geo).toBe(rawHomicides.get(r.geo));
    }
    // 2023 is untouched: complete everywhere.
    const earlier = await q(sesnsp, { indicator: 'mx.homicide.victims', geo: ['00', EMPTIED_STATE], from: '2023', to: '2023' });
    expect(earlier.rows.map((r) => [r.geo, r.months, r.flags.includes('partial-period')])).toEqual([['00', 12, false], [EMPTIED_STATE, 12, false]]);
  });

  it('says how far the data goes, from the data', async () => {
    const result = await q(sesnsp, { indicator: 'mx.homicide.victims' });
    expect(result.through).toBe('2025-06');
  });

  it('ytd sums every year over the months the latest year has, and says which', async () => {
    const result = await q(sesnsp, { indicator: 'mx.homicide.victims', geo: ['00'], from: '2023', to: '2025', ytd: true });
    expect(result.ytd_months).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.notes.join(' ')).toContain('January–June');
    // Independent: January–June of 2024 and 2025 summed from the file's text.
    const lines = bundledText(SESNSP).split('\n');
    const header = cells(lines[0] ?? '');
    const firstHalf = (year: string) => lines.slice(1).filter((l) => l !== '').map(cells)
      .filter((c) => c[header.indexOf('Año')] === year && ['Homicidio doloso', 'Feminicidio'].includes(c[header.indexOf('Subtipo de delito')] ?? ''))
      .reduce((sum, c) => sum + c.slice(header.indexOf('Enero'), header.indexOf('Junio') + 1).reduce((a, v) => a + Number(v || 0), 0), 0);
    expect(result.rows.map((r) => r.period)).toEqual(['2023', '2024', '2025']);
    expect(result.rows.find((r) => r.period === '2024')?.value).toBe(firstHalf('2024'));
    expect(result.rows.find((r) => r.period === '2025')?.value).toBe(firstHalf('2025'));
    for (const r of result.rows) {
      expect(r.months, r.period).toBe(6);
      expect(r.flags, r.period).not.toContain('partial-period');
    }
    await expect(q(sesnsp, { indicator: 'mx.homicide.victims', freq: 'month', ytd: true })).rejects.toBeInstanceOf(RequestError);
  });
});

describe('absent means zero where the publisher says so (altered RNPDNO copy: one state without rows in 2019)', () => {
  it('gives 0 inside the published range and no value outside it', async () => {
    const inRange = await q(rnpdno, { indicator: 'mx.disappeared.persons', geo: [ABSENT_STATE], from: '2018', to: '2020' });
    expect(inRange.rows.map((r) => r.period)).toEqual(['2018', '2019', '2020']);
    const y2019 = inRange.rows.find((r) => r.period === '2019');
    expect(y2019).toMatchObject({ value: 0, numerator: 0, months: 12 });
    expect(y2019?.release_ids.length).toBeGreaterThan(0);
    expect(inRange.rows.find((r) => r.period === '2018')?.value).toBeGreaterThan(0);
    // Monthly too: every month of 2019 is 0.
    const months = await q(rnpdno, { indicator: 'mx.disappeared.persons', geo: [ABSENT_STATE], freq: 'month', from: '2019-01', to: '2019-12' });
    expect(months.rows.map((r) => r.value)).toEqual(Array(12).fill(0));
    // Outside the published range (January 2015 – December 2025): no value at all.
    const outside = await q(rnpdno, { indicator: 'mx.disappeared.persons', geo: [ABSENT_STATE], from: '2010', to: '2014' });
    expect(outside.rows).toEqual([]);
    const after = await q(rnpdno, { indicator: 'mx.disappeared.persons', geo: [ABSENT_STATE], freq: 'month', from: '2026-01', to: '2026-06' });
    expect(after.rows).toEqual([]);
  });

  it('shows the status date, flags recent months as still being registered and says where the unlocated are', async () => {
    const result = await q(rnpdno, { indicator: 'mx.disappeared.persons', geo: ['00', '14'], freq: 'month', from: '2025-01', to: '2025-12' });
    expect(result.status_as_of).toBe('2026-03');
    expect(result.through).toBe('2025-12');
    const national = result.rows.filter((r) => r.geo === '00');
    expect(national.filter((r) => r.flags.includes('provisional')).map((r) => r.period)).toEqual(['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    expect(result.notes.join(' ')).toMatch(/Status at retrieval \(March 2026\)/);
    expect(result.notes.join(' ')).toMatch(/persons without a registered state/);
    const stateOnly = await q(rnpdno, { indicator: 'mx.disappeared.persons', geo: ['14'], from: '2024', to: '2024', lang: 'es' });
    expect(stateOnly.notes.join(' ')).toMatch(/marzo de 2026/);
    expect(stateOnly.notes.join(' ')).not.toMatch(/sin estado registrado/);
  });
});

describe('CDC marks periods underreported due to incomplete data (`*`)', () => {
  it('carries its own flag on exactly the 12-month periods ending January 2024 – April 2025', async () => {
    const result = await q(rnpdno, { indicator: 'us.overdose.deaths', geo: ['US'], freq: 'month', from: '2023-01', to: '2025-04' });
    const flagged = result.rows.filter((r) => r.flags.includes('underreported')).map((r) => r.period);
    // Independent: the periods whose footnote symbol is a lone `*` in the file.
    const lines = readFileSync(bundledDataPath('cdc/cdc_vsrr_us_national_12mo_ending_2015_2025.csv'), 'utf8').split(/\r?\n/);
    const star = [...new Set(lines.filter((l) => l.endsWith(',*') && l.includes('Number of Drug Overdose Deaths')).map((l) => `12m-ending-${cells(l)[4]}`))].sort();
    expect(star[0]).toBe('12m-ending-2024-01');
    expect(star.at(-1)).toBe('12m-ending-2025-04');
    expect(flagged).toEqual(star);
    const yearly = await q(rnpdno, { indicator: 'us.overdose.deaths', geo: ['US'], from: '2023', to: '2024' });
    expect(yearly.rows.map((r) => [r.period, r.flags.includes('underreported')])).toEqual([['2023', false], ['2024', true]]);
  });
});
