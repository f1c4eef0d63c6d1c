import { AGGREGATE_TABLE, DIMENSION_COLUMNS } from './columns.js';
import type { Dialect, ReadTx, WriteTx } from './store.js';
import { refreshTermSums } from './term-sums.js';
import { touchedCondition, type Touched } from './touched.js';

export type { Touched };

/**
 * `observation_aggregate`: the current observations summed at every place *above* the place they are stored at (through
 * `geo_ancestor`: a state's at its country, a municipality's at its state and country…), per series, period and
 * dimension values, keeping each release id and set of flags apart (they are part of the key; flags as sorted
 * comma-separated text), with the number of observations summed (`n`). A place's own values are not copied here: they
 * are the current observations themselves, which a query reads beside these sums. A national series is then a few
 * hundred rows instead of a scan and a join of every state's, and a query reads its releases and flags from the rows
 * instead of rebuilding them per observation. As DHIS2's analytics tables, but rebuilt only for the series × years a
 * release touched, inside the release's transaction (a release commits with its aggregates, or neither).
 */
export { AGGREGATE_TABLE };

/** Key columns of an aggregate row, in table order (the ancestor is `geo`). */
function keyColumns(): string[] {
  return ['series', 'geo', 'freq', 'year', 'month', 'period', ...DIMENSION_COLUMNS, 'release_id', 'flags'];
}

/** The table's definition (DuckDB's words; `postgresDdl` translates). */
export function aggregateDdl(): string {
  return `CREATE TABLE IF NOT EXISTS ${AGGREGATE_TABLE} (
     series VARCHAR NOT NULL, geo VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT, period VARCHAR NOT NULL,
     ${DIMENSION_COLUMNS.map((c) => `${c} VARCHAR NOT NULL DEFAULT ''`).join(', ')},
     release_id INTEGER NOT NULL, flags VARCHAR NOT NULL DEFAULT '', value DOUBLE NOT NULL, n INTEGER NOT NULL)`;
}


/** The series × years an observation-shaped table (a release's staged rows) holds. */
export async function touchedBy(tx: ReadTx, table: string): Promise<Touched[]> {
  const rows = await tx.all<{ series: string; year: number }>(`SELECT DISTINCT series, year FROM ${table}`);
  const bySeries = new Map<string, number[]>();
  for (const r of rows) bySeries.set(r.series, [...(bySeries.get(r.series) ?? []), Number(r.year)]);
  return [...bySeries].map(([series, years]) => ({ series, years }));
}

/**
 * An observation's flags as one text, sorted and comma-separated ('' for none, without sorting an empty list: most
 * observations have no flag): grouping and collecting text is cheap, where lists as group keys cost a query more than
 * the sums themselves (measured: 0.23 s for 15,000 rows).
 */
function flagsText(dialect: Dialect): string {
  return dialect === 'duckdb'
    ? `CASE WHEN len(o.flags) = 0 THEN '' ELSE array_to_string(list_sort(o.flags), ',') END`
    : `CASE WHEN cardinality(o.flags) = 0 THEN '' ELSE array_to_string(ARRAY(SELECT f FROM unnest(o.flags) AS f ORDER BY 1), ',') END`;
}

/**
 * The sums of the current observations that `where` (on `o`) selects at every place above the one they are stored at,
 * in two steps: each observation is summed into its place's parent (one join to a code → parent map, no fan-out: a
 * million municipal cells become a few thousand state sums), and only those sums are rolled up through
 * `geo_ancestor` to the parent itself and every place above it. Joining every stored row to every ancestor instead cost
 * twice as much on a municipal file. Not sorted: the table holds sums only (a few percent of the observations), and an
 * ORDER BY cost the rebuild more than it saved the queries.
 */
function aboveSelect(dialect: Dialect, where: string, emptyDimensions: ReadonlySet<string>): string {
  // A dimension no summed row has ('' throughout: 9 of the 13 for a municipal crime file) is written as '' rather than
  // grouped on: grouping ten million rows on those constant text columns was a third of the grouping (1.4 s → 0.9 s).
  const grouped = ['freq', 'year', 'month', 'period', ...DIMENSION_COLUMNS.filter((c) => !emptyDimensions.has(c)), 'release_id'];
  const out = (alias: string) => ['freq', 'year', 'month', 'period', ...DIMENSION_COLUMNS, 'release_id']
    .map((c) => (emptyDimensions.has(c) ? `'' AS ${c}` : `${alias}.${c}`)).join(', ');
  return `WITH p AS (
      SELECT o.series, g.parent AS geo, ${grouped.map((c) => `o.${c}`).join(', ')}, ${flagsText(dialect)} AS flags, sum(o.value) AS value, count(*) AS n
      FROM observation o JOIN geo g ON g.code = o.geo
      WHERE o.superseded_by IS NULL AND g.parent IS NOT NULL AND ${where}
      GROUP BY o.series, g.parent, ${grouped.map((c) => `o.${c}`).join(', ')}, ${flagsText(dialect)})
    SELECT p.series, a.ancestor, ${out('p')}, p.flags, sum(p.value) AS value, sum(p.n) AS n
    FROM p JOIN geo_ancestor a ON a.geo = p.geo
    GROUP BY p.series, a.ancestor, ${grouped.map((c) => `p.${c}`).join(', ')}, p.flags`;
}

