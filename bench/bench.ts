// `npm run bench`: Observa against the raw engine in the same run, reported as ratios (observa ÷ baseline).
// Ingest: the full import pipeline vs DuckDB's own auto-detecting read_csv of the same file, read_csv + UNPIVOT into the
// file's columns, and read_csv + UNPIVOT into observation's own columns (the fair baseline; same rows asserted).
// Queries: the indicator engine vs hand-written SQL over the same store, asserted to return the same numbers first
// (a benchmark that compares different work is worthless).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { queryIndicator } from '../src/analytics/index.js';
import { bundledDataPath } from '../src/catalog/index.js';
import { MONTHS_ES } from '../src/domain/index.js';
import { ADAPTERS, importFile, loadBundled, type CsvAdapter } from '../src/ingest/index.js';
import { DuckDbStore, PostgresStore, migrateServer, publishToPostgres, type Store } from '../src/store/index.js';
import { QUERY_CASES, assertSameAnswer, median, runBaseline } from './query-cases.js';
import { observationFingerprint, victimsStateSameColumns } from './ingest-baselines.js';

const INGEST_RUNS = 5;
const QUERY_RUNS = 20;
// The raw baseline gets the store's memory budget, so both sides run the same engine configuration.
const MEMORY_LIMIT = process.env['OBSERVA_MEMORY_LIMIT'] ?? '1500MB';

interface Result {
  name: string;
  observa_ms: number;
  baseline_ms: number;
  ratio: number;
  peak_rss_mb?: number;
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;


async function elapsed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Interleaved medians of two samplers: A, B, A, B… so that load from elsewhere on the machine (2 cores, shared) hits
 * both sides alike instead of skewing whichever block ran during it.
 */
async function pairedMedians(runs: number, a: () => Promise<number>, b: () => Promise<number>): Promise<[number, number]> {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    as.push(await a());
    bs.push(await b());
  }
  return [median(as), median(bs)];
}

/** Process-wide peak RSS, sampled on a timer (DuckDB works off the JS thread, so the timer keeps firing). */
class RssSampler {
  private peak = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  start(): void {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => this.sample(), 10);
  }
  stopMb(): number {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return Math.round(this.peak / 2 ** 20);
  }
  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'observa-bench-'));
let storeCount = 0;
const freshStorePath = () => join(scratch, `store-${storeCount++}.duckdb`);

