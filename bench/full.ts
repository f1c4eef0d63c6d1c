// `npm run bench:full`: municipal scale. Ingest at 10 M and 50 M month cells (synthetic SESNSP municipal incidence)
// against DuckDB's own read + unpivot, queries p50/p95 on the 50 M store, and HTTP throughput cached/uncached against a
// static file server serving the same bytes; every figure as a ratio against the best raw baseline measured in the same run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { queryIndicator } from '../src/analytics/index.js';
import { ADAPTERS, importFile } from '../src/ingest/index.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { MONTHS_ES } from '../src/domain/index.js';
import { DuckDbStore, PostgresStore, migrateServer, publishToPostgres, type Store } from '../src/store/index.js';
import { runLoad } from '../src/test-support/load.js';
import { fullQueryCases } from './full-query-cases.js';
import { generateIncidence } from './generate-incidence.js';
import { assertSameAnswer, median, runBaseline, type QueryCase } from './query-cases.js';
import { incidenceMunicipalSameColumns, observationFingerprint } from './ingest-baselines.js';
import { BIN, startServerProcess, startStaticServer } from './server-process.js';

interface Row { name: string; observa_ms: number; baseline_ms: number; ratio: number; baseline: string; peak_rss_mb?: number; baseline_peak_rss_mb?: number; observa_p95_ms?: number; baseline_p95_ms?: number; reads?: number; reads_over_50_ms?: number; read_p99_ms?: number; longest_by_stage_ms?: Record<string, number> }
const results: Row[] = [];
// `npm run bench:full -- --rows 10000000 --ingest-only`: one size, ingest rows only (queries and HTTP need the last store);
// `--postgres`: the query cases also on the PostgreSQL server store (the 10 M store, after its re-import, published there
// first: a few minutes; 50 M would take ~10 minutes to publish and minutes per query run there).
const { values: args } = parseArgs({ options: { rows: { type: 'string', multiple: true }, 'ingest-only': { type: 'boolean', default: false }, postgres: { type: 'boolean', default: false } } });
const SIZES = (args.rows ?? ['10000000', '50000000']).map(Number);
const MEMORY = process.env['OBSERVA_MEMORY_LIMIT'] ?? '1500MB';
if (!existsSync(new URL('../dist/cli/index.js', import.meta.url))) throw new Error('run `npm run build` first');

/** Runs a command, sampling its resident memory from /proc (Linux) every 50 ms; its standard output is returned. */
function measure(cmd: string, args: string[]): Promise<{ ms: number; peakMb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OBSERVA_MEMORY_LIMIT: MEMORY } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    let peak = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch { /* the process has just exited */ }
    }, 50);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ ms: performance.now() - start, peakMb: Math.round(peak), stdout });
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
    });
  });
}

/** A process running `sql` (creating table t) in a new DuckDB file: it prints t's rows and, with `fingerprint`, the fingerprint of its observations (after the work measured). */
const rawScript = (sql: string, fingerprint = false) => `
  const { DuckDBInstance } = await import(${JSON.stringify(new URL('../node_modules/@duckdb/node-api/lib/index.js', import.meta.url).pathname)});
  const db = await (await DuckDBInstance.create(process.argv[1], { memory_limit: ${JSON.stringify(MEMORY)}, temp_directory: process.argv[1] + '.tmp' })).connect();
  await db.run(${JSON.stringify(sql)});
  console.log(String((await db.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0]));
  ${fingerprint ? `console.log(String((await db.runAndReadAll(${JSON.stringify(observationFingerprint('t'))})).getRows()[0][0]));` : ''}`;

