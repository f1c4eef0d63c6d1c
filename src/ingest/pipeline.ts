import { basename } from 'node:path';
import { InputError, type InputProblem } from '../domain/index.js';
import type { Store, WriteTx } from '../store/index.js';
import { DIMENSION_COLUMNS, insertObservations, recordSeriesPeriods, refreshAggregatesFor } from '../store/index.js';
import { OBSERVATION_COLUMNS, ROW_SOURCE_COLUMNS, sqlString, type CsvAdapter, type ReconciliationCheck } from './adapter.js';
import { inspectFile } from './file-inspection.js';
import { checkColumns, detachStage, stageRaw } from './stage.js';
import { inspectWorkbook, stageSheet } from './xlsx.js';
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
  /** Current observations per pass of the revision match (default `MATCH_PASS_ROWS`; tests ask for small passes). */
  readonly matchPassRows?: number;
}

/** The observation columns stored in `observation` (all but the file line). */
const STORED = OBSERVATION_COLUMNS.filter((c) => c !== 'line');
/** The source's current observations before this release. */
const currentOf = (source: string, id: number) => `(SELECT o.rowid AS rid, o.* FROM observation o JOIN release r ON r.id = o.release_id
  WHERE r.source_id = ${sqlString(source)} AND o.superseded_by IS NULL AND o.release_id <> ${id})`;

/** Thrown inside the release's transaction by a dry run, so that everything it wrote is rolled back. */
class DryRun extends Error {
  constructor(readonly summary: Omit<ImportSummary, 'status' | 'releaseId'>) {
    super('dry run');
  }
}

/**
 * The view `stage_obs`: the adapter's observations over `raw`, computed where it is read (the INSERT reads it once;
 * error reports and small secondary files read it again). Nothing of the long form is materialised beside the table.
 */
async function defineObservations(tx: WriteTx, adapter: CsvAdapter, file: string): Promise<InputProblem[]> {
  const extra = adapter.rowSources ? `, ${ROW_SOURCE_COLUMNS.join(', ')}` : '';
  await tx.run(`DROP VIEW IF EXISTS stage_obs`);
  await tx.run(`CREATE TEMP VIEW stage_obs AS SELECT ${OBSERVATION_COLUMNS.join(', ')}, geo_column${extra} FROM (${adapter.observations})`);
  if (!adapter.rowSources) return [];
  const unsourced = await tx.all<{ line: number }>(
    `SELECT line FROM stage_obs WHERE coalesce(trim(source_url), '') = '' OR NOT regexp_full_match(trim(source_url), 'https?://\\S+') ORDER BY line LIMIT 10`,
  );
  return unsourced.map((u) => ({ file, line: u.line, column: 'source_url', expected: 'the address (http:// or https://) the value was taken from: a secondary value is never kept without its source' }));
}

/**
 * Checks on the written observations: geographic codes (from the per series × place × period summary `release_summary`,
 * which also gives the release's counts, periods and touched years: one pass over the written rows serves them all —
 * at 50 M cells each pass reads them back from disk, 0.7–1.9 s) and duplicate keys. Problems are located by going back
 * to `stage_obs` (error path only).
 */
