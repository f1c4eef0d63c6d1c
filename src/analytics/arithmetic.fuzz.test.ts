import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONTHS_ES, type QueryParams } from '../domain/index.js';
import { ADAPTERS, importFile } from '../ingest/index.js';
import { sesnspRow, writeCsv } from '../test-support/sesnsp-fixture.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { queryIndicator } from './query.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 8);
const CONAPO_HEADER = ['n_year', 'nombre_estado', 'cve_ent', 'genero', 'pob_start_year', 'pob_mid_year'];

let t: TempStore;
/** An empty store, seeded and closed once: each run starts from a copy (opening a new store seeds the catalog, ~1 s). */
let template: TempStore;
beforeAll(async () => {
  t = await tempStore();
  template = await tempStore();
  await template.store.close();
});
afterAll(async () => {
  await t.cleanup();
  await template.cleanup();
});

const cell = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.integer({ min: 1, max: 50 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 999_999_999 }) });
const dataset = fc.record({
  states: fc.uniqueArray(fc.integer({ min: 1, max: 32 }), { minLength: 1, maxLength: 6 }),
  years: fc.uniqueArray(fc.integer({ min: 2015, max: 2020 }), { minLength: 1, maxLength: 3 }),
  /** Months published in the last year (1–12); earlier years are complete. */
  lastYearMonths: fc.integer({ min: 1, max: 12 }),
  cells: fc.array(cell, { minLength: 12, maxLength: 12 }),
  populations: fc.array(fc.integer({ min: 1000, max: 20_000_000 }), { minLength: 64, maxLength: 64 }),
});

describe('indicator arithmetic under property tests (real DuckDB)', () => {
  it('nation = Σ states, year = Σ months, parts = total, partial years flagged, rates from sums', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(dataset, async (d) => {
        const s = await tempStore(template.path);
        try {
          const years = [...d.years].sort();
          const last = years.at(-1) as number;
          const rows = years.flatMap((year) =>
            d.states.flatMap((state, k) =>
              (['Hombre', 'Mujer', 'No identificado'] as const).flatMap((sex, j) =>
                (['Homicidio doloso', 'Feminicidio'] as const).filter((sub) => sub === 'Homicidio doloso' || sex === 'Mujer').map((subtype) =>
                  sesnspRow({ year, state, subtype, sex, months: MONTHS_ES.map((_, m) => (year === last && m >= d.lastYearMonths ? '' : ((d.cells[m] ?? 0) * (k + 1) + j + year) % 1_000_000_000)) }),
                ),
              ),
            ),
          );
          await importFile(s.store, ADAPTERS['sesnsp-victims-state'] as NonNullable<(typeof ADAPTERS)[string]>, writeCsv(join(t.dir, `v${run}.csv`), rows));
          // Population: Hombres/Mujeres/Total per state and the nation, totals consistent (the adapter reconciles them).
          const pop: string[][] = [];
          for (const year of years) {
            let nationMen = 0;
            let nationWomen = 0;
            for (let state = 1; state <= 32; state++) {
              const men = d.populations[(state * 2) % 64] as number;
              const women = d.populations[(state * 2 + 1) % 64] as number;
              nationMen += men;
              nationWomen += women;
              const code = String(state).padStart(2, '0');
              pop.push([String(year), 'x', code, 'Hombres', String(men), String(men)], [String(year), 'x', code, 'Mujeres', String(women), String(women)], [String(year), 'x', code, 'Total', String(men + women), String(men + women)]);
            }
            pop.push([String(year), 'Nacional', '00', 'Hombres', String(nationMen), String(nationMen)], [String(year), 'Nacional', '00', 'Mujeres', String(nationWomen), String(nationWomen)], [String(year), 'Nacional', '00', 'Total', String(nationMen + nationWomen), String(nationMen + nationWomen)]);
          }
          await importFile(s.store, ADAPTERS['conapo-population-state'] as NonNullable<(typeof ADAPTERS)[string]>, writeCsv(join(t.dir, `p${run++}.csv`), pop, { header: CONAPO_HEADER }));

          const q = (p: Partial<QueryParams>) => queryIndicator(s.store, { indicator: 'mx.homicide.victims', geo: ['00'], from: null, to: null, freq: 'year', by: null, lang: 'en', asOf: null, ...p });
          const sum = (xs: { value: number | null }[]) => xs.reduce((a, r) => a + (r.value ?? 0), 0);
          const nation = await q({});
          const states = await q({ geo: ['level:state'] });
          const months = await q({ freq: 'month' });
          for (const row of nation.rows) {
            expect(sum(states.rows.filter((r) => r.period === row.period))).toBe(row.value);
            expect(sum(months.rows.filter((r) => r.period.startsWith(`${row.period}-`)))).toBe(row.value);
            for (const by of ['sex', 'modality', 'crime_subtype'] as const) {
              expect(sum((await q({ by, from: row.period, to: row.period })).rows), by).toBe(row.value);
            }
            const partial = Number(row.period) === last && d.lastYearMonths < 12;
            expect(row.flags.includes('partial-period')).toBe(partial);
          }
          const rate = await q({ indicator: 'mx.homicide.rate' });
          const stateRates = await q({ indicator: 'mx.homicide.rate', geo: ['level:state'] });
          for (const row of rate.rows) {
            const parts = stateRates.rows.filter((r) => r.period === row.period);
            const numerator = sum(parts.map((r) => ({ value: r.numerator })));
            expect(row.numerator).toBe(numerator);
            const expected = (numerator / (row.denominator ?? Number.NaN)) * 100_000;
            expect(Math.abs((row.value ?? 0) - expected)).toBeLessThanOrEqual(Math.max(1e-9 * expected, 1e-4));
          }
        } finally {
          await s.cleanup();
        }
      }),
      { numRuns: RUNS },
    );
    // Each run imports two files and asks about twenty questions: a budget per run, so FUZZ_RUNS=400 is not cut short.
  }, Math.max(120_000, RUNS * 3_000));
});
