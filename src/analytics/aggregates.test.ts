import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import { MONTHS_ES, type QueryParams, type QueryResult } from '../domain/index.js';
import { adapterFor, importFile } from '../ingest/index.js';
import {
  AGGREGATE_TABLE, DIMENSION_COLUMNS, DuckDbStore, SCHEMA_VERSION, PostgresStore, TERM_SUMS_TABLE, TERM_SUMS_TERMS_TABLE, aggregateDifferences, checkIntegrity, keptTermIds, migrateServer,
  publishToPostgres, refreshAggregates, termSumDifferences, type ReadTx, type WriteTx,
} from '../store/index.js';
import { aggregateDdl } from '../store/aggregates.js';
import { postgresDdl } from '../store/schema.js';
import { TEST_PG_URL, tempPgStore, type TempPgStore } from '../test-support/pg-store.js';
import { sesnspRow, writeCsv } from '../test-support/sesnsp-fixture.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { queryIndicator } from './query.js';

// Current answers are read from observation_aggregate; an answer "as of" a later instant than every release reads the
// observations themselves (the same data). Both must agree, on DuckDB and on PostgreSQL, before and after a release
// that supersedes part of an earlier one; as_of an instant between the two keeps the first release's answers.

const FIRST = new Date('2026-01-10T00:00:00Z');
const SECOND = new Date('2026-02-10T00:00:00Z');
const BETWEEN = '2026-01-20T00:00:00Z';
const LATER = '2099-01-01T00:00:00Z';

const STATES = [[1, 'Aguascalientes'], [9, 'Ciudad de México'], [16, 'Michoacán de Ocampo']] as const;
const KINDS = [
  ['Homicidio doloso', 'Con arma de fuego', 'Hombre'],
  ['Homicidio doloso', 'Con arma blanca', 'Mujer'],
  ['Feminicidio', 'Con arma de fuego', 'Mujer'],
] as const;

/** Three states, 2020–2021; Michoacán leaves December 2021 empty (its year, and the nation's, is partial). */
function firstRelease(dir: string): string {
  const rows: string[][] = [];
  for (const year of [2020, 2021]) {
    for (const [state, name] of STATES) {
      for (const [subtype, modality, sex] of KINDS) {
        const months = MONTHS_ES.map((_, i) => (state === 16 && year === 2021 && i === 11 ? '' : (state * 7 + year + i) % 13));
        rows.push(sesnspRow({ year, state, stateName: name, subtype, modality, sex, months }));
      }
    }
  }
  return writeCsv(join(dir, 'first.csv'), rows);
}

/** A later file: Mexico City's 2021 revised (each month + 5), and 2022 January–June for every state. */
function secondRelease(dir: string): string {
  const rows: string[][] = [];
  for (const [subtype, modality, sex] of KINDS) {
    rows.push(sesnspRow({ year: 2021, state: 9, stateName: 'Ciudad de México', subtype, modality, sex, months: MONTHS_ES.map((_, i) => ((9 * 7 + 2021 + i) % 13) + 5) }));
    for (const [state, name] of STATES) {
      rows.push(sesnspRow({ year: 2022, state, stateName: name, subtype, modality, sex, months: MONTHS_ES.map((_, i) => (i < 6 ? state + i : '')) }));
    }
  }
  return writeCsv(join(dir, 'second.csv'), rows);
}

