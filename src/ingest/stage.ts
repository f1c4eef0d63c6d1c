import { basename } from 'node:path';
import { rm } from 'node:fs/promises';
import { utf8CopyOf, withLfLineEndings } from './file-inspection.js';
import { InputError, type InputProblem } from '../domain/index.js';
import type { SessionTx, WriteTx } from '../store/index.js';
import { sqlString, type CsvAdapter } from './adapter.js';

/**
 * Staging a CSV file: DuckDB's reader into the table `raw_file` of the staging database and the view `raw` over it (line
 * numbers kept), then the checks that need only the file's text: header, shape, column rules.
 */

/**
 * The staging database: a scratch DuckDB file beside the store (`<store>.stage`; in memory for an in-memory store),
 * attached for one import. A temporary table holds the staged text uncompressed in memory (1.3 GB for a 50 M-cell
 * municipal file, 600 MB of CSV: the import's peak); a table of a database file is written compressed as it is read
 * (90 MB, row groups leave memory as they are written) and scans faster for it.
 */
export const STAGE_DB = 'observa_stage';
const RAW_FILE = `${STAGE_DB}.raw_file`;

async function stagePath(tx: SessionTx): Promise<string | null> {
  const [main] = await tx.all<{ path: string | null }>(`SELECT path FROM duckdb_databases() WHERE database_name = current_database()`);
  return main?.path ? `${main.path}.stage` : null;
}

/** Attaches a fresh staging database (a file a killed import left behind is replaced). */
export async function attachStage(tx: SessionTx): Promise<void> {
  const path = await stagePath(tx);
  await detach(tx, path);
  await tx.run(`ATTACH ${sqlString(path ?? ':memory:')} AS ${STAGE_DB}`);
}

/** Detaches the staging database and deletes its file (also after a failed import). */
export async function detachStage(tx: SessionTx): Promise<void> {
  await detach(tx, await stagePath(tx));
}

async function detach(tx: SessionTx, path: string | null): Promise<void> {
  // Detaching checkpoints the database: a staged table still in its log would be written out (~100 ms for a 5 MB
  // file) just before the file is deleted. Dropped first, there is nothing to write.
  const [attached] = await tx.all(`SELECT 1 AS x FROM duckdb_databases() WHERE database_name = ${sqlString(STAGE_DB)}`);
  if (attached) await tx.run(`DROP TABLE IF EXISTS ${RAW_FILE}`).catch(() => undefined);
  await tx.run(`DETACH DATABASE IF EXISTS ${STAGE_DB}`);
  if (path !== null) for (const f of [path, `${path}.wal`]) await rm(f, { force: true });
}

/** Extra columns read beyond the expected ones, so a line with too many fields is reported rather than cut. */
const EXTRA_COLUMNS = 4;
const MAX_LINE_BYTES = 1 << 20;
const NULL_MARK = '\u0001OBSERVA_NULL\u0001';

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A file DuckDB's reader refuses as a whole (undecodable bytes, broken structure): the caller's mistake, located. */
function readError(file: string, encoding: string, message: string): InputError {
  const line = /Line:?\s*(\d+)/i.exec(message)?.[1];
  const first = message.split('\n')[0]?.replace(/^[A-Za-z ]*Error: /, '') ?? message;
  return new InputError([{ file, ...(line ? { line: Number(line) } : {}), expected: `a CSV file readable as ${encoding} (${first})` }]);
}

