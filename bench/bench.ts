// `npm run bench`: Observa against the raw engine in the same run, as ratios (observa ÷ baseline).
// Ingest: the full pipeline vs DuckDB's own read_csv of the same file. Queries: the indicator engine vs hand-written SQL
// over the same store, checked to return the same numbers (comparing different work would be worthless).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { queryIndicator } from '../src/analytics/index.js';
import { bundledDataPath } from '../src/catalog/index.js';
import type { QueryParams } from '../src/domain/index.js';
import { ADAPTERS, importFile, loadBundled } from '../src/ingest/index.js';
import { DuckDbStore } from '../src/store/index.js';

interface Result { name: string; observa_ms: number; baseline_ms: number; ratio: number; peak_rss_mb?: number }

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const now = () => performance.now();
let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);

async function time(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work(); // warm-up: first runs pay for code loading and DuckDB's caches
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    await work();
    samples.push(now() - start);
  }
  return median(samples);
}

const scratch = mkdtempSync(join(tmpdir(), 'observa-bench-'));
let n = 0;
const freshPath = () => join(scratch, `s${n++}.duckdb`);

async function ingestCase(name: string, file: string, runs: number, readOptions = ''): Promise<Result[]> {
  const adapter = ADAPTERS['sesnsp-victims-state'];
  if (!adapter) throw new Error('adapter missing');
  peakRss = 0;
  const observa = await time(runs, async () => {
    const store = await DuckDbStore.open(freshPath());
    const start = now();
    await importFile(store, adapter, file);
    const elapsed = now() - start;
    await store.close();
    return elapsed;
  });
  const observaPeak = peakRss / 2 ** 20;
  const raw = async (sql: string) => time(runs, async () => {
    const db = await (await DuckDBInstance.create(freshPath())).connect();
    await db.run(sql);
    db.closeSync();
  });
  const readCsv = await raw(`CREATE TABLE t AS SELECT * FROM read_csv('${file}'${readOptions})`);
  const months = ['Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio', 'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre'];
  const unpivot = await raw(`CREATE TABLE t AS UNPIVOT (SELECT * FROM read_csv('${file}'${readOptions})) ON ${months.map((m) => `"${m}"`).join(', ')} INTO NAME month VALUE victims`);
  return [
    { name: `${name} vs read_csv`, observa_ms: observa, baseline_ms: readCsv, ratio: observa / readCsv, peak_rss_mb: observaPeak },
    { name: `${name} vs read_csv+unpivot`, observa_ms: observa, baseline_ms: unpivot, ratio: observa / unpivot, peak_rss_mb: observaPeak },
  ];
}