/** The fingerprint of a store's observations (bench/ingest-baselines.ts), read after the import measured. */
async function storeFingerprint(path: string): Promise<string> {
  const db = await (await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' })).connect();
  try {
    return String((await db.runAndReadAll(observationFingerprint('observation'))).getRows()[0]?.[0]);
  } finally {
    db.closeSync();
  }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? Number.NaN;
class Done extends Error {}

/**
 * The longest read pause while a release commits: in this process (one process owns a store), a reader asks the
 * data-version question every request asks (`count(*), max(id)` of releases) in a loop while a second file of the same
 * size (one line more: every value of the first release superseded) is imported. Baseline: the same read, no import.
 */
async function readPauseDuringImport(storePath: string, rows: number): Promise<Row> {
  // The next release as publishers make it: one line more, and a value revised on one line in a thousand.
  const file = join(dataDir, `incidencia-municipal-${rows + 12}-revised.csv`);
  if (!existsSync(file)) {
    const plain = join(dataDir, `incidencia-municipal-${rows + 12}.csv`);
    if (!existsSync(plain)) await generateIncidence(rows + 12, plain);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(`COPY (SELECT * EXCLUDE (line) REPLACE (CASE WHEN hash(line) % 1000 = 0 THEN "Enero" + 1 ELSE "Enero" END AS "Enero")
      FROM (SELECT *, row_number() OVER () AS line FROM read_csv('${plain}', all_varchar = false)) ORDER BY line) TO '${file}' (HEADER, DELIMITER ',')`);
    db.closeSync();
  }
  const adapter = ADAPTERS['sesnsp-incidence-municipal'];
  if (!adapter) throw new Error('the municipal adapter is missing');
  const store = await DuckDbStore.open(storePath);
  try {
    const read = () => store.all(`SELECT count(*) AS n, max(id) AS id FROM release`);
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      await read();
      idle.push(performance.now() - s);
    }
    let stage = 'inspect';
    const byStage = new Map<string, number>();
    let done = false;
    const latencies: number[] = [];
    const importing = importFile(store, adapter, file, { onStage: (s) => (stage = s) }).finally(() => (done = true));
    while (!done) {
      const s = performance.now();
      const at = stage;
      await read();
      const ms = performance.now() - s;
      latencies.push(ms);
      byStage.set(at, Math.max(byStage.get(at) ?? 0, ms));
    }
    const summary = await importing;
    if (summary.status !== 'new' || summary.revision.unchanged === 0 || summary.revision.changed === 0) throw new Error('the second import did not supersede and revise values');
    const longest = Math.max(...latencies);
    const stages = JSON.stringify(Object.fromEntries([...byStage].map(([k, v]) => [k, Math.round(v)])));
    const over = latencies.filter((x) => x > 50).length;
    console.error(`read pauses during the ${rows / 1e6} M re-import (${latencies.length} reads), longest by stage: ${stages}`);
    return { name: `longest read pause during a ${rows / 1e6} M re-import revising 0.1 % of values (target ≤ 50 ms)`, observa_ms: longest, baseline_ms: median(idle), ratio: longest / median(idle),
      reads: latencies.length, reads_over_50_ms: over, read_p99_ms: Number(percentile(latencies, 0.99).toFixed(2)),
      longest_by_stage_ms: Object.fromEntries([...byStage].map(([k, v]) => [k, Math.round(v)])),
      baseline: `the same read (releases' count and max id, as every request asks) with no import, median of 200; the re-import supersedes ${summary.revision.unchanged + summary.revision.changed} values and revises ${summary.revision.changed}; during it ${latencies.length} reads, ${over} over 50 ms, longest by stage ${stages}` };
  } finally {
    await store.close();
  }
}

/** Same answer first (rows, names, flags, releases, partial periods), then Observa and the SQL interleaved, `runs` each. */
async function queryRows(store: Store, cases: readonly QueryCase[], label: string, runs = 30): Promise<Row[]> {
  const rows: Row[] = [];
  const timed = async (work: () => Promise<unknown>) => {
    const s = performance.now();
    await work();
    return performance.now() - s;
  };
  for (const c of cases) {
    assertSameAnswer(`${c.name} [${store.dialect}]`, c.reduce(await queryIndicator(store, c.params)), await runBaseline(store, c));
    const o: number[] = [];
    const b: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const ms = [await timed(async () => c.reduce(await queryIndicator(store, c.params))), await timed(() => runBaseline(store, c))] as const;
      if (i === 0) continue;
      o.push(ms[0]);
      b.push(ms[1]);
    }
    rows.push({ name: `${c.name}, ${label}${store.dialect === 'postgres' ? ' [PostgreSQL]' : ''} (target ≤ 2×)`, observa_ms: median(o), baseline_ms: median(b), ratio: median(o) / median(b),
      baseline: `hand-written SQL returning the same answer (rows, names, flags, releases, partial periods), same store, interleaved, median of ${runs}`, observa_p95_ms: percentile(o, 0.95), baseline_p95_ms: percentile(b, 0.95) });
  }
  return rows;
}