/**
 * The dimensions that are '' in every current observation `where` selects: those of a few rows first (a dimension one of
 * them has is no candidate), then one pass over the candidates only (constant columns read cheaply), far cheaper than
 * grouping on them.
 */
async function emptyDimensionsOf(tx: ReadTx, where: string): Promise<Set<string>> {
  const selected = `FROM observation o WHERE o.superseded_by IS NULL AND ${where}`;
  const emptyIn = async (columns: readonly string[], limit: string) => {
    if (columns.length === 0) return [];
    const [row] = await tx.all<Record<string, boolean | null>>(
      `SELECT ${columns.map((c) => `bool_and(${c} = '') AS ${c}`).join(', ')} FROM (SELECT ${columns.map((c) => `o.${c}`).join(', ')} ${selected}${limit}) AS d`,
    );
    return columns.filter((c) => row?.[c] === true);
  };
  return new Set(await emptyIn(await emptyIn(DIMENSION_COLUMNS, ' LIMIT 2048'), ''));
}

/**
 * Rebuilds the aggregates of what a write touched (or all of them), and the terms' yearly sums, from the current
 * observations. Call it in the write's transaction, after its observations and supersessions: the release and its
 * aggregates commit together.
 */
export async function refreshAggregates(tx: WriteTx, touched: readonly Touched[] | 'all'): Promise<void> {
  const where = touched === 'all' ? 'true' : touchedCondition(touched, 'o');
  if (where === null) return;
  // Each catalog term's yearly sums (DuckDB), for the same series × years (term-sums.ts).
  await refreshTermSums(tx, touched);
  await tx.run(touched === 'all' ? `DELETE FROM ${AGGREGATE_TABLE}` : `DELETE FROM ${AGGREGATE_TABLE} o WHERE ${where}`);
  const insert = `INSERT INTO ${AGGREGATE_TABLE} (${keyColumns().join(', ')}, value, n) ${aboveSelect(tx.dialect, where, await emptyDimensionsOf(tx, where))}`;
  if (tx.dialect !== 'duckdb') return tx.run(insert);
  // Joins as written (the places' small tables hashed, the observations streamed through): inside an import, the new
  // observations are not yet committed and DuckDB, without their statistics, hashed the million rows instead (measured:
  // 0.8–1.4 s for SESNSP's and a municipal file's, 0.2 s with the joins as written).
  // Appended through the transaction (RETURNING: one appending thread), never as a parallel INSERT, whose row groups
  // readers see during the COMMIT beside the sums it replaces (docs/architecture.md, "Readers and writers").
  await tx.run(`SET disabled_optimizers = 'join_order,build_side_probe_side'`);
  try {
    await tx.run(`${insert} RETURNING NULL`);
  } finally {
    await tx.run(`RESET disabled_optimizers`);
  }
}

/**
 * Drops the aggregate table and builds it anew from the current observations: a store written before schema 7 holds each
 * place's own values in it too (and the column that told them apart). `ddl`: the statements creating the table and its
 * indexes in the store's dialect (DuckDB's table definition by default).
 */
export async function rebuildAggregateTable(tx: WriteTx, ddl: readonly string[] = [aggregateDdl()]): Promise<void> {
  await tx.run(`DROP TABLE IF EXISTS ${AGGREGATE_TABLE}`);
  for (const statement of ddl) await tx.run(statement);
  await refreshAggregates(tx, 'all');
}

/** Rebuilds the aggregates of the series × years a staged table (e.g. a release's `stage_obs`) holds. */
export async function refreshAggregatesFor(tx: WriteTx, stagedTable: string): Promise<void> {
  await refreshAggregates(tx, await touchedBy(tx, stagedTable));
}

/**
 * Series × years whose aggregates disagree with the current observations: at each level of places (country, state,
 * region…), the count and sum of the aggregates must equal those of the observations rolled up there from the places
 * under it (a place's own observations are not in the aggregates).
 * As costly as a rebuild (run after a WAL replay), but it names what differs.
 */
export async function aggregateDifferences(tx: ReadTx): Promise<Touched[]> {
  const rows = await tx.all<{ series: string; year: number }>(`
    WITH b AS (SELECT o.series, o.year, g.level, count(*) AS n, sum(o.value) AS v
               FROM observation o JOIN geo_ancestor a ON a.geo = o.geo AND a.ancestor <> o.geo JOIN geo g ON g.code = a.ancestor
               WHERE o.superseded_by IS NULL GROUP BY 1, 2, 3),
         t AS (SELECT x.series, x.year, g.level, sum(x.n) AS n, sum(x.value) AS v
               FROM ${AGGREGATE_TABLE} x JOIN geo g ON g.code = x.geo GROUP BY 1, 2, 3)
    SELECT DISTINCT coalesce(b.series, t.series) AS series, coalesce(b.year, t.year) AS year
    FROM b FULL OUTER JOIN t ON t.series = b.series AND t.year = b.year AND t.level = b.level
    WHERE b.n IS NULL OR t.n IS NULL OR b.n <> t.n OR abs(b.v - t.v) > 1e-6 * greatest(1, abs(b.v))
    ORDER BY 1, 2`);
  return rows.map((r) => ({ series: r.series, years: [Number(r.year)] }));
}