const results: Result[] = [];
try {
  // Note the store-open time is excluded from Observa's figure; the raw baseline includes creating its file.
  results.push(...(await ingestCase('ingest SESNSP 2015–2025 (80,960 rows → 927,360 obs, gzip)', bundledDataPath('sesnsp/IDVFC_NM_2015-2025.csv.gz'), 3)));
  const published = new URL('../../shared/data/as-published/sesnsp/IDVFC_NM_2015-2019.csv', import.meta.url).pathname;
  if (existsSync(published)) results.push(...(await ingestCase('ingest SESNSP 2015–2019 as published (Latin-1, CRLF)', published, 3, ", encoding='latin-1'")));

  const store = await DuckDbStore.open(freshPath());
  await loadBundled(store);
  const q = (p: Partial<QueryParams> & { indicator: string }): QueryParams => ({ geo: ['00'], from: null, to: null, freq: 'year', by: null, lang: 'en', asOf: null, ...p });
  const cases: { name: string; params: QueryParams; sql: string; pick?: (rows: { geo: string; value: number | null }[]) => unknown }[] = [
    {
      name: 'query: national yearly homicide victims 2015–2024',
      params: q({ indicator: 'mx.homicide.victims', from: '2015', to: '2024' }),
      sql: `SELECT year::VARCHAR AS period, sum(value) AS value FROM observation WHERE superseded_by IS NULL AND series = 'sesnsp.victims'
            AND crime_subtype IN ('Homicidio doloso', 'Feminicidio') AND year BETWEEN 2015 AND 2024 GROUP BY year ORDER BY year`,
    },
    {
      name: 'query: homicide rate, 32-state map for 2024',
      params: q({ indicator: 'mx.homicide.rate', geo: ['level:state'], from: '2024', to: '2024' }),
      sql: `WITH v AS (SELECT geo, sum(value) AS n FROM observation WHERE superseded_by IS NULL AND series = 'sesnsp.victims'
                         AND crime_subtype IN ('Homicidio doloso', 'Feminicidio') AND year = 2024 GROUP BY geo),
                 p AS (SELECT geo, sum(value) AS d FROM observation WHERE superseded_by IS NULL AND series = 'conapo.population.mid_year' AND year = 2024 GROUP BY geo)
            SELECT v.geo, round(v.n / p.d * 100000, 4) AS value FROM v JOIN p USING (geo) ORDER BY v.geo`,
    },
    {
      name: 'query: disappeared persons, municipal top 20 in 2024',
      params: q({ indicator: 'mx.disappeared.persons', geo: ['level:municipality'], from: '2024', to: '2024' }),
      sql: `SELECT o.geo, sum(o.value) AS value FROM observation o JOIN geo g ON g.code = o.geo AND NOT g.unspecified
            WHERE o.superseded_by IS NULL AND o.series = 'rnpdno.disappeared_not_located' AND o.year = 2024
            GROUP BY o.geo ORDER BY value DESC, o.geo LIMIT 20`,
      pick: (rows) => [...rows].sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.geo.localeCompare(b.geo)).slice(0, 20).map((r) => [r.geo, r.value]),
    },
    {
      name: 'query: one state (CDMX) monthly homicide victims 2015-01..2025-06',
      params: q({ indicator: 'mx.homicide.victims', geo: ['09'], freq: 'month', from: '2015-01', to: '2025-06' }),
      sql: `SELECT period, sum(value) AS value FROM observation WHERE superseded_by IS NULL AND series = 'sesnsp.victims' AND geo = '09'
            AND crime_subtype IN ('Homicidio doloso', 'Feminicidio') GROUP BY period ORDER BY period`,
    },
  ];
  for (const c of cases) {
    const ours = await queryIndicator(store, c.params);
    const theirs = await store.all<{ geo?: string; period?: string; value: number }>(c.sql);
    const mine = c.pick ? c.pick(ours.rows) : ours.rows.map((r) => r.value);
    const raw = c.pick ? theirs.map((r) => [r.geo, r.value]) : theirs.map((r) => r.value);
    if (JSON.stringify(mine) !== JSON.stringify(raw)) throw new Error(`${c.name}: Observa and the raw SQL disagree:\n${JSON.stringify(mine).slice(0, 300)}\n${JSON.stringify(raw).slice(0, 300)}`);
    const observa = await time(20, () => queryIndicator(store, c.params));
    const baseline = await time(20, () => store.all(c.sql));
    results.push({ name: c.name, observa_ms: observa, baseline_ms: baseline, ratio: observa / baseline });
  }
  await store.close();
} finally {
  clearInterval(sampler);
  rmSync(scratch, { recursive: true, force: true });
}

const rounded = results.map((r) => ({ ...r, observa_ms: Number(r.observa_ms.toFixed(1)), baseline_ms: Number(r.baseline_ms.toFixed(1)), ratio: Number(r.ratio.toFixed(2)), ...(r.peak_rss_mb ? { peak_rss_mb: Math.round(r.peak_rss_mb) } : {}) }));
console.log('| benchmark | observa ms | baseline ms | ratio | peak RSS MB |\n| --- | ---: | ---: | ---: | ---: |');
for (const r of rounded) console.log(`| ${r.name} | ${r.observa_ms} | ${r.baseline_ms} | ${r.ratio} | ${r.peak_rss_mb ?? ''} |`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/bench.json', import.meta.url), `${JSON.stringify(rounded, null, 2)}\n`);