export async function stageRaw(tx: SessionTx, adapter: CsvAdapter, path: string, encoding: string): Promise<InputProblem[]> {
  const file = basename(path);
  const width = adapter.columns.length + EXTRA_COLUMNS;
  const columns = Array.from({ length: width }, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ');
  await attachStage(tx);
  await tx.run(`DROP TABLE IF EXISTS observa_rejects`);
  await tx.run(`DROP TABLE IF EXISTS observa_rejects_scan`);
  // Line breaks inside quoted fields (IOM's article titles) need the single-threaded reader alongside null_padding.
  const readOnce = (source: string, parallel: boolean) =>
    tx.run(`CREATE OR REPLACE TABLE ${RAW_FILE} AS SELECT * FROM read_csv(${sqlString(source)},
      header=false, auto_detect=false, delim=',', quote='"', escape='"', null_padding=true, parallel=${parallel},
      nullstr=${sqlString(NULL_MARK)}, encoding=${sqlString(encoding)}, max_line_size=${MAX_LINE_BYTES},
      store_rejects=true, rejects_table='observa_rejects', rejects_scan='observa_rejects_scan',
      columns={${columns}})`);
  const read = (source: string) =>
    readOnce(source, true).catch((error: unknown) => {
      if (!/quoted new ?lines/i.test(error instanceof Error ? error.message : String(error))) throw error;
      return readOnce(source, false);
    });
  // DuckDB decodes UTF-8 and Latin-1 itself; windows-1252 is read from a UTF-8 copy (same lines).
  const transcoded = encoding === 'windows-1252' ? await utf8CopyOf(path) : null;
  if (transcoded !== null) encoding = 'utf-8';
  try {
    try {
      await read(transcoded ?? path);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // DuckDB's parser (1.5) trips on quoted fields in CRLF files: read an LF copy instead (same lines, same numbers).
      if (!/state machine reached an invalid state/.test(message)) throw readError(file, encoding, message);
      const copy = await withLfLineEndings(transcoded ?? path);
      try {
        await read(copy);
      } catch (retry) {
        throw readError(file, encoding, retry instanceof Error ? retry.message : String(retry));
      } finally {
        await rm(copy, { force: true });
      }
    }
  } finally {
    if (transcoded !== null) await rm(transcoded, { force: true });
  }
  // Line numbers are fixed now (rowid order = file order); later steps need no order, and keeping it costs memory at scale.
  await tx.run(`SET preserve_insertion_order = false`);
  // A first line with none of the expected names is some other file (a page, a system file behind a link): neither it
  // nor its other lines are echoed back, only what was expected (and the start of an HTML page, to say what it is).
  const [firstRow] = await tx.all<Record<string, string | null>>(`SELECT * FROM ${RAW_FILE} WHERE rowid = 0`);
  const firstNames = Array.from({ length: width }, (_, i) => firstRow?.[`c${i + 1}`]?.replace(/^\uFEFF/, '').trim() ?? null);
  if (firstRow !== undefined && !adapter.columns.some((n) => firstNames.includes(n)) && !adapter.otherFiles?.some((o) => firstNames[o.index] === o.name)) {
    const page = firstNames[0]?.startsWith('<') ? firstNames[0].slice(0, 40).replace(/[^\x20-\x7e]/g, '.') : null;
    return [{
      file, line: 1, column: adapter.columns[0] as string, ...(page === null ? {} : { value: page }),
      expected: `header column 1 to be "${adapter.columns[0]}": the header of ${adapter.title} (${adapter.columns.join(',')}); the first line names none of these columns, so this is not that file`,
    }];
  }
  const rejects = await tx.all<{ line: number; column_idx: number | null; error_type: string; csv_line: string | null; error_message: string }>(
    `SELECT line, column_idx, error_type, csv_line, error_message FROM observa_rejects ORDER BY line LIMIT 50`,
  );
  if (rejects.length > 0) {
    return rejects.map((r) => {
      const expected: Record<string, string> = {
        'INVALID ENCODING': `text in ${encoding}; this line has bytes of another encoding`,
        'UNQUOTED VALUE': 'a properly quoted field (the file may be truncated or a quote is unbalanced)',
        'TOO MANY COLUMNS': `${adapter.columns.length} comma-separated fields`,
        'LINE SIZE OVER MAXIMUM': `a line shorter than ${MAX_LINE_BYTES} bytes`,
      };
      const column = r.column_idx !== null && r.column_idx >= 1 ? adapter.columns[r.column_idx - 1] : undefined;
      return {
        file,
        line: r.line,
        ...(column === undefined ? {} : { column }),
        ...(r.csv_line ? { value: r.csv_line.trim() } : {}),
        expected: expected[r.error_type] ?? r.error_message,
      };
    });
  }
  const [count] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM ${RAW_FILE}`);
  if (!count || count.n === 0) {
    return [{ file, line: 1, expected: `a header line (${adapter.columns.join(',')}); the file has no lines` }];
  }
  // Header: exact names, in order.
  const [header] = await tx.all<Record<string, string | null>>(`SELECT * FROM ${RAW_FILE} WHERE rowid = 0`);
  const problems: InputProblem[] = [];
  const found = Array.from({ length: width }, (_, i) => header?.[`c${i + 1}`] ?? null).map((v) => v?.replace(/^\uFEFF/, '').trim() ?? null);
  const expectedNames = adapter.columns;
  const other = adapter.otherFiles?.find((o) => found[o.index] === o.name);
  if (other) return [{ file, line: 1, column: expectedNames[other.index] ?? other.name, value: other.name, expected: other.expected }];
  const missing = expectedNames.filter((n) => !found.includes(n));
  expectedNames.forEach((name, i) => {
    const got = found[i];
    if (got === name) return;
    problems.push({
      file,
      line: 1,
      column: name,
      ...(got === null || got === undefined ? {} : { value: got }),
      expected:
        got === null || got === undefined
          ? `header column ${i + 1} to be "${name}" (it is missing)`
          : `header column ${i + 1} to be "${name}"${missing.includes(name) ? ' (renamed or missing?)' : ' (columns out of order?)'}`,
    });
  });
  found.slice(expectedNames.length).forEach((got) => {
    if (got !== null) problems.push({ file, line: 1, value: got, expected: `only the columns ${expectedNames.join(',')}` });
  });
  if (problems.length > 0) return problems;

  const named = expectedNames.map((n, i) => `c${i + 1} AS ${q(n)}`).join(', ');
  // A view, not a copy: every later step scans the staged file once more at most.
  await tx.run(`DROP VIEW IF EXISTS raw`);
  await tx.run(`CREATE TEMP VIEW raw AS SELECT rowid + 1 AS line, ${named}, c${expectedNames.length + 1} AS _extra FROM ${RAW_FILE} WHERE rowid > 0`);
  const [rows] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM raw`);
  if (!rows || rows.n === 0) return [{ file, line: 2, expected: 'at least one data row after the header' }];
  // Two exports pasted together: their rows would be counted twice (or differ and overwrite each other).
  const repeated = await tx.all<{ line: number }>(
    `SELECT line FROM raw WHERE ${expectedNames.map((n) => `trim(${q(n)}) = ${sqlString(n)}`).join(' AND ')} ORDER BY line LIMIT 5`,
  );
  if (repeated.length > 0) {
    return repeated.map((r) => ({ file, line: r.line, expected: 'a data row; this line is the header repeated (two files pasted together?): import each file on its own' }));
  }

  // Field counts: padded fields come back NULL, extra fields non-NULL.
  const last = q(expectedNames[expectedNames.length - 1] as string);
  const shape = await tx.all<{ line: number; fields: number; extra: string | null }>(
    `SELECT line, ${expectedNames.map((n) => `(${q(n)} IS NOT NULL)::INT`).join(' + ')} AS fields, _extra AS extra
     FROM raw WHERE ${last} IS NULL OR _extra IS NOT NULL ORDER BY line LIMIT 20`,
  );
  return shape.map((s) => ({
    file,
    line: s.line,
    ...(s.extra === null ? {} : { value: s.extra }),
    expected: `${expectedNames.length} fields on every line; this line has ${s.extra === null ? s.fields : 'more'} (truncated or malformed line?)`,
  }));
}