const base: QueryParams = { indicator: 'mx.homicide.victims', geo: ['00'], from: null, to: null, freq: 'year', by: null, lang: 'en', asOf: null };
const QUERIES: QueryParams[] = [
  base,
  { ...base, geo: ['level:state', '00'] },
  { ...base, freq: 'month', geo: ['09', '00'], from: '2021-01', to: '2022-06' },
  { ...base, geo: ['00', '16'], by: 'sex' },
  // Places with nothing stored under them: their months come from their own rows (Michoacán's 2021 is partial).
  { ...base, geo: ['level:state'], from: '2021', to: '2022' },
  { ...base, geo: ['16', '09'], by: 'sex' },
  { ...base, geo: ['00'], ytd: true },
  { ...base, indicator: 'mx.homicide.rate', geo: ['00', '01', '09', '16'], from: '2020', to: '2022' },
  { ...base, indicator: 'mx.homicide.rate', geo: ['level:state'], freq: 'month', from: '2021-11', to: '2022-02', annualise: true },
  { ...base, indicator: 'mx.disappeared.persons', geo: ['children:14'], from: '2023', to: '2024' },
  // Expanded levels with and without sums from below (municipal data: the states hold sums, the municipalities none).
  { ...base, indicator: 'mx.disappeared.persons', geo: ['level:state'], from: '2023', to: '2024' },
  { ...base, indicator: 'mx.disappeared.persons', geo: ['level:municipality', '14'], from: '2024', to: '2024' },
  { ...base, indicator: 'mx.disappeared.persons', geo: ['00', '14'], freq: 'month', from: '2024-01', to: '2024-06' },
];

const label = (q: QueryParams) => `${q.indicator} ${q.geo.join(',')} ${q.freq} ${q.from ?? ''}..${q.to ?? ''}${q.by ? ` by ${q.by}` : ''}${q.ytd ? ' ytd' : ''}`;
const answer = (tx: ReadTx, q: QueryParams, asOf: string | null): Promise<QueryResult> => queryIndicator(tx, { ...q, asOf });

/** Every query's current answer (from the aggregates) equals its answer from the observations. */
async function expectAggregatesEqualObservations(tx: ReadTx): Promise<QueryResult[]> {
  const current: QueryResult[] = [];
  for (const q of QUERIES) {
    const fromAggregates = await answer(tx, q, null);
    expect(fromAggregates.rows.length, label(q)).toBeGreaterThan(0);
    expect(fromAggregates, label(q)).toEqual(await answer(tx, q, LATER));
    current.push(fromAggregates);
  }
  return current;
}

let duck: TempStore;
let pgs: TempPgStore;
let beforeSecond: QueryResult[] = [];
beforeAll(async () => {
  duck = await tempStore();
  pgs = await tempPgStore();
  const at = (d: Date) => ({ now: () => d });
  await importFile(duck.store, adapterFor('sesnsp-victims-state'), firstRelease(duck.dir), at(FIRST));
  await importFile(duck.store, adapterFor('conapo-population-state'), bundledDataPath('conapo/conapo_pob_estatal_sexo_anual_1950_2070.csv'), at(FIRST));
  await importFile(duck.store, adapterFor('rnpdno-municipal'), bundledDataPath('rnpdno/rnpdno_municipal_mensual_disappeared_not_located.csv.gz'), at(FIRST));
  beforeSecond = await expectAggregatesEqualObservations(duck.store);
  await importFile(duck.store, adapterFor('sesnsp-victims-state'), secondRelease(duck.dir), at(SECOND));
}, 240_000);
afterAll(async () => {
  await pgs?.cleanup();
  await duck?.cleanup();
});

