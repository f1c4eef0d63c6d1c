import { MONTHS_ES, type InputProblem } from '../domain/index.js';
import { DIMENSION_COLUMNS, type ReadTx, type WriteTx } from '../store/index.js';

/** windows-1252: Latin-1 plus typographic quotes and dashes in 0x80–0x9F (spreadsheet exports such as IOM's). */
export type Encoding = 'utf-8' | 'latin-1' | 'windows-1252';

/** A rule on one column of the staged file, written as SQL over the text value `v` (NULL never reaches it). */
export interface ColumnCheck {
  readonly column: string;
  /** SQL boolean over `v`, true when the value is wrong. */
  readonly invalidWhen: string;
  readonly expected: string;
}

/**
 * One adapter per official data set. The pipeline stages the file with DuckDB's CSV reader into `raw`
 * (one VARCHAR column per expected header name, plus `line`), applies `checks`, then runs `observations`.
 */
export interface CsvAdapter {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly encodings: readonly Encoding[];
  /** For an .xlsx workbook: the sheet to read (see `xlsx.ts`); `encodings` is then unused. Absent for CSV files. */
  readonly sheet?: string;
  /** Header row of that sheet (1-based, default 1). */
  readonly headerRow?: number;
  readonly columns: readonly string[];
  /**
   * Files of a related data set this adapter must not read, told apart by their header: when the header has `name` in
   * column `index` (0-based), the file is refused with `expected` instead of a generic header mismatch.
   */
  readonly otherFiles?: readonly { readonly index: number; readonly name: string; readonly expected: string }[];
  readonly checks: readonly ColumnCheck[];
  /** SELECT over `raw` producing the observation columns (see `observationColumns`) plus `line` and `geo_column`. */
  readonly observations: string;
  /**
   * For a wide layout (one row, several observations told apart by their column): SQL expressions over `raw` that
   * are the row's part of every observation key, written as `observations` writes them, so that two rows with
   * different row keys can never yield the same observation key. Duplicate keys are then looked for among the rows
   * (twelve times fewer) rather than the observations; a duplicate row key is checked exactly. Absent: on observations.
   */
  readonly rowKey?: readonly string[];
  /**
   * Secondary sources: the SELECT also yields `source_url`, `source_outlet` and `source_note` per observation, kept in
   * `observation_source` with the release (the per-value link shown wherever the value is).
   */
  readonly rowSources?: boolean;
  /** Extra rows of the same file kept in a table of their own, written in the release's transaction (`raw` and `stage_obs` are there). */
  readonly keep?: (tx: WriteTx, releaseId: number) => Promise<void>;
  /** Totals the publisher gives inside the same file, checked against the parts. */
  readonly reconcile?: (tx: ReadTx, file: string) => Promise<{ checks: ReconciliationCheck[]; problems: InputProblem[] }>;
}

export interface ReconciliationCheck {
  readonly name: string;
  readonly compared: number;
  readonly mismatches: number;
}

/** The columns every adapter's `observations` SELECT yields, in order. */
export const OBSERVATION_COLUMNS = ['line', 'series', 'geo', 'period', 'freq', 'year', 'month', ...DIMENSION_COLUMNS, 'value', 'flags'] as const;

/** The columns a `rowSources` adapter adds after the observation columns. */
export const ROW_SOURCE_COLUMNS = ['source_url', 'source_outlet', 'source_note'] as const;

/** The schema-4 dimensions (U.S. side, secondary sources) as empty values, for adapters whose files have none of them. */
export const NO_SCHEMA4_DIMENSIONS = `'' AS component, '' AS drug, '' AS citizenship, '' AS stage, '' AS cause, '' AS category`;

/** The months of SESNSP's wide layouts by number ("01"…"12"), in the order of `MONTHS_ES` (its month columns). */
const MONTH_NUMBERS = MONTHS_ES.map((_, i) => String(i + 1).padStart(2, '0'));

/**
 * SESNSP's wide monthly layout (the twelve columns named by `MONTHS_ES`): each month's count as a number named by its
 * number ("01"…"12"), empty (not yet reported) as NULL, for `monthCells`. Cast before the unpivot, numbers move through
 * it instead of text, and UNPIVOT leaves the NULLs out (a month not reported is no observation): the unpivot of a 10
 * M-cell file alone takes 0.25 s instead of 0.65 (the INSERT around it, bound by writing, gained less). Read only after
 * the counts passed `countChecks`.
 */
export const MONTH_COUNTS = MONTHS_ES.map((m, i) => `nullif(trim("${m}"), '')::DOUBLE AS "${MONTH_NUMBERS[i]}"`).join(', ');

