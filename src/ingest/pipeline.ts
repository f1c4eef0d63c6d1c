import { basename } from 'node:path';
import { rm } from 'node:fs/promises';
import { utf8CopyOf, withLfLineEndings } from './file-inspection.js';
import { InputError, type InputProblem } from '../domain/index.js';
import type { ReadTx, SessionTx, Store, WriteTx } from '../store/index.js';
import { DIMENSION_COLUMNS, recordSeriesPeriods, refreshAggregatesFor } from '../store/index.js';
import { OBSERVATION_COLUMNS, ROW_SOURCE_COLUMNS, sqlString, type CsvAdapter, type ReconciliationCheck } from './adapter.js';
import { inspectFile } from './file-inspection.js';
import { inspectWorkbook, stageSheet } from './xlsx.js';

/** Extra columns read beyond the expected ones, so a line with too many fields is reported rather than cut. */
const EXTRA_COLUMNS = 4;
const MAX_LINE_BYTES = 1 << 20;
const NULL_MARK = '\u0001OBSERVA_NULL\u0001';
const KEY = ['series', 'geo', 'period', ...DIMENSION_COLUMNS] as const;
const keyJoin = (a: string, b: string) => KEY.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');

export interface RevisionSummary {
  readonly added: number;
  readonly changed: number;
  readonly unchanged: number;
  /** Current observations of the same series and periods that the new file no longer has. */
  readonly removed: number;
  readonly netChange: number;
  readonly absoluteChange: number;
  readonly largestChanges: readonly { series: string; geo: string; year: number; before: number; after: number }[];
}

export interface ImportSummary {
  readonly source: string;
  readonly file: string;
  readonly sha256: string;
  readonly encoding: string;
  readonly byteSize: number;
  readonly rows: number;
  readonly observations: number;
  readonly periodFrom: string | null;
  readonly periodTo: string | null;
  readonly series: readonly { series: string; observations: number; total: number }[];
  readonly reconciliation: readonly ReconciliationCheck[];
  readonly revision: RevisionSummary;
  /** new: committed as a release; unchanged: this exact file was already imported; dry-run: nothing written. */
  readonly status: 'new' | 'unchanged' | 'dry-run';
  readonly releaseId: number | null;
}