describe('aggregate tables (observation_aggregate) answer as the observations do', () => {
  it('after a second release that supersedes part of the first, on DuckDB', async () => {
    const after = await expectAggregatesEqualObservations(duck.store);
    // The second release changed what the aggregates hold (the test would not notice stale ones otherwise).
    expect(after[0]?.rows.map((r) => r.value)).not.toEqual(beforeSecond[0]?.rows.map((r) => r.value));
    expect(after[0]?.rows.find((r) => r.period === '2021')?.release_ids).toEqual([1, 4]);
    expect(after[0]?.rows.find((r) => r.period === '2021')?.flags).toEqual(['partial-period', 'revised']);
    expect(await aggregateDifferences(duck.store)).toEqual([]);
    expect(await termSumDifferences(duck.store)).toEqual([]);
  });

  it('yearly answers read the terms\' yearly sums, which the integrity check at open compares and rebuilds', async () => {
    const national = await answer(duck.store, { ...base, geo: ['09', '16'] }, null);
    // Altered sums change the answer: it is read from them (the observations say otherwise).
    await duck.store.write((tx) => tx.run(`UPDATE ${TERM_SUMS_TABLE} SET value = value + 1000 WHERE series = 'sesnsp.victims' AND geo = '09' AND year = 2021`));
    await duck.store.write((tx) => tx.run(`DELETE FROM ${TERM_SUMS_TABLE} WHERE series = 'sesnsp.victims' AND geo = '16' AND year = 2020`));
    const altered = await answer(duck.store, { ...base, geo: ['09', '16'] }, null);
    expect(altered).not.toEqual(national);
    expect(new Set((await termSumDifferences(duck.store)).map((d) => `${d.series} ${d.year}`))).toEqual(new Set(['sesnsp.victims 2020', 'sesnsp.victims 2021']));
    const report = await checkIntegrity(duck.store, { deep: true });
    expect(report.aggregateMismatches).toBe(2);
    expect(await termSumDifferences(duck.store)).toEqual([]);
    expect(await answer(duck.store, { ...base, geo: ['09', '16'] }, null)).toEqual(national);
  });

  it('a store of schema 8 (no term sums) has them built at open, and answers as before', async () => {
    const expected = await Promise.all(QUERIES.map((q) => answer(duck.store, q, null)));
    await duck.store.write(async (tx) => {
      await tx.run(`DROP TABLE ${TERM_SUMS_TABLE}`);
      await tx.run(`DROP TABLE ${TERM_SUMS_TERMS_TABLE}`);
      await tx.run(`UPDATE meta SET value = '8' WHERE key = 'schema_version'`);
    });
    await duck.store.close();
    const before = duck;
    const reopened = await DuckDbStore.open(before.path);
    duck = { ...before, store: reopened, cleanup: async () => {
      await reopened.close().catch(() => undefined);
      await before.cleanup();
    } };
    expect((await keptTermIds(duck.store)).size).toBeGreaterThan(0);
    expect(await termSumDifferences(duck.store)).toEqual([]);
    const [rows] = await duck.store.all<{ n: number }>(`SELECT count(*) AS n FROM ${TERM_SUMS_TABLE} WHERE series = 'sesnsp.victims'`);
    expect(rows?.n).toBeGreaterThan(0);
    for (const [i, q] of QUERIES.entries()) expect(await answer(duck.store, q, null), label(q)).toEqual(expected[i]);
  });

  it('as of an instant between the releases, gives the first release\'s answers', async () => {
    for (const [i, q] of QUERIES.entries()) expect(await answer(duck.store, q, BETWEEN), label(q)).toEqual(beforeSecond[i]);
  });

  it('on PostgreSQL after publish: the same answers, from the aggregates and from the observations', async () => {
    await publishToPostgres(duck.store, pgs.store);
    expect(await aggregateDifferences(pgs.store)).toEqual([]);
    for (const q of QUERIES) {
      const duckAnswer = await answer(duck.store, q, null);
      expect(await answer(pgs.store, q, null), label(q)).toEqual(duckAnswer);
      expect(await answer(pgs.store, q, LATER), label(q)).toEqual(duckAnswer);
    }
  });

  it('the integrity check at open finds aggregates that differ from the observations and rebuilds them', async () => {
    const national = await answer(duck.store, base, null);
    await duck.store.write((tx) => tx.run(`DELETE FROM observation_aggregate WHERE series = 'sesnsp.victims' AND geo = '00' AND year = 2021`));
    await duck.store.write((tx) => tx.run(`UPDATE observation_aggregate SET value = value + 1 WHERE series = 'sesnsp.victims' AND geo = '00' AND year = 2020 AND month = 3`));
    expect(await aggregateDifferences(duck.store)).toEqual([{ series: 'sesnsp.victims', years: [2020] }, { series: 'sesnsp.victims', years: [2021] }]);
    expect(await answer(duck.store, base, null)).not.toEqual(national);
    const report = await checkIntegrity(duck.store, { deep: true });
    expect(report.aggregateMismatches).toBe(2);
    expect(await answer(duck.store, base, null)).toEqual(national);
    expect(await aggregateDifferences(duck.store)).toEqual([]);
  });

  it('a store of schema 6 (each place\'s own values copied into the aggregates, an `own` column) is rebuilt at open, on DuckDB and PostgreSQL', async () => {
    const expected = await Promise.all(QUERIES.map((q) => answer(duck.store, q, null)));
    await duck.store.write((tx) => asSchema6(tx, aggregateDdl()));
    await pgs.store.write((tx) => asSchema6(tx, postgresDdl(aggregateDdl())));
    await duck.store.close();
    const reopened = await DuckDbStore.open(duck.path);
    const server = await PostgresStore.open(TEST_PG_URL, { schema: pgs.schema, migrate: migrateServer });
    try {
      for (const store of [reopened, server]) {
        const columns = await store.all<{ name: string }>(
          `SELECT column_name AS name FROM information_schema.columns WHERE table_name = '${AGGREGATE_TABLE}' AND table_schema = current_schema()`,
        );
        expect(columns.map((c) => c.name)).not.toContain('own');
        expect(await store.all(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([{ value: String(SCHEMA_VERSION) }]);
        expect(await aggregateDifferences(store)).toEqual([]);
        for (const [i, q] of QUERIES.entries()) expect(await answer(store, q, null), label(q)).toEqual(expected[i]);
      }
    } finally {
      await server.close();
      await reopened.close();
    }
  });
});

describe('the aggregate refresh', () => {
  it('groups on a dimension that only late rows have (empty in the first thousands it looks at)', async () => {
    const t = await tempStore();
    try {
      // 5,000 municipal rows with no sex, then 10 with one: the sums above must keep them apart.
      await t.store.write(async (tx) => {
        await tx.run(`INSERT INTO release VALUES (1, 'test', 'f.csv', 'x', 1, 1, 1, now(), '1', 'utf-8', NULL, NULL, '{}')`);
        await tx.run(`INSERT INTO observation (release_id, series, geo, period, freq, year, month, value)
                      SELECT 1, 'test.series', '09002', '2024-' || lpad((i % 12 + 1)::VARCHAR, 2, '0') || '-' || i, 'month', 2024, i % 12 + 1, 1 FROM range(5000) t(i)`);
        await tx.run(`INSERT INTO observation (release_id, series, geo, period, freq, year, month, sex, value)
                      SELECT 1, 'test.series', '09002', '2024-01-late-' || i, 'month', 2024, 1, 'female', 100 FROM range(10) t(i)`);
        await refreshAggregates(tx, 'all');
      });
      const bySex = await t.store.all<{ sex: string; value: number; n: number }>(
        `SELECT sex, sum(value) AS value, sum(n) AS n FROM ${AGGREGATE_TABLE} WHERE series = 'test.series' AND geo = '09' GROUP BY sex ORDER BY sex`,
      );
      expect(bySex).toEqual([{ sex: '', value: 5000, n: 5000 }, { sex: 'female', value: 1000, n: 10 }]);
      expect(await aggregateDifferences(t.store)).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });
});

/** What Observa wrote at schema 6: every place's own values copied beside the sums above it, told apart by `own`. */
async function asSchema6(tx: WriteTx, ddl: string): Promise<void> {
  const dims = DIMENSION_COLUMNS.map((c) => `o.${c}`).join(', ');
  const key = `o.freq, o.year, o.month, o.period, ${dims}, o.release_id, array_to_string(o.flags, ',')`;
  await tx.run(`DROP TABLE ${AGGREGATE_TABLE}`);
  await tx.run(ddl.replace('geo VARCHAR NOT NULL,', 'geo VARCHAR NOT NULL, own BOOLEAN NOT NULL,'));
  await tx.run(`INSERT INTO ${AGGREGATE_TABLE} SELECT o.series, a.ancestor, a.ancestor = o.geo, ${key}, sum(o.value), count(*)
                FROM observation o JOIN geo_ancestor a ON a.geo = o.geo WHERE o.superseded_by IS NULL GROUP BY o.series, a.ancestor, a.ancestor = o.geo, ${key}`);
  await tx.run(`UPDATE meta SET value = '6' WHERE key = 'schema_version'`);
}
