// `node scripts/duckdb-commit-visibility.js [rows]`: what other transactions see while DuckDB commits a release-like
// transaction (a large INSERT … SELECT of new rows, then an UPDATE superseding the old ones), and what a revised LIST
// value costs the COMMIT. The evidence behind the read gate in src/store/duckdb-store.ts (docs/architecture.md,
// "Readers and writers"); re-run it on a new DuckDB to see whether the gate can go.
//
// Expected on DuckDB 1.5: with a parallel INSERT (the plan DuckDB picks for a large INSERT … SELECT), readers during
// the COMMIT — new transactions and a snapshot pinned before it — count the new rows beside the old ones not yet
// superseded (2 × rows current); appended through the transaction (RETURNING: one thread) they never do. One revised
// LIST value (UPDATE of a LIST column: delete + insert) makes the COMMIT write every new row into the WAL. Rows inserted
// hidden (sup = -2) in parallel: during that COMMIT a snapshot pinned before it can count them (not every run: seen
// at 240,000 rows under load; Observa's read-during-import test saw their sup read as NULL, so counted current), so
// reads wait for it. Hidden rows shown by UPDATE: readers see only the old state or the new; the snapshot reader never
// waits, a new transaction may.
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const rows = Number(process.argv[2] ?? 3_000_000);
const path = join(tmpdir(), `observa-commit-visibility-${process.pid}.duckdb`);
const clean = () => ['', '.wal'].forEach((suffix) => rmSync(path + suffix, { force: true }));
const count = async (conn) => {
  const [row] = (await conn.runAndReadAll(`SELECT count(*) AS current, count(*) FILTER (WHERE rel = 2) AS new FROM t WHERE sup IS NULL`)).getRowObjectsJS();
  return `${row.current} current (${row.new} new)`;
};

/** A new database with table t: `rows` committed rows of release 1, checkpointed; a writer, a reader, a connection to pin. */
async function freshTable() {
  clean();
  const instance = await DuckDBInstance.create(path, { checkpoint_threshold: '10GB' });
  const [writer, reader, pinned] = [await instance.connect(), await instance.connect(), await instance.connect()];
  await writer.run(`CREATE TABLE t (rel INTEGER, k BIGINT, v DOUBLE, flags VARCHAR[] NOT NULL DEFAULT [], sup INTEGER)`);
  await writer.run(`INSERT INTO t SELECT 1, i, i % 7, [], NULL FROM range(${rows}) r(i)`);
  await writer.run('CHECKPOINT');
  await writer.run('SET preserve_insertion_order = false');
  return { instance, writer, reader, pinned };
}

async function run(label, insertSuffix, then) {
  const { instance, writer, reader, pinned } = await freshTable();
  await writer.run('BEGIN TRANSACTION');
  await writer.run(`INSERT INTO t SELECT 2, k, v, [], NULL FROM t${insertSuffix}`);
  if (then === 'supersede') await writer.run(`UPDATE t SET sup = 2 WHERE rel = 1`);
  if (then === 'revise one') await writer.run(`UPDATE t SET flags = list_append(flags, 'revised') WHERE rel = 2 AND k = 5`);
  await pinned.run('BEGIN TRANSACTION');
  const before = await count(pinned);
  const seen = new Set();
  let done = false;
  const started = performance.now();
  const commit = writer.run('COMMIT').finally(() => (done = true));
  while (!done) {
    seen.add(`reader: ${await count(reader)}`);
    seen.add(`pinned: ${await count(pinned)}`);
  }
  await commit;
  const ms = Math.round(performance.now() - started);
  const wal = statSync(`${path}.wal`, { throwIfNoEntry: false })?.size ?? 0;
  await pinned.run('COMMIT');
  console.log(`${label}: COMMIT ${ms} ms, WAL ${(wal / 2 ** 20).toFixed(1)} MB; before ${before}, after ${await count(reader)}; during the COMMIT: ${[...seen].join('; ') || 'no read finished'}`);
  for (const c of [writer, reader, pinned]) c.closeSync();
  instance.closeSync();
}

/**
 * Observa's design: the new rows inserted hidden (sup = -2) and committed, then a second transaction supersedes the old
 * rows and shows the new ones by UPDATE. Readers during that second COMMIT: one in a snapshot begun before it, one
 * starting a transaction per read; what they saw and their longest read.
 */
async function runSwitch() {
  const { instance, writer, reader, pinned } = await freshTable();
  await writer.run(`INSERT INTO t SELECT 2, k, v, [], -2 FROM t`);
  await writer.run('BEGIN TRANSACTION');
  await writer.run(`UPDATE t SET sup = 2 WHERE rel = 1`);
  await writer.run(`UPDATE t SET sup = NULL WHERE rel = 2`);
  await pinned.run('BEGIN TRANSACTION');
  const before = await count(pinned);
  const seen = new Set();
  const longest = { reader: 0, pinned: 0 };
  let done = false;
  const started = performance.now();
  const commit = writer.run('COMMIT').finally(() => (done = true));
  const loop = async (name, conn) => {
    while (!done) {
      const s = performance.now();
      seen.add(`${name}: ${await count(conn)}`);
      longest[name] = Math.max(longest[name], performance.now() - s);
    }
  };
  await Promise.all([loop('reader', reader), loop('pinned', pinned)]);
  await commit;
  const ms = Math.round(performance.now() - started);
  await pinned.run('COMMIT');
  console.log(`hidden INSERT committed, then switched by UPDATE: COMMIT ${ms} ms; before ${before}, after ${await count(reader)}; during the COMMIT: ${[...seen].join('; ') || 'no read finished'}; longest read: new transactions ${Math.round(longest.reader)} ms, snapshot begun before ${Math.round(longest.pinned)} ms`);
  for (const c of [writer, reader, pinned]) c.closeSync();
  instance.closeSync();
}

/** Rows inserted hidden in parallel, committed while a snapshot pinned before the COMMIT reads: what it counted. */
async function runHiddenInsert() {
  const { instance, writer, reader, pinned } = await freshTable();
  await writer.run('BEGIN TRANSACTION');
  await writer.run(`INSERT INTO t SELECT 2, k, v, [], -2 FROM t`);
  await pinned.run('BEGIN TRANSACTION');
  const before = await count(pinned);
  const seen = new Set();
  let done = false;
  const commit = writer.run('COMMIT').finally(() => (done = true));
  while (!done) {
    const [row] = (await pinned.runAndReadAll(`SELECT count(*) FILTER (WHERE rel = 2) AS rows, count(*) FILTER (WHERE rel = 2 AND sup IS NULL) AS shown FROM t`)).getRowObjectsJS();
    seen.add(`pinned: ${row.rows} new rows (${row.shown} of them current)`);
  }
  await commit;
  await pinned.run('COMMIT');
  console.log(`parallel INSERT of hidden rows: before ${before}, after ${await count(reader)}; during the COMMIT: ${[...seen].join('; ') || 'no read finished'}`);
  for (const c of [writer, reader, pinned]) c.closeSync();
  instance.closeSync();
}

try {
  await runHiddenInsert();
  await runSwitch();
  await run('parallel INSERT, old rows superseded', '', 'supersede');
  await run('INSERT … RETURNING (through the transaction), old rows superseded', ' RETURNING NULL', 'supersede');
  await run('parallel INSERT alone', '', 'nothing');
  await run('parallel INSERT, one new value revised (LIST update)', '', 'revise one');
} finally {
  clean();
}