async function checkKeys(tx: WriteTx, adapter: CsvAdapter, file: string, id: number): Promise<InputProblem[]> {
  await tx.run(`CREATE OR REPLACE TEMP TABLE release_summary AS
    SELECT series, geo, freq, year, coalesce(month, 0) AS month, period, count(*) AS n, sum(value) AS total
    FROM observation WHERE release_id = ${id} GROUP BY series, geo, freq, year, coalesce(month, 0), period`);
  const unknown = await tx.all<{ geo: string }>(`SELECT DISTINCT geo FROM release_summary s WHERE NOT EXISTS (SELECT 1 FROM geo AS known WHERE known.code = s.geo)`);
  if (unknown.length > 0) {
    const located = await tx.all<{ line: number; geo: string; geo_column: string }>(
      `SELECT min(line) AS line, geo, any_value(geo_column) AS geo_column FROM stage_obs
       WHERE geo IN (${unknown.map((u) => sqlString(u.geo)).join(', ')}) GROUP BY geo ORDER BY line LIMIT 10`,
    );
    return located.map((u) => ({
      file, line: u.line, column: u.geo_column, value: u.geo,
      expected: 'a geographic code in the INEGI catalogue (states 01–32, 5-digit municipalities), US, or a U.S. border code of the geography catalogue (US-SWB, US-SWB-USBP-TCA, …)',
    }));
  }
  // Grouping on one 64-bit hash is far cheaper than on the key's columns; a wide layout's rows are grouped before the
  // unpivot multiplies them (`rowKey`). Only a collision pays the exact check.
  const hashed = adapter.rowKey
    ? `SELECT hash(${adapter.rowKey.join(', ')}) AS h FROM raw`
    : `SELECT hash(${KEY.join(', ')}) AS h FROM observation WHERE release_id = ${id}`;
  const [collisions] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM (${hashed}) GROUP BY h HAVING count(*) > 1 LIMIT 1`);
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

/**
 * Current observations per pass of the match at most: a pass's hash table (the key's ten text columns per current row)
 * then fits the store's memory limit. One join over a 10 M-cell source spilled to disk (34 s, and reads answered up to
 * 340 ms late while it evicted their pages); in passes it does not.
 */
const MATCH_PASS_ROWS = 2_500_000;

/**
 * Contiguous ranges of the current observations' periods, each holding about `MATCH_PASS_ROWS` of them. The period is
 * part of the key, so a staged row can only match a current one of its own range: joining range by range gives exactly
 * the rows of one join (and a staged period outside every range matches nothing).
 */
async function matchRanges(tx: WriteTx, source: string, id: number, passRows: number): Promise<{ from: string; to: string }[]> {
  const periods = await tx.all<{ period: string; n: number }>(`SELECT period, count(*) AS n FROM ${currentOf(source, id)} c GROUP BY period ORDER BY period`);
  const ranges: { from: string; to: string; n: number }[] = [];
  for (const { period, n } of periods) {
    const last = ranges.at(-1);
    if (last && last.n + n <= passRows) {
      last.to = period;
      last.n += n;
    } else {
      ranges.push({ from: period, to: period, n });
    }
  }
  return ranges;
}

/**
 * The staged observations matched with the source's current ones on the key (`revision_match`: the current row's id
 * and both values). It serves the revised flags, the summary and, at publication, the supersession; joining twice (for
 * the flags, then on the written rows) took 16 s each on a 10 M re-release. It joins range by range of periods
 * (`matchRanges`: one range for most sources); a source's first release has none. The table is narrow on purpose: it is
 * a temporary table, held in memory while readers need memory too. It held the changed value's key as a struct of 16
 * text fields (~140 bytes a row even where NULL: 1.4 GB for a 10 M re-release, the whole memory limit, and reads paused
 * 200–270 ms while DuckDB wrote it out), then the place and year for the summary (648 MB); now 24 bytes a row. The
 * changed values' keys, places and years are the superseded rows' own (`flaggedObservations`), and the summary's
 * largest changes are summed from those (`largestChanges`).
 */
async function matchCurrent(tx: WriteTx, source: string, id: number, anyCurrent: boolean, passRows: number): Promise<void> {
  const select = (where: string) => `SELECT c.rid AS old_rid, c.value AS before, s.value AS after
    FROM stage_obs s JOIN ${currentOf(source, id)} c ON ${keyJoin('s', 'c')} WHERE ${where}`;
  await tx.run(`CREATE OR REPLACE TEMP TABLE revision_match AS ${select('false')}`);
  for (const { from, to } of anyCurrent ? await matchRanges(tx, source, id, passRows) : []) {
    const inRange = (t: string) => `${t}.period BETWEEN ${sqlString(from)} AND ${sqlString(to)}`;
    await tx.run(`INSERT INTO revision_match ${select(`${inRange('s')} AND ${inRange('c')}`)}`);
  }
}

/** Revision summary against the source's current observations, from `revision_match`. */
async function compareWithCurrent(tx: WriteTx, source: string, id: number, anyCurrent: boolean): Promise<RevisionSummary> {
  const [totals] = await tx.all<{ n: number; total: number | null }>(`SELECT sum(n) AS n, sum(total) AS total FROM release_summary`);
  if (!anyCurrent) {
    return { added: totals?.n ?? 0, changed: 0, unchanged: 0, removed: 0, netChange: totals?.total ?? 0, absoluteChange: 0, largestChanges: [] };
  }
  const [matched] = await tx.all<{ changed: number; unchanged: number; before: number | null; abs: number | null }>(
    `SELECT count(*) FILTER (WHERE before <> after) AS changed, count(*) FILTER (WHERE before = after) AS unchanged,
            sum(before) AS before, sum(abs(after - before)) FILTER (WHERE before <> after) AS abs
     FROM revision_match`,
  );
  // Current values of the release's series × periods; the ones it matched are all among them (same key), so the rest
  // is what it no longer carries: a join count with the release's few periods (from its summary) instead of an
  // anti-join over the current rows. The periods are a table of their own: as a subquery, DuckDB hashed the ten million
  // current rows to probe them with the 120 periods (135 MB beside the match table, and reads waited for memory:
  // docs/architecture.md, "Readers and writers").
  await tx.run(`CREATE OR REPLACE TEMP TABLE release_periods AS SELECT DISTINCT series, period FROM release_summary`);
  const [inPeriods] = await tx.all<{ n: number }>(
    `SELECT count(*) AS n FROM ${currentOf(source, id)} c JOIN release_periods p ON c.series = p.series AND c.period = p.period`,
  );
  const largest = await largestChanges(tx, source, id);
  const changed = matched?.changed ?? 0;
  const unchanged = matched?.unchanged ?? 0;
  const removed = (inPeriods?.n ?? 0) - changed - unchanged;
  return {
    added: (totals?.n ?? 0) - changed - unchanged,
    changed,
    unchanged,
    removed,
    netChange: (totals?.total ?? 0) - (matched?.before ?? 0),
    absoluteChange: matched?.abs ?? 0,
    largestChanges: largest,
  };
}

/**
 * The ten series × place × year whose matched values changed most in sum, with the sums before and after over every
 * matched value of each (as a join of all matched values grouped by series, place and year gives). Unchanged values add
 * the same to both sums, so the groups and their ranking come from the changed values alone (`revised_keys`, usually
 * few); the sum before is then read for those ten groups only: the current values of each whose key the release also
 * has (its rows are written by now), the places and years named as constants so the scans skip what lies elsewhere
 * (10 M re-import: 0.19 s; 0.53 s with the groups' condition alone).
 */
async function largestChanges(tx: WriteTx, source: string, id: number): Promise<RevisionSummary['largestChanges']> {
  const top = await tx.all<{ series: string; geo: string; year: number; change: number }>(
    `SELECT series, geo, year, sum(change) AS change FROM revised_keys GROUP BY series, geo, year HAVING sum(change) <> 0
     ORDER BY abs(sum(change)) DESC, series, geo, year LIMIT 10`,
  );
  if (top.length === 0) return [];
  const list = (xs: readonly (string | number)[]) => [...new Set(xs)].map((x) => (typeof x === 'number' ? String(x) : sqlString(x))).join(', ');
  const groups = top.map((g) => `(c.series = ${sqlString(g.series)} AND c.geo = ${sqlString(g.geo)} AND c.year = ${g.year})`).join(' OR ');
  const places = list(top.map((g) => g.geo));
  const years = list(top.map((g) => g.year));
  const sums = await tx.all<{ series: string; geo: string; year: number; before: number }>(
    `SELECT c.series, c.geo, c.year, sum(c.value) AS before FROM ${currentOf(source, id)} c
     WHERE c.geo IN (${places}) AND c.year IN (${years}) AND (${groups})
       AND EXISTS (SELECT 1 FROM observation n WHERE n.release_id = ${id} AND n.geo IN (${places}) AND n.year IN (${years}) AND ${keyJoin('n', 'c')})
     GROUP BY c.series, c.geo, c.year`,
  );
  const before = new Map(sums.map((r) => [`${r.series}\u0000${r.geo}\u0000${r.year}`, r.before]));
  return top.map(({ series, geo, year, change }) => {
    const b = before.get(`${series}\u0000${geo}\u0000${year}`);
    // A group holds a changed value, so it holds matched current values.
    if (b === undefined) throw new Error(`no matched values for ${series}, ${geo}, ${year}, whose values changed`);
    return { series, geo, year, before: b, after: b + change };
  });
}

/**
 * The SELECT of the release's observations from `stage_obs`, a value that differs from the current one of the same key
 * flagged `revised`. The flag is written with the row, not set afterwards: DuckDB updates a LIST column as delete + insert,
 * and one such row among a transaction's new rows made its COMMIT write every new row again into the WAL (3 M rows, one
 * value revised: a 2.3 s COMMIT). The changed keys (usually few) come from `revision_match`, and the INSERT probes them.
 */
async function flaggedObservations(tx: WriteTx, id: number, anyCurrent: boolean): Promise<string> {
  const plain = `SELECT ${id} AS release_id, ${STORED.join(', ')} FROM stage_obs`;
  if (!anyCurrent) return plain;
  // A matched row has the staged row's key (the join is on it), so the keys of changed values are those of the current
  // rows they replace, found by row id (no checkpoint has renumbered them: the import holds the writer); with their year
  // and change, for the summary's largest changes.
  await tx.run(`CREATE OR REPLACE TEMP TABLE revised_keys AS SELECT ${KEY.map((k) => `o.${k}`).join(', ')}, o.year, m.after - m.before AS change
    FROM observation o JOIN (SELECT old_rid, before, after FROM revision_match WHERE before <> after) m ON o.rowid = m.old_rid`);
  const [revised] = await tx.all(`SELECT 1 AS x FROM revised_keys LIMIT 1`);
  if (!revised) return plain;
  const columns = STORED.map((c) => (c === 'flags' ? `CASE WHEN r.series IS NULL THEN s.flags ELSE list_append(s.flags, 'revised') END AS flags` : `s.${c}`));
  return `SELECT ${id} AS release_id, ${columns.join(', ')} FROM stage_obs s LEFT JOIN revised_keys r ON ${keyJoin('s', 'r')}`;
}

/**
 * The value of `superseded_by` that hides a release's observations until it is published: negative, so that it names
 * no release (the integrity check at open removes the rows of a release that was never published).
 */
const hiddenBy = (id: number) => -id;

/**
 * Publishes a prepared release: its row, the values it replaces superseded and its own shown (UPDATEs, which DuckDB shows
 * to readers at once), then what is derived from them. For a re-release, in the transaction after the one that wrote its
 * observations hidden, readers meanwhile answering from the state before it (docs/architecture.md, "Readers and
 * writers"); for a source's first release, in its only transaction (nothing hidden to show).
 */
async function publish(tx: WriteTx, summary: Omit<ImportSummary, 'status' | 'releaseId'>, adapter: CsvAdapter, id: number, now: Date, hidden: boolean): Promise<void> {
  await tx.run(
    `INSERT INTO release VALUES (?, ?, ?, ?, ?, ?, ?, ?::TIMESTAMPTZ, ?, ?, ?, ?, ?)`,
    [id, summary.source, summary.file, summary.sha256, summary.byteSize, summary.rows, summary.observations, now.toISOString(),
      adapter.version, summary.encoding, summary.periodFrom, summary.periodTo, JSON.stringify(summary)],
  );
  if (summary.revision.changed + summary.revision.unchanged > 0) {
    // The values this release replaces are superseded (its revised values were flagged as they were written).
    await tx.run(`UPDATE observation SET superseded_by = ${id} WHERE rowid IN (SELECT old_rid FROM revision_match)`);
  }
  if (hidden) await tx.run(`UPDATE observation SET superseded_by = NULL WHERE release_id = ${id} AND superseded_by = ${hiddenBy(id)}`);
  // The periods and the series × years of the release, from its summary (not another pass over its rows).
  await recordSeriesPeriods(tx, 'release_summary');
  // The per-level sums of the series × years this release touched, in its transaction (docs/architecture.md).
  await refreshAggregatesFor(tx, 'release_summary');
  if (adapter.rowSources) {
    await tx.run(`INSERT INTO observation_source SELECT ${id}, series, geo, period, year, category, line, trim(source_url),
                    coalesce(trim(source_outlet), ''), coalesce(trim(source_note), '') FROM stage_obs`);
  }
  await adapter.keep?.(tx, id);
}

/**
 * Reads one published file through its adapter: stage → validate → reconcile → compare → commit whole.
 * The observations are written once, straight from the staged file into `observation`, inside the release's
 * transaction; the checks on keys, the reconciliation and the comparison run on them there, and any problem (or a dry
 * run) rolls the transaction back. Throws InputError (with file, line, column, value, expectation) and writes nothing
 * when the file is wrong.
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
      // What an import writes (the staged file, the observations, their sums) is short text of few distinct values,
      // which DuckDB stores as dictionaries; trying FSST on every column of every row group first cost a 10 M-cell
      // municipal file 0.35 s of staging and 0.3–0.6 s of its INSERT, for files of the same size (81.8 vs 82.1 MB).
      await tx.run(`SET disabled_compression_methods = 'fsst'`);
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
      const refuse = (problems: readonly InputProblem[]) => new InputError(inReadingOrder(problems, adapter.columns).map(locate));
      options.onStage?.('validate');
      const valueProblems = await checkColumns(tx, adapter, file);
      if (valueProblems.length > 0) throw refuse(valueProblems);
      const sourceProblems = await defineObservations(tx, adapter, file);
      if (sourceProblems.length > 0) throw refuse(sourceProblems);
      // Whether the source has current values. A re-release commits in two transactions, so that reads wait only for
      // the short COMMIT of its insert (docs/architecture.md, "Readers and writers"): the first writes the observations
      // hidden, checks and compares them; the second supersedes what they replace and shows them, reads answering from
      // the state before it meanwhile. A source's first release has nothing for readers to see beside it and no
      // revision to find or flag: it commits in one transaction, its rows written visible, and reads wait for that
      // insert-only COMMIT (~40 ms at 10 M cells, its pages synced beforehand); showing its rows by UPDATE held ~11
      // bytes of undo data per row until the COMMIT (549 MB at 50 M cells, the import's peak memory).
      const anyCurrent = (await tx.all(`SELECT 1 AS x FROM ${currentOf(adapter.id, 0)} c LIMIT 1`)).length > 0;
      const now = () => (options.now ?? (() => new Date()))();
      const prepared = await tx.transaction(async (w) => {
        const [next] = await w.all<{ id: number }>(`SELECT nextval('release_id_seq') AS id`);
        const id = next?.id as number;
        // One pass: the staged file, unpivoted by the adapter's SELECT, straight into the table, its revised values
        // flagged as they are written.
        await matchCurrent(w, adapter.id, id, anyCurrent, options.matchPassRows ?? MATCH_PASS_ROWS);
        await w.run(insertObservations(`SELECT *, ${anyCurrent ? hiddenBy(id) : 'NULL'}::INTEGER AS superseded_by FROM (${await flaggedObservations(w, id, anyCurrent)})`));
        const keyProblems = await checkKeys(w, adapter, file, id);
        if (keyProblems.length > 0) throw refuse(keyProblems);
        options.onStage?.('reconcile');
        const reconciliation = adapter.reconcile ? await adapter.reconcile(w, file) : { checks: [], problems: [] };
        if (reconciliation.problems.length > 0) throw refuse(reconciliation.problems);
        options.onStage?.('compare');
        const [counts] = await w.all<{ rows: number }>(`SELECT count(*) AS rows FROM raw`);
        const [range] = await w.all<{ n: number | null; from: string | null; to: string | null }>(
          `SELECT sum(n) AS n, min(period) AS "from", max(period) AS "to" FROM release_summary`,
        );
        const series = await w.all<{ series: string; observations: number; total: number }>(
          `SELECT series, sum(n) AS observations, sum(total) AS total FROM release_summary GROUP BY series ORDER BY series`,
        );
        const revision = await compareWithCurrent(w, adapter.id, id, anyCurrent);
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
        if (options.dryRun) throw new DryRun(base);
        // From here on, COMMITs: a re-release's first (its insert) as this transaction ends, then its publishing one.
        options.onStage?.('commit');
        if (!anyCurrent) await publish(w, base, adapter, id, now(), false);
        return { base, id };
        // A re-release's rows superseded next are named by row id: no checkpoint in between (it may renumber them).
        // Reads wait for this COMMIT (it merges the parallel INSERT's row groups; hidden is not hidden then, see
        // docs/architecture.md, "Readers and writers"), not for the publishing one.
      }, anyCurrent ? { deferCheckpoint: true } : {});
      const { base, id } = prepared;
      if (!anyCurrent) return { ...base, status: 'new' as const, releaseId: id };
      try {
        await tx.transaction((w) => publish(w, base, adapter, id, now(), true), { readersKeepSnapshot: true });
      } catch (error) {
        // Nothing of an unpublished release stays (were this to fail too, the integrity check at the next open removes it).
        await tx.transaction((w) => w.run(`DELETE FROM observation WHERE release_id = ${id} AND superseded_by = ${hiddenBy(id)}`)).catch(() => undefined);
        throw error;
      }
      return { ...base, status: 'new' as const, releaseId: id };
    } catch (error) {
      if (error instanceof DryRun) return { ...error.summary, status: 'dry-run' as const, releaseId: null };
      throw error;
    } finally {
      await tx.run('RESET preserve_insertion_order').catch(() => undefined);
      await tx.run('RESET disabled_compression_methods').catch(() => undefined);
      for (const v of ['raw', 'stage_obs']) await tx.run(`DROP VIEW IF EXISTS ${v}`).catch(() => undefined);
      await detachStage(tx).catch(() => undefined);
      for (const t of ['raw_file', 'release_summary', 'release_periods', 'revision_match', 'revised_keys', 'observa_rejects', 'observa_rejects_scan']) {
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