/** Removes a DuckDB file with its WAL and spill directory, so five runs of a big import do not pile up on disk. */
function removeStore(path: string): void {
  for (const p of [path, `${path}.wal`, `${path}.tmp`]) rmSync(p, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------- ingest

interface IngestCounts {
  rows: number;
  observations: number;
}

/**
 * One Observa import into a new store; only importFile is timed (opening the store seeds the catalog). `fingerprints`:
 * the observations' fingerprint is added to it (after the timing).
 */
async function observaIngestSample(adapter: CsvAdapter, file: string, counts: IngestCounts[], fingerprints?: string[]): Promise<number> {
  const path = freshStorePath();
  const store = await DuckDbStore.open(path);
  try {
    let summary: Awaited<ReturnType<typeof importFile>> | undefined;
    const ms = await elapsed(async () => (summary = await importFile(store, adapter, file)));
    if (summary?.status !== 'new') throw new Error(`import of ${file} into a fresh store was "${summary?.status}", not "new"`);
    counts.push({ rows: summary.rows, observations: summary.observations });
    if (fingerprints) fingerprints.push(String((await store.all<{ fingerprint: string }>(observationFingerprint('observation')))[0]?.fingerprint));
    return ms;
  } finally {
    await store.close();
    removeStore(path);
  }
}

/**
 * One raw statement creating table `t` in a new DuckDB file; only the statement is timed. Returns ms and t's rows (and,
 * with `fingerprints`, t's observations' fingerprint, after the timing).
 */
async function rawIngestSample(sql: string, rowCounts: number[], fingerprints?: string[]): Promise<number> {
  const path = freshStorePath();
  const instance = await DuckDBInstance.create(path, { memory_limit: MEMORY_LIMIT, temp_directory: `${path}.tmp` });
  const conn = await instance.connect();
  try {
    const ms = await elapsed(() => conn.run(sql));
    const reader = await conn.runAndReadAll('SELECT count(*) AS n FROM t');
    rowCounts.push(Number(reader.getRowObjectsJS()[0]?.['n']));
    if (fingerprints) fingerprints.push(String((await conn.runAndReadAll(observationFingerprint('t'))).getRowObjectsJS()[0]?.['fingerprint']));
    return ms;
  } finally {
    conn.closeSync();
    instance.closeSync();
    removeStore(path);
  }
}

/** Every run must have done the same work, and both sides the same amount of it. */
function assertCounts(what: string, got: readonly number[], expected: number): void {
  const wrong = got.filter((n) => n !== expected);
  if (wrong.length > 0) throw new Error(`${what}: expected ${expected} rows in every run, got ${[...new Set(got)].join(', ')}`);
}

/**
 * `prefix` names the rows: `<prefix>-vs-read_csv`, `<prefix>-vs-read_csv+unpivot` (into the file's own columns) and
 * `<prefix>-vs-read_csv+unpivot-same-columns` (into observation's columns, the same rows: the fair baseline).
 */
async function ingestCase(prefix: string, label: string, file: string, readOptions: string): Promise<Result[]> {
  const adapter = ADAPTERS['sesnsp-victims-state'];
  if (!adapter) throw new Error('the sesnsp-victims-state adapter is missing');
  const read = `read_csv(${sqlString(file)}${readOptions})`;
  const months = MONTHS_ES.map((m) => `"${m}"`).join(', ');
  // UNPIVOT drops NULL cells, as Observa drops months not yet reported: the same observation count is expected.
  const unpivot = `CREATE TABLE t AS UNPIVOT (SELECT * FROM ${read}) ON ${months} INTO NAME month VALUE victims`;
  const sameColumns = victimsStateSameColumns(read);

  console.error(`bench: ${prefix} (${label})…`);
  // One Observa import alone first, for its peak RSS (in a later block it would include memory the allocator kept
  // from the baselines); it also warms up. Then the timed runs interleave Observa, read_csv and read_csv + UNPIVOT, so
  // load from elsewhere on the (shared) machine hits all three alike.
  const observaCounts: IngestCounts[] = [];
  const rss = new RssSampler();
  rss.start();
  const fingerprints = { observa: [] as string[], sameColumns: [] as string[] };
  await observaIngestSample(adapter, file, observaCounts, fingerprints.observa);
  const peak = rss.stopMb();
  const readRows: number[] = [];
  const unpivotRows: number[] = [];
  const sameColumnsRows: number[] = [];
  const samples = { observa: [] as number[], readCsv: [] as number[], unpivoted: [] as number[], sameColumns: [] as number[] };
  await rawIngestSample(`CREATE TABLE t AS SELECT * FROM ${read}`, readRows);
  await rawIngestSample(unpivot, unpivotRows);
  await rawIngestSample(sameColumns, sameColumnsRows, fingerprints.sameColumns);
  // Equal work before any timing: the same rows read and the same observations written (into observation's columns,
  // the very same observations).
  const first = observaCounts[0];
  if (!first) throw new Error(`${label}: no import ran`);
  assertCounts(`${label}, read_csv vs Observa's rows`, readRows, first.rows);
  assertCounts(`${label}, read_csv+unpivot vs Observa's observations`, unpivotRows, first.observations);
  assertCounts(`${label}, read_csv+unpivot into observation's columns vs Observa's observations`, sameColumnsRows, first.observations);
  if (fingerprints.observa[0] !== fingerprints.sameColumns[0]) {
    throw new Error(`${label}: the baseline's observations differ from Observa's (fingerprints ${fingerprints.sameColumns[0]} vs ${fingerprints.observa[0]})`);
  }
  for (let i = 0; i < INGEST_RUNS; i++) {
    samples.observa.push(await observaIngestSample(adapter, file, observaCounts));
    samples.readCsv.push(await rawIngestSample(`CREATE TABLE t AS SELECT * FROM ${read}`, readRows));
    samples.unpivoted.push(await rawIngestSample(unpivot, unpivotRows));
    samples.sameColumns.push(await rawIngestSample(sameColumns, sameColumnsRows));
  }
  const [observa, readCsv, unpivoted, sameColumnsMs] = [median(samples.observa), median(samples.readCsv), median(samples.unpivoted), median(samples.sameColumns)];
  assertCounts(`${label}, Observa rows`, observaCounts.map((c) => c.rows), first.rows);
  assertCounts(`${label}, Observa observations`, observaCounts.map((c) => c.observations), first.observations);
  assertCounts(`${label}, read_csv vs Observa's rows`, readRows, first.rows);
  assertCounts(`${label}, read_csv+unpivot vs Observa's observations`, unpivotRows, first.observations);
  assertCounts(`${label}, read_csv+unpivot into observation's columns vs Observa's observations`, sameColumnsRows, first.observations);

  const row = (baseline: string, baselineMs: number): Result => ({
    name: `${prefix}-vs-${baseline}`,
    observa_ms: observa,
    baseline_ms: baselineMs,
    ratio: observa / baselineMs,
    peak_rss_mb: peak,
  });
  return [row('read_csv', readCsv), row('read_csv+unpivot', unpivoted), row('read_csv+unpivot-same-columns', sameColumnsMs)];
}

// --------------------------------------------------------------------------------------------------------------- queries

async function runQueryCases(store: Store, label: string): Promise<Result[]> {
  const results: Result[] = [];
  for (const c of QUERY_CASES) {
    const observaSample = () => elapsed(async () => c.reduce(await queryIndicator(store, c.params)));
    const baselineSample = () => elapsed(() => runBaseline(store, c));
    assertSameAnswer(`${c.name}${label}`, c.reduce(await queryIndicator(store, c.params)), await runBaseline(store, c));
    const [observa, baseline] = await pairedMedians(QUERY_RUNS, observaSample, baselineSample);
    results.push({ name: `${c.name}${label}`, observa_ms: observa, baseline_ms: baseline, ratio: observa / baseline });
  }
  return results;
}

/**
 * The same queries on the PostgreSQL server store (after `observa publish`), against the same SQL on PostgreSQL.
 * Skipped, with a message, when no PostgreSQL answers at OBSERVA_TEST_PG / 127.0.0.1:5432.
 */
async function postgresQueryCases(source: DuckDbStore): Promise<Result[]> {
  const url = process.env['OBSERVA_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `observa_bench_${process.pid}`;
  let target: PostgresStore;
  try {
    target = await PostgresStore.open(url, { schema, migrate: migrateServer });
  } catch (error) {
    console.error(`bench: PostgreSQL skipped (${(error as Error).message})`);
    return [];
  }
  try {
    console.error('bench: publishing to PostgreSQL for the server-store query cases…');
    const started = performance.now();
    const summary = await publishToPostgres(source, target);
    const observations = summary.tables.find((t) => t.name === 'observation')?.rows ?? 0;
    console.error(`bench: published ${observations} observations in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return await runQueryCases(target, ' [PostgreSQL]');
  } finally {
    await target.all(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await target.close();
  }
}

async function queryCases(): Promise<Result[]> {
  const path = freshStorePath();
  const store = await DuckDbStore.open(path);
  try {
    console.error('bench: loading the bundled files for the query cases…');
    await loadBundled(store);
    const results: Result[] = [...(await runQueryCases(store, ''))];
    results.push(...(await postgresQueryCases(store)));
    return results;
  } finally {
    await store.close();
    removeStore(path);
  }
}

// ---------------------------------------------------------------------------------------------------------------- report

const round = (x: number, decimals: number) => Number(x.toFixed(decimals));

function rounded(r: Result): Result {
  return {
    name: r.name,
    observa_ms: round(r.observa_ms, 2),
    baseline_ms: round(r.baseline_ms, 2),
    ratio: round(r.ratio, 2),
    ...(r.peak_rss_mb === undefined ? {} : { peak_rss_mb: r.peak_rss_mb }),
  };
}

function printTable(results: readonly Result[]): void {
  console.log('| name | observa ms | baseline ms | ratio |\n| --- | ---: | ---: | ---: |');
  for (const r of results) console.log(`| ${r.name} | ${r.observa_ms} | ${r.baseline_ms} | ${r.ratio} |`);
  console.log('');
  for (const r of results.filter((x) => x.peak_rss_mb !== undefined && x.name.endsWith('-vs-read_csv'))) {
    console.log(`${r.name.replace(/-vs-read_csv$/, '')}: peak RSS during Observa's runs ${r.peak_rss_mb} MB`);
  }
}

function writeResults(results: readonly Result[]): void {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
}

async function main(): Promise<void> {
  const results: Result[] = [];
  // BENCH_QUERIES_ONLY=1: the query cases alone, printed and not written (bench.json holds one whole run).
  const queriesOnly = process.env['BENCH_QUERIES_ONLY'] === '1';
  try {
    if (queriesOnly) {
      results.push(...(await queryCases()));
      return;
    }
    results.push(...(await ingestCase('ingest', 'SESNSP victims 2015–2025, gzip', bundledDataPath('sesnsp/IDVFC_NM_2015-2025.csv.gz'), '')));
    // Optional: the file exactly as SESNSP publishes it (Latin-1, CRLF); the bench must also run without ../shared.
    const published = fileURLToPath(new URL('../../shared/data/as-published/sesnsp/IDVFC_NM_2015-2019.csv', import.meta.url));
    if (existsSync(published)) {
      results.push(...(await ingestCase('ingest-latin1', 'SESNSP victims 2015–2019 as published, Latin-1 CRLF', published, `, encoding='latin-1'`)));
    }
    results.push(...(await queryCases()));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    if (queriesOnly) printTable(results.map(rounded));
  }
  const report = results.map(rounded);
  printTable(report);
  writeResults(report);
}

await main();