export interface ImportOptions {
  readonly dryRun?: boolean;
  readonly now?: () => Date;
  readonly onStage?: (stage: 'read' | 'validate' | 'reconcile' | 'compare' | 'commit') => void;
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A file DuckDB's reader refuses as a whole (undecodable bytes, broken structure): the caller's mistake, located. */
function readError(file: string, encoding: string, message: string): InputError {
  const line = /Line:?\s*(\d+)/i.exec(message)?.[1];
  const first = message.split('\n')[0]?.replace(/^[A-Za-z ]*Error: /, '') ?? message;
  return new InputError([{ file, ...(line ? { line: Number(line) } : {}), expected: `a CSV file readable as ${encoding} (${first})` }]);
}

async function stageRaw(tx: SessionTx, adapter: CsvAdapter, path: string, encoding: string): Promise<InputProblem[]> {
  const file = basename(path);
  const width = adapter.columns.length + EXTRA_COLUMNS;
  const columns = Array.from({ length: width }, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ');
  await tx.run(`DROP TABLE IF EXISTS raw_file`);
  await tx.run(`DROP TABLE IF EXISTS observa_rejects`);
  await tx.run(`DROP TABLE IF EXISTS observa_rejects_scan`);
  // Line breaks inside quoted fields (IOM's article titles) need the single-threaded reader alongside null_padding.
  const readOnce = (source: string, parallel: boolean) =>
    tx.run(`CREATE OR REPLACE TEMP TABLE raw_file AS SELECT * FROM read_csv(${sqlString(source)},
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
  const [firstRow] = await tx.all<Record<string, string | null>>(`SELECT * FROM raw_file WHERE rowid = 0`);
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
  const [count] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM raw_file`);
  if (!count || count.n === 0) {
    return [{ file, line: 1, expected: `a header line (${adapter.columns.join(',')}); the file has no lines` }];
  }
  // Header: exact names, in order.
  const [header] = await tx.all<Record<string, string | null>>(`SELECT * FROM raw_file WHERE rowid = 0`);
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
  await tx.run(`CREATE TEMP VIEW raw AS SELECT rowid + 1 AS line, ${named}, c${expectedNames.length + 1} AS _extra FROM raw_file WHERE rowid > 0`);
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
async function checkColumns(tx: WriteTx, adapter: CsvAdapter, file: string): Promise<InputProblem[]> {
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

async function stageObservations(tx: SessionTx, adapter: CsvAdapter, file: string): Promise<InputProblem[]> {
  await tx.run(`DROP TABLE IF EXISTS stage_obs`);
  const extra = adapter.rowSources ? `, ${ROW_SOURCE_COLUMNS.join(', ')}` : '';
  await tx.run(`CREATE TEMP TABLE stage_obs AS SELECT ${OBSERVATION_COLUMNS.join(', ')}, geo_column${extra} FROM (${adapter.observations})`);
  if (adapter.rowSources) {
    const unsourced = await tx.all<{ line: number }>(
      `SELECT line FROM stage_obs WHERE coalesce(trim(source_url), '') = '' OR NOT regexp_full_match(trim(source_url), 'https?://\\S+') ORDER BY line LIMIT 10`,
    );
    if (unsourced.length > 0) {
      return unsourced.map((u) => ({ file, line: u.line, column: 'source_url', expected: 'the address (http:// or https://) the value was taken from: a secondary value is never kept without its source' }));
    }
  }
  const unknownGeo = await tx.all<{ line: number; geo: string; geo_column: string }>(
    `SELECT min(line) AS line, s.geo, any_value(geo_column) AS geo_column FROM stage_obs s
     WHERE NOT EXISTS (SELECT 1 FROM geo AS known WHERE known.code = s.geo) GROUP BY s.geo ORDER BY line LIMIT 10`,
  );
  if (unknownGeo.length > 0) {
    return unknownGeo.map((u) => ({
      file, line: u.line, column: u.geo_column, value: u.geo,
      expected: 'a geographic code in the INEGI catalogue (states 01–32, 5-digit municipalities), US, or a U.S. border code of the geography catalogue (US-SWB, US-SWB-USBP-TCA, …)',
    }));
  }
  // Grouping on one 64-bit hash is far cheaper than on ten text columns; only a hash collision pays the exact check.
  const [collisions] = await tx.all<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT hash(${KEY.join(', ')}) AS h FROM stage_obs GROUP BY h HAVING count(*) > 1)`,
  );
  if (!collisions || collisions.n === 0) return [];
  const duplicates = await tx.all<{ lines: number[]; series: string; geo: string; period: string }>(
    `SELECT list(line ORDER BY line) AS lines, series, geo, period FROM stage_obs
     GROUP BY ${KEY.join(', ')} HAVING count(*) > 1 ORDER BY min(line) LIMIT 10`,
  );
  return duplicates.map((d) => ({
    file,
    line: d.lines[1] as number,
    expected: `one row per key; this row repeats line ${d.lines[0]} (${d.series}, geo ${d.geo}, ${d.period})`,
  }));
}

async function compareWithCurrent(tx: ReadTx, source: string): Promise<RevisionSummary> {
  const currentOf = `(SELECT o.* FROM observation o JOIN release r ON r.id = o.release_id
                      WHERE r.source_id = ${sqlString(source)} AND o.superseded_by IS NULL)`;
  const [totals] = await tx.all<{ added: number; changed: number; unchanged: number; net: number | null; abs: number | null }>(
    `SELECT count(*) FILTER (WHERE c.value IS NULL) AS added,
            count(*) FILTER (WHERE c.value IS NOT NULL AND c.value <> s.value) AS changed,
            count(*) FILTER (WHERE c.value = s.value) AS unchanged,
            sum(s.value - coalesce(c.value, 0)) AS net,
            sum(abs(s.value - c.value)) FILTER (WHERE c.value <> s.value) AS abs
     FROM stage_obs s LEFT JOIN ${currentOf} c ON ${keyJoin('s', 'c')}`,
  );
  const [removed] = await tx.all<{ n: number }>(
    `SELECT count(*) AS n FROM ${currentOf} c
     WHERE (c.series, c.period) IN (SELECT DISTINCT series, period FROM stage_obs)
       AND NOT EXISTS (SELECT 1 FROM stage_obs s WHERE ${keyJoin('s', 'c')})`,
  );
  const largest = await tx.all<{ series: string; geo: string; year: number; before: number; after: number }>(
    `SELECT s.series, s.geo, s.year, sum(c.value) AS before, sum(s.value) AS after
     FROM stage_obs s JOIN ${currentOf} c ON ${keyJoin('s', 'c')}
     GROUP BY s.series, s.geo, s.year HAVING sum(c.value) <> sum(s.value)
     ORDER BY abs(sum(s.value) - sum(c.value)) DESC, s.series, s.geo, s.year LIMIT 10`,
  );
  return {
    added: totals?.added ?? 0,
    changed: totals?.changed ?? 0,
    unchanged: totals?.unchanged ?? 0,
    removed: removed?.n ?? 0,
    netChange: totals?.net ?? 0,
    absoluteChange: totals?.abs ?? 0,
    largestChanges: largest,
  };
}

async function commit(tx: WriteTx, summary: Omit<ImportSummary, 'status' | 'releaseId'>, adapter: CsvAdapter, now: Date): Promise<number> {
  const [next] = await tx.all<{ id: number }>(`SELECT nextval('release_id_seq') AS id`);
  const id = next?.id as number;
  await tx.run(
    `INSERT INTO release VALUES (?, ?, ?, ?, ?, ?, ?, ?::TIMESTAMPTZ, ?, ?, ?, ?, ?)`,
    [id, summary.source, summary.file, summary.sha256, summary.byteSize, summary.rows, summary.observations, now.toISOString(),
      adapter.version, summary.encoding, summary.periodFrom, summary.periodTo, JSON.stringify(summary)],
  );
  const currentOf = `(SELECT o.rowid AS rid, o.* FROM observation o JOIN release r ON r.id = o.release_id
                      WHERE r.source_id = ${sqlString(summary.source)} AND o.superseded_by IS NULL)`;
  // A value that differs from the one it replaces is flagged `revised`.
  await tx.run(`UPDATE stage_obs s SET flags = list_append(s.flags, 'revised')
                FROM ${currentOf} c WHERE ${keyJoin('s', 'c')} AND c.value <> s.value`);
  await tx.run(`UPDATE observation SET superseded_by = ${id}
                WHERE rowid IN (SELECT c.rid FROM ${currentOf} c JOIN stage_obs s ON ${keyJoin('s', 'c')})`);
  await tx.run(`INSERT INTO observation (release_id, ${OBSERVATION_COLUMNS.filter((c) => c !== 'line').join(', ')})
                SELECT ${id}, ${OBSERVATION_COLUMNS.filter((c) => c !== 'line').join(', ')} FROM stage_obs`);
  await recordSeriesPeriods(tx, 'stage_obs');
  // The per-level sums of the series × years this release touched, in its transaction (docs/architecture.md).
  await refreshAggregatesFor(tx, 'stage_obs');
  if (adapter.rowSources) {
    await tx.run(`INSERT INTO observation_source SELECT ${id}, series, geo, period, year, category, line, trim(source_url),
                    coalesce(trim(source_outlet), ''), coalesce(trim(source_note), '') FROM stage_obs`);
  }
  await adapter.keep?.(tx, id);
  return id;
}

/**
 * Reads one published file through its adapter: stage → validate → reconcile → compare → commit whole.
 * Throws InputError (with file, line, column, value, expectation) and writes nothing when the file is wrong.
 */
export async function importFile(store: Store, adapter: CsvAdapter, path: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const file = basename(path);
  const inspection = adapter.sheet ? await inspectWorkbook(path) : await inspectFile(path, adapter.encodings, adapter.columns);
  const [already] = await store.all<{ id: number; summary: string }>(
    `SELECT id, summary::VARCHAR AS summary FROM release WHERE source_id = ? AND sha256 = ? ORDER BY id LIMIT 1`,
    [adapter.id, inspection.sha256],
  );
  if (already) {
    const previous = JSON.parse(already.summary) as ImportSummary;
    return { ...previous, file, status: 'unchanged', releaseId: already.id };
  }
  return store.session(async (tx) => {
    try {
      options.onStage?.('read');
      // A workbook's problems are located by sheet and cell; a CSV file's by line and column.
      let locate = (p: InputProblem): InputProblem => p;
      if (adapter.sheet) {
        const staged = await stageSheet(tx, path, { sheet: adapter.sheet, columns: adapter.columns, ...(adapter.headerRow ? { headerRow: adapter.headerRow } : {}) });
        locate = staged.locate;
        if (staged.problems.length > 0) throw new InputError(staged.problems);
      } else {
        const shapeProblems = await stageRaw(tx, adapter, path, inspection.encoding);
        if (shapeProblems.length > 0) throw new InputError(shapeProblems);
      }
      options.onStage?.('validate');
      const valueProblems = await checkColumns(tx, adapter, file);
      if (valueProblems.length > 0) throw new InputError(inReadingOrder(valueProblems, adapter.columns).map(locate));
      const keyProblems = await stageObservations(tx, adapter, file);
      if (keyProblems.length > 0) throw new InputError(inReadingOrder(keyProblems, adapter.columns).map(locate));
      options.onStage?.('reconcile');
      const reconciliation = adapter.reconcile ? await adapter.reconcile(tx, file) : { checks: [], problems: [] };
      if (reconciliation.problems.length > 0) throw new InputError(inReadingOrder(reconciliation.problems, adapter.columns).map(locate));
      options.onStage?.('compare');
      const [counts] = await tx.all<{ rows: number }>(`SELECT count(*) AS rows FROM raw`);
      const [range] = await tx.all<{ n: number; from: string | null; to: string | null }>(
        `SELECT count(*) AS n, min(period) AS "from", max(period) AS "to" FROM stage_obs`,
      );
      const series = await tx.all<{ series: string; observations: number; total: number }>(
        `SELECT series, count(*) AS observations, sum(value) AS total FROM stage_obs GROUP BY series ORDER BY series`,
      );
      const revision = await compareWithCurrent(tx, adapter.id);
      const base = {
        source: adapter.id,
        file,
        sha256: inspection.sha256,
        encoding: inspection.encoding,
        byteSize: inspection.byteSize,
        rows: counts?.rows ?? 0,
        observations: range?.n ?? 0,
        periodFrom: range?.from ?? null,
        periodTo: range?.to ?? null,
        series,
        reconciliation: reconciliation.checks,
        revision,
      };
      if (options.dryRun) return { ...base, status: 'dry-run' as const, releaseId: null };
      options.onStage?.('commit');
      const releaseId = await tx.transaction((w) => commit(w, base, adapter, (options.now ?? (() => new Date()))()));
      return { ...base, status: 'new' as const, releaseId };
    } finally {
      await tx.run('RESET preserve_insertion_order').catch(() => undefined);
      await tx.run('DROP VIEW IF EXISTS raw').catch(() => undefined);
      for (const t of ['raw_file', 'stage_obs', 'observa_rejects', 'observa_rejects_scan']) {
        await tx.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
      }
    }
  });
}

/**
 * Problems as a reader meets them: by line, then left to right in the file's columns. Checks run as one
 * SQL query each, so two problems on the same line would otherwise come back in whatever order DuckDB's
 * threads finished, and the first one reported would change from run to run.
 */
function inReadingOrder(problems: readonly InputProblem[], columns: readonly string[]): InputProblem[] {
  const position = (column: string | undefined) => {
    const i = column === undefined ? -1 : columns.indexOf(column);
    return i < 0 ? columns.length : i;
  };
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || position(a.column) - position(b.column));
}