/** `--postgres`: a store published to the PostgreSQL server store (as `observa publish`), the same cases there (7 runs each). */
async function postgresQueryRows(source: DuckDbStore, cases: readonly QueryCase[], label: string): Promise<Row[]> {
  const url = process.env['OBSERVA_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `observa_bench_full_${process.pid}`;
  const target = await PostgresStore.open(url, { schema, migrate: migrateServer });
  try {
    const started = performance.now();
    const summary = await publishToPostgres(source, target);
    console.error(`published ${summary.tables.find((t) => t.name === 'observation')?.rows ?? 0} observations to PostgreSQL in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return await queryRows(target, cases, label, 7);
  } finally {
    await target.all(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await target.close();
  }
}

/** The query cases for a store's data: 2024, or its last year. */
async function casesFor(store: Store): Promise<readonly QueryCase[]> {
  const years = (await store.all<{ year: number }>(`SELECT DISTINCT year FROM series_period WHERE series = 'sesnsp.incidence'`)).map((r) => Number(r.year));
  return fullQueryCases(years.includes(2024) ? 2024 : Math.max(...years));
}

/** Removes a DuckDB file with its WAL and spill directory. */
const removeStore = (path: string) => ['', '.wal', '.tmp'].forEach((suffix) => rmSync(path + suffix, { recursive: true, force: true }));
/** Timed rounds per size (`BENCH_FULL_ROUNDS`): an import of 50 M cells takes minutes. */
const roundsFor = (rows: number) => Number(process.env['BENCH_FULL_ROUNDS'] ?? (rows >= 50_000_000 ? 2 : 3));

/**
 * Observa's import (the CLI, a fresh store each time) and DuckDB's own read_csv, read_csv + UNPIVOT into the file's
 * columns, and read_csv + UNPIVOT into observation's columns (the issue's fair baseline: the same long table), in
 * processes of their own (peak RSS each), interleaved round by round with the order reversed every other round, so that
 * load from elsewhere on the (shared) machine hits all alike; medians. Equal work is asserted on every run: read_csv's
 * rows are the file's published rows Observa read, UNPIVOT's cells (empty months dropped, as Observa drops them) its
 * observations; on the first round the same-columns table's rows are Observa's observations, column for column
 * (fingerprint). Returns the last Observa store, for the measures that follow.
 */
async function ingestRows(file: string, rows: number, label: string): Promise<string> {
  const months = MONTHS_ES.map((m) => `"${m}"`).join(', ');
  let kept = '';
  const samples = { observa: [] as number[], read: [] as number[], unpivot: [] as number[], same: [] as number[] };
  const peaks = { observa: [] as number[], read: [] as number[], unpivot: [] as number[], same: [] as number[] };
  const counts = { rows: new Set<number>(), observations: new Set<number>(), read: new Set<number>(), unpivot: new Set<number>(), same: new Set<number>() };
  const fingerprints = { observa: new Set<string>(), same: new Set<string>() };
  const runs: Record<keyof typeof samples, (round: number) => Promise<{ ms: number; peakMb: number }>> = {
    observa: async (round) => {
      const store = join(scratch, `observa-${rows}-${round}.duckdb`);
      const run = await measure('node', [BIN, '--store', store, 'ingest', 'sesnsp-incidence-municipal', file, '--format', 'json']);
      const [summary] = JSON.parse(run.stdout) as { status: string; rows: number; observations: number }[];
      if (summary?.status !== 'new') throw new Error(`the import of ${file} into a fresh store was not new`);
      counts.rows.add(summary.rows);
      counts.observations.add(summary.observations);
      if (round === 0) fingerprints.observa.add(await storeFingerprint(store));
      if (kept !== '') removeStore(kept);
      kept = store;
      return run;
    },
    read: async (round) => {
      const path = join(scratch, `raw-read-${rows}-${round}.duckdb`);
      const run = await measure('node', ['--input-type=module', '-e', rawScript(`CREATE TABLE t AS SELECT * FROM read_csv('${file}')`), path]);
      counts.read.add(Number(run.stdout.trim()));
      removeStore(path);
      return run;
    },
    unpivot: async (round) => {
      const path = join(scratch, `raw-unpivot-${rows}-${round}.duckdb`);
      const run = await measure('node', ['--input-type=module', '-e', rawScript(`CREATE TABLE t AS UNPIVOT (SELECT * FROM read_csv('${file}')) ON ${months} INTO NAME month VALUE crimes`), path]);
      counts.unpivot.add(Number(run.stdout.trim()));
      removeStore(path);
      return run;
    },
    same: async (round) => {
      const path = join(scratch, `raw-same-${rows}-${round}.duckdb`);
      const run = await measure('node', ['--input-type=module', '-e', rawScript(incidenceMunicipalSameColumns(`read_csv('${file}')`), round === 0), path]);
      const [n, fingerprint] = run.stdout.trim().split('\n');
      counts.same.add(Number(n));
      if (fingerprint !== undefined) fingerprints.same.add(fingerprint);
      removeStore(path);
      return run;
    },
  };
  const order = ['observa', 'read', 'unpivot', 'same'] as const;
  for (let round = 0; round < roundsFor(rows); round++) {
    for (const side of round % 2 === 0 ? order : [...order].reverse()) {
      console.error(`ingest ${label}, round ${round + 1}: ${side}…`);
      const run = await runs[side](round);
      samples[side].push(run.ms);
      peaks[side].push(run.peakMb);
    }
    const one = (what: string, set: Set<number>, other: Set<number>) => {
      if (set.size !== 1 || other.size !== 1 || [...set][0] !== [...other][0]) throw new Error(`ingest ${label}: ${what} differ: ${[...set].join(', ')} vs ${[...other].join(', ')}`);
    };
    one("read_csv's rows and Observa's published rows", counts.read, counts.rows);
    one("UNPIVOT's cells and Observa's observations", counts.unpivot, counts.observations);
    one("the same-columns table's rows and Observa's observations", counts.same, counts.observations);
    if (fingerprints.same.size !== 1 || fingerprints.observa.size !== 1 || [...fingerprints.same][0] !== [...fingerprints.observa][0]) {
      throw new Error(`ingest ${label}: the same-columns baseline's observations differ from Observa's (${[...fingerprints.same].join(', ')} vs ${[...fingerprints.observa].join(', ')})`);
    }
  }
  const observa = median(samples.observa);
  const peak = Math.max(...peaks.observa);
  const note = (n: number) => `, median of ${n} interleaved rounds; equal work asserted (${[...counts.rows][0]} rows, ${[...counts.observations][0]} observations)`;
  results.push(
    { name: `ingest ${label} month cells vs read_csv`, observa_ms: observa, baseline_ms: median(samples.read), ratio: observa / median(samples.read),
      baseline: `DuckDB read_csv into a table${note(samples.read.length)}`, peak_rss_mb: peak, baseline_peak_rss_mb: Math.max(...peaks.read) },
    { name: `ingest ${label} month cells vs read_csv + unpivot into the file's own columns`, observa_ms: observa, baseline_ms: median(samples.unpivot), ratio: observa / median(samples.unpivot),
      baseline: `DuckDB read_csv + UNPIVOT into a long table of the CSV's columns (year, codes and names as read, month name, count)${note(samples.unpivot.length)}`, peak_rss_mb: peak, baseline_peak_rss_mb: Math.max(...peaks.unpivot) },
    { name: `ingest ${label} month cells vs read_csv + unpivot into observation's columns (target ≤ 1.3×; peak RSS ≤ 1,500 MB at 50 M)`, observa_ms: observa, baseline_ms: median(samples.same), ratio: observa / median(samples.same),
      baseline: `DuckDB read_csv + UNPIVOT into a long table of the same columns as Observa's observation, the same rows (fingerprint asserted)${note(samples.same.length)}`, peak_rss_mb: peak, baseline_peak_rss_mb: Math.max(...peaks.same) },
  );
  return kept;
}

const scratch = mkdtempSync(join(tmpdir(), 'observa-bench-full-'));
const dataDir = new URL('./data/', import.meta.url).pathname;
let bigStore = '';
let bigLabel = '';
let tenMillionStore = '';

try {
  for (const rows of SIZES) {
    const file = join(dataDir, `incidencia-municipal-${rows}.csv`);
    if (!existsSync(file)) {
      console.error(`generating ${file}…`);
      await generateIncidence(rows, file);
    }
    const label = `${rows / 1e6} M`;
    const store = await ingestRows(file, rows, label);
    if (rows === 10_000_000) {
      results.push(await readPauseDuringImport(store, rows));
      tenMillionStore = store;
    }
    bigStore = store;
    bigLabel = label;
  }
  if (args['ingest-only']) throw new Done();

  console.error(`queries on the ${bigLabel} store…`);
  const store = await DuckDbStore.open(bigStore);
  const cases = await casesFor(store);
  results.push(...(await queryRows(store, cases, `${bigLabel} cells`)));
  if (args.postgres) {
    if (tenMillionStore === '') throw new Error('--postgres publishes the 10 M store: run with the 10 M size');
    const ten = tenMillionStore === bigStore ? store : await DuckDbStore.open(tenMillionStore);
    try {
      console.error('queries on the PostgreSQL server store (the 10 M store published)…');
      results.push(...(await postgresQueryRows(ten, await casesFor(ten), '10 M cells, re-released')));
    } finally {
      if (ten !== store) await ten.close();
    }
  }

  console.error('HTTP…');
  // Every request a different municipality × period range (for the uncached server).
  const munis = (await store.all<{ code: string }>(`SELECT code FROM geo WHERE level = 'municipality' AND NOT unspecified ORDER BY code`)).map((r) => r.code);
  // The servers run as deployed, each in a process of its own (`observa serve`, which holds the store's file): run in
  // this process, the load's own work shared their JavaScript thread and doubled the static server's p99.
  await store.close();
  const cachedPath = '/api/v1/indicators/mx.homicide.incidence/data?geo=level:state&period=2015..2025';
  // Load connections are readers of their own behind a proxy (runLoad's asPeople), as the fair shares expect.
  const serving = { OBSERVA_TRUSTED_PROXY: '127.0.0.1' };
  const server = await startServerProcess(bigStore, serving);
  const body = await (await fetch(`${server.url}${cachedPath}`)).text();
  const staticDir = join(scratch, 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'states.json'), body);
  const staticServer = await startStaticServer(staticDir);
  const staticRun = await runLoad(staticServer.url, ['/states.json'], 50, 10);
  const cached = await runLoad(server.url, [cachedPath], 50, 10, false, true);
  await server.stop();
  await staticServer.stop();
  // Uncached: a server whose response cache keeps nothing (OBSERVA_CACHE_BYTES=0).
  const ranges = ['2016..2025', '2020..2024', '2024', '2018..2022'];
  const uncachedPaths = munis.flatMap((m, i) => ranges.map((_, k) => `/api/v1/indicators/mx.homicide.incidence/data?geo=${m}&period=${ranges[(i + k) % ranges.length] as string}`));
  const noCache = await startServerProcess(bigStore, { ...serving, OBSERVA_CACHE_BYTES: '0' });
  const uncached = await runLoad(noCache.url, uncachedPaths, 50, 20, true, true);
  await noCache.stop();
  const failed = (r: typeof uncached) => r.errors + r.non2xx + r.timeouts;
  if (failed(uncached) + failed(cached) + failed(staticRun) > 0) throw new Error(`HTTP load had failures: static ${failed(staticRun)}, cached ${failed(cached)}, uncached ${failed(uncached)}`);
  const ms = (rps: number) => 1000 / rps;
  const processes = 'each server in a process of its own, the load (autocannon) in the bench\'s, all on the same 2 cores';
  results.push(
    { name: 'HTTP cached indicator JSON (50 connections)', observa_ms: ms(cached.rps), baseline_ms: ms(staticRun.rps), ratio: staticRun.rps / cached.rps, baseline: `static server (sirv), same bytes: ${Math.round(staticRun.rps)} req/s vs ${Math.round(cached.rps)} req/s; ${processes}` },
    { name: 'HTTP uncached indicator JSON (50 connections)', observa_ms: ms(uncached.rps), baseline_ms: ms(staticRun.rps), ratio: staticRun.rps / uncached.rps, baseline: `static server (sirv): ${Math.round(staticRun.rps)} req/s vs ${Math.round(uncached.rps)} req/s; p99 ${uncached.p99} ms; ${processes}` },
    { name: `HTTP uncached indicator JSON p99, 50 connections, ${uncached.requests} requests over ${uncachedPaths.length} distinct (target ≤ 100 ms)`, observa_ms: uncached.p99, baseline_ms: staticRun.p99, ratio: uncached.p99 / Math.max(1, staticRun.p99),
      baseline: `p99 of the static server (sirv) serving one file; Observa p50 ${uncached.p50} ms at ${Math.round(uncached.rps)} req/s, static ${Math.round(staticRun.rps)} req/s; ${processes}` },
  );
} catch (error) {
  if (!(error instanceof Done)) throw error;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const rounded = results.map((r) => ({ ...r, observa_ms: Number(r.observa_ms.toFixed(2)), baseline_ms: Number(r.baseline_ms.toFixed(2)), ratio: Number(r.ratio.toFixed(2)),
  ...(r.observa_p95_ms === undefined ? {} : { observa_p95_ms: Number(r.observa_p95_ms.toFixed(2)), baseline_p95_ms: Number((r.baseline_p95_ms ?? 0).toFixed(2)) }) }));
console.log('| benchmark | observa | baseline | ratio | peak RSS MB (observa / baseline) | baseline is |\n| --- | ---: | ---: | ---: | ---: | --- |');
for (const r of rounded) {
  const p95 = r.observa_p95_ms === undefined ? '' : ` (p95 ${r.observa_p95_ms} / ${r.baseline_p95_ms})`;
  console.log(`| ${r.name} | ${r.observa_ms} ms${p95} | ${r.baseline_ms} ms | ${r.ratio} | ${r.peak_rss_mb ?? ''}${r.baseline_peak_rss_mb ? ` / ${r.baseline_peak_rss_mb}` : ''} | ${r.baseline} |`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/bench-full.json', import.meta.url), `${JSON.stringify(rounded, null, 2)}\n`);
