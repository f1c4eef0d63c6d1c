import { DIMENSION_COLUMNS, MAPPED_DIMENSIONS, MAPPED_DIMENSIONS_COLUMN } from './columns.js';
import type { WriteTx } from './store.js';

/**
 * The `observation` table: how it is laid out, and how rows are written into it. Readers name its columns (the
 * dimensions among them) the same way in either layout.
 * - 'mapped' (DuckDB, schema 8): the dimensions few sources have (`MAPPED_DIMENSIONS`) in one map column, read through
 *   generated columns of their own names (an empty map reads '' without a lookup).
 * - 'wide': every dimension a column of its own. The PostgreSQL server store's layout, and DuckDB's before schema 8.
 */
export type ObservationLayout = 'mapped' | 'wide';

const mapped = new Set<string>(MAPPED_DIMENSIONS);

/** The columns an INSERT writes besides the dimensions, in table order around them. */
const BEFORE_DIMENSIONS = ['release_id', 'series', 'geo', 'period', 'freq', 'year', 'month'] as const;
const AFTER_DIMENSIONS = ['value', 'flags', 'superseded_by'] as const;

/** Every column a reader sees, in table order (the map column, a means of storage, is not one of them). */
export const OBSERVATION_COLUMNS_READ = [...BEFORE_DIMENSIONS, ...DIMENSION_COLUMNS, ...AFTER_DIMENSIONS] as const;

/** The table's definition in `layout` (`table`: another name, for a table rewritten beside it). */
export function observationDdl(layout: ObservationLayout, table = 'observation'): string {
  const dimension = (c: string) => (layout === 'mapped' && mapped.has(c)
    ? `${c} VARCHAR GENERATED ALWAYS AS (CASE WHEN cardinality(${MAPPED_DIMENSIONS_COLUMN}) = 0 THEN '' ELSE coalesce(${MAPPED_DIMENSIONS_COLUMN}['${c}'], '') END) VIRTUAL`
    : `${c} VARCHAR NOT NULL DEFAULT ''`);
  return `CREATE TABLE IF NOT EXISTS ${table} (
     release_id INTEGER NOT NULL, series VARCHAR NOT NULL, geo VARCHAR NOT NULL,
     period VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT,
     ${DIMENSION_COLUMNS.map(dimension).join(', ')},
     value DOUBLE NOT NULL, flags VARCHAR[] NOT NULL DEFAULT [], superseded_by INTEGER${
       layout === 'mapped' ? `, ${MAPPED_DIMENSIONS_COLUMN} MAP(VARCHAR, VARCHAR) NOT NULL DEFAULT MAP {}` : ''})`;
}

/** The map column's value from the mapped dimensions as columns of `alias` (each '' or a value): empty when all are ''. */
function mappedDimensionsValue(alias: string): string {
  const all = MAPPED_DIMENSIONS.map((c) => `${alias}.${c}`);
  return `CASE WHEN ${all.map((c) => `${c} = ''`).join(' AND ')} THEN MAP {}
    ELSE map_from_entries(list_filter([${MAPPED_DIMENSIONS.map((c) => `{'key': '${c}', 'value': ${alias}.${c}}`).join(', ')}], e -> e.value <> '')) END`;
}

/**
 * An INSERT of the rows `select` yields into DuckDB's `observation` (the mapped layout; `table`: another name). `select`
 * names every column a reader sees (`OBSERVATION_COLUMNS_READ`), in any order. Only DuckDB stores are written row by row:
 * imports run there, and the server store receives whole tables from `publish`.
 */
export function insertObservations(select: string, table = 'observation'): string {
  const stored = OBSERVATION_COLUMNS_READ.filter((c) => !mapped.has(c));
  return `INSERT INTO ${table} (${stored.join(', ')}, ${MAPPED_DIMENSIONS_COLUMN})
    SELECT ${stored.map((c) => `r.${c}`).join(', ')}, ${mappedDimensionsValue('r')} FROM (${select}) AS r`;
}

/**
 * Schema 8 on a DuckDB store: the table rewritten in the mapped layout (same rows, same order, in the caller's
 * transaction: an interrupted migration leaves the wide table as it was).
 */
export async function mapObservationDimensions(tx: WriteTx, onNotice?: (message: string) => void): Promise<void> {
  const [has] = await tx.all<{ n: number }>(
    `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'observation' AND column_name = ? AND table_schema = current_schema()`,
    [MAPPED_DIMENSIONS_COLUMN],
  );
  if ((has?.n ?? 0) > 0) return;
  const [rows] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM observation`);
  // Measured: 6.5 s at first open for a 10 M-cell store (the bundled files: about a second).
  onNotice?.(`rewriting the ${(rows?.n ?? 0).toLocaleString('en-US')} stored observations for schema 8 (once; about 6 s per 10 million)…`);
  await tx.run(observationDdl('mapped', 'observation_mapped'));
  await tx.run(insertObservations(`SELECT * FROM observation`, 'observation_mapped'));
  await tx.run(`DROP TABLE observation`);
  await tx.run(`ALTER TABLE observation_mapped RENAME TO observation`);
}
