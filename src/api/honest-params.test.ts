import { execFile } from 'node:child_process';

import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import type { QueryResult } from '../domain/index.js';
import { adapterFor, importFile } from '../ingest/index.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { createApp } from './index.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/observa.js', import.meta.url).pathname;

let t: TempStore;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await tempStore();
  await importFile(t.store, adapterFor('sesnsp-victims-state'), bundledDataPath('sesnsp/IDVFC_NM_2015-2025.csv.gz'));
  await importFile(t.store, adapterFor('rnpdno-municipal'), bundledDataPath('rnpdno/rnpdno_municipal_mensual_disappeared_not_located.csv.gz'));
  await importFile(t.store, adapterFor('conapo-population-state'), bundledDataPath('conapo/conapo_pob_estatal_sexo_anual_1950_2070.csv'));
  app = createApp(t.store);
}, 180_000);
afterAll(async () => t.cleanup());

const json = async (path: string) => {
  const res = await app.fetch(new Request(`http://observa.test${path}`));
  return { status: res.status, body: (await res.json()) as QueryResult & { error?: { message: string } } };
};

describe('honest periods over HTTP and the CLI', () => {
  it('ytd=true sums every year over the months of the latest one and says which; data through is in the metadata', async () => {
    const plain = await json('/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2024..2025');
    expect(plain.body.through).toBe('2025-06');
    expect(plain.body.rows.find((r) => r.period === '2025')?.flags).toContain('partial-period');
    const ytd = await json('/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2024..2025&ytd=true');
    expect(ytd.status).toBe(200);
    expect(ytd.body.ytd_months).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ytd.body.rows.map((r) => [r.period, r.months, r.flags.includes('partial-period')])).toEqual([['2024', 6, false], ['2025', 6, false]]);
    // The same-months 2025 equals the full-year query's partial 2025 (both are January–June).
    expect(ytd.body.rows.find((r) => r.period === '2025')?.value).toBe(plain.body.rows.find((r) => r.period === '2025')?.value);
    expect(ytd.body.rows.find((r) => r.period === '2024')?.value).toBeLessThan(plain.body.rows.find((r) => r.period === '2024')?.value ?? 0);
    const monthly = await json('/api/v1/indicators/mx.homicide.victims/data?geo=00&freq=month&ytd=true');
    expect(monthly.status).toBe(400);
  });

  it('a rate with ytd=true divides the same months\' count by the year\'s population, and says it is not a yearly rate', async () => {
    const count = await json('/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2024..2025&ytd=true&lang=en');
    const rate = await json('/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2024..2025&ytd=true&measure=rate&lang=en');
    expect(rate.status).toBe(200);
    expect(rate.body.ytd_months).toEqual([1, 2, 3, 4, 5, 6]);
    for (const period of ['2024', '2025']) {
      const c = count.body.rows.find((r) => r.period === period);
      const r = rate.body.rows.find((x) => x.period === period);
      expect(r?.numerator).toBe(c?.value);
      expect(r?.denominator).toBeGreaterThan(100_000_000);
      expect(r?.value).toBeCloseTo(((c?.value ?? 0) / (r?.denominator ?? 1)) * 100_000, 2);
      expect(r?.flags).toContain('projected');
    }
    expect(rate.body.notes.join(' ')).toContain('not a yearly rate');
    // Annualising is for monthly rates only, and ytd for years only: together they are refused.
    expect((await json('/api/v1/indicators/mx.homicide.victims/data?geo=00&ytd=true&measure=rate&annualise=true')).status).toBe(400);
  });

  it('RNPDNO results carry the status date and the national note', async () => {
    const { body } = await json('/api/v1/indicators/mx.disappeared.persons/data?geo=00&period=2025&lang=en');
    expect(body.status_as_of).toBe('2026-03');
    expect(body.rows[0]?.flags).toContain('provisional');
    expect(body.notes.join(' ')).toContain('persons without a registered state');
  });

  it('observa query --ytd prints the months it summed', async () => {
    // The CLI opens the same DuckDB file, which one process holds at a time.
    await t.store.close();
    const { stdout } = await run('node', [BIN, '--store', t.path, 'query', 'mx.homicide.victims', '--geo', '00', '--period', '2024..2025', '--ytd', '--format', 'json'], { maxBuffer: 16 << 20 })
      .catch(async (error: unknown) => {
        throw new Error(`CLI failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
      });
    const result = JSON.parse(stdout) as QueryResult;
    expect(result.ytd_months).toEqual([1, 2, 3, 4, 5, 6]);
    const table = await run('node', [BIN, '--store', t.path, 'query', 'mx.homicide.victims', '--geo', '00', '--period', '2024..2025', '--ytd']);
    expect(table.stdout).toContain('Months summed in every year: 1, 2, 3, 4, 5, 6');
    expect(table.stdout).toContain('Data through 2025-06');
  });
});