/** `from`'s rows (with `MONTH_COUNTS`) as one row per reported month: `month_col` its number ("01"…), `cell` its count. */
export function monthCells(from: string): string {
  return `(UNPIVOT ${from} ON ${MONTH_NUMBERS.map((n) => `"${n}"`).join(', ')} INTO NAME month_col VALUE cell)`;
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Non-negative whole number written with digits only: the rule for every published count. */
export const COUNT_RULE = {
  invalidWhen: `NOT regexp_full_match(trim(v), '[0-9]{1,15}')`,
  expected: 'a non-negative whole number written with digits only (no sign, decimals or thousands separators)',
};

export function countChecks(columns: readonly string[]): ColumnCheck[] {
  return columns.map((column) => ({ column, ...COUNT_RULE }));
}

export function oneOf(column: string, values: readonly string[]): ColumnCheck {
  return {
    column,
    invalidWhen: `trim(v) NOT IN (${values.map(sqlString).join(', ')})`,
    expected: `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`,
  };
}

/**
 * A four-digit year no later than `latest` (default: next year, since publishers label a file by the year it covers;
 * statistics of the past cannot carry a year like 2099). Projections (CONAPO to 2070) pass their own horizon.
 */
export function yearCheck(column: string, latest: number = new Date().getUTCFullYear() + 1): ColumnCheck {
  return {
    column,
    invalidWhen: `NOT regexp_full_match(trim(v), '(19|20)[0-9]{2}') OR coalesce(TRY_CAST(trim(v) AS INTEGER), 0) > ${latest}`,
    expected: `a four-digit year between 1900 and ${latest}`,
  };
}

export interface TotalMismatch {
  readonly line: number;
  readonly column: string;
  readonly total: number;
  readonly parts: number;
}

/**
 * Published totals against the sum of their parts, column by column: rows matching `totals` must equal the sum of the
 * rows matching `parts` that share the `by` columns. Returns the first mismatches with the total row's line.
 */
export async function totalMismatches(
  tx: ReadTx,
  spec: { readonly totals: string; readonly parts: string; readonly by: readonly string[]; readonly columns: readonly string[] },
): Promise<TotalMismatch[]> {
  const by = spec.by.map((c) => `"${c}"`).join(', ');
  const perColumn = spec.columns.map((c) => `
    SELECT t.line, ${sqlString(c)} AS "column", t."${c}"::BIGINT AS total, p.s AS parts
    FROM (SELECT * FROM raw WHERE ${spec.totals}) t
    JOIN (SELECT ${by}, sum("${c}"::BIGINT) AS s FROM raw WHERE ${spec.parts} GROUP BY ${by}) p USING (${by})
    WHERE t."${c}"::BIGINT <> p.s`);
  return tx.all<TotalMismatch & Record<string, unknown>>(`${perColumn.join(' UNION ALL ')} ORDER BY 1 LIMIT 10`);
}

/** Population counts divide rates: a whole number above zero. */
export const POPULATION_RULE = {
  invalidWhen: `NOT regexp_full_match(trim(v), '0*[1-9][0-9]{0,14}')`,
  expected: 'a population above zero written with digits only (rates divide by it)',
};

const normalisedName = (sql: string) => `trim(regexp_replace(lower(strip_accents(${sql})), '[^a-z]+', ' ', 'g'))`;

/**
 * Rows whose state name is another state's name (a row moved to the wrong state, or columns shifted): the name, without
 * accents, case or punctuation, equals a name of a different state in the geography catalogue and none of its own.
 * Names the catalogue does not know (publishers' variants) are not judged.
 */
export async function stateNameProblems(tx: ReadTx, file: string, codeColumn: string, nameColumn: string): Promise<{ check: ReconciliationCheck; problems: InputProblem[] }> {
  const bad = await tx.all<{ line: number; code: string; name: string; named: string }>(
    `WITH names AS (
       SELECT DISTINCT code, ${normalisedName('n')} AS n FROM geo, unnest([name_es, name_en, official_name]) AS t(n) WHERE level = 'state' AND NOT unspecified),
     rows AS (SELECT line, lpad(trim("${codeColumn}"), 2, '0') AS code, trim("${nameColumn}") AS name, ${normalisedName(`"${nameColumn}"`)} AS n FROM raw)
     SELECT r.line, r.code, r.name, min(o.code) AS named FROM rows r JOIN names o ON o.n = r.n AND o.code <> r.code
     WHERE NOT EXISTS (SELECT 1 FROM names own WHERE own.code = r.code AND own.n = r.n)
     GROUP BY r.line, r.code, r.name ORDER BY r.line LIMIT 10`,
  );
  const [n] = await tx.all<{ rows: number }>(`SELECT count(*) AS rows FROM raw`);
  return {
    check: { name: `${nameColumn} is the state of ${codeColumn}`, compared: n?.rows ?? 0, mismatches: bad.length },
    problems: bad.map((b) => ({
      file, line: b.line, column: nameColumn, value: b.name,
      expected: `the name of state ${b.code} (given in ${codeColumn}); "${b.name}" is state ${b.named}: the row is miscoded or its columns are shifted`,
    })),
  };
}