/** All column rules in one scan of the file; the first offending lines of each rule are reported. */
export async function checkColumns(tx: WriteTx, adapter: CsvAdapter, file: string): Promise<InputProblem[]> {
  if (adapter.checks.length === 0) return [];
  // Each rule becomes a macro of the cell value `v`, so rule SQL never needs rewriting.
  for (const [i, check] of adapter.checks.entries()) await tx.run(`CREATE OR REPLACE TEMP MACRO observa_rule_${i}(v) AS (${check.invalidWhen})`);
  const rule = (i: number) => `coalesce(observa_rule_${i}(${q((adapter.checks[i] as (typeof adapter.checks)[number]).column)}), false)`;
  const ids = adapter.checks.map((_, i) => i);
  const bad = await tx.all<{ line: number; failed: number[] }>(
    `SELECT line, list_filter([${ids.map((i) => `CASE WHEN ${rule(i)} THEN ${i} END`).join(', ')}], x -> x IS NOT NULL) AS failed
     FROM raw WHERE ${ids.map(rule).join(' OR ')} ORDER BY line LIMIT 200`,
  );
  const problems: InputProblem[] = [];
  const perRule = new Map<number, number>();
  for (const row of bad) {
    const [values] = await tx.all<Record<string, string>>(`SELECT * FROM raw WHERE line = ?`, [row.line]);
    for (const id of row.failed) {
      const check = adapter.checks[id];
      if (!check || (perRule.get(id) ?? 0) >= 5) continue;
      perRule.set(id, (perRule.get(id) ?? 0) + 1);
      problems.push({ file, line: row.line, column: check.column, value: values?.[check.column] ?? '', expected: check.expected });
    }
    if (problems.length >= 30) break;
  }
  return problems;
}
