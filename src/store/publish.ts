import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { MAPPED_DIMENSIONS_COLUMN } from './columns.js';
import type { DuckDbStore } from './duckdb-store.js';
import type { PostgresStore } from './postgres-store.js';
import { PUBLISHED_TABLES, SCHEMA_VERSION, catalogFingerprint } from './schema.js';

export interface PublishSummary {
  readonly target: string;
  readonly tables: readonly { name: string; rows: number }[];
  readonly seconds: number;
}

/** A DuckDB column as CSV text PostgreSQL's COPY reads back as the same value. */
function exportExpression(column: string, type: string): string {
  if (type.endsWith('[]')) return `'{' || array_to_string("${column}", ',') || '}'`;
  if (type === 'JSON') return `"${column}"::VARCHAR`;
  if (type.startsWith('TIMESTAMP')) return `strftime("${column}", '%Y-%m-%d %H:%M:%S.%f%z')`;
  return `"${column}"`;
}

/**
 * Copies the statistics of the embedded store (which imports the published files with DuckDB's reader) into the
 * PostgreSQL server store, replacing what it held, in one transaction: readers of the server see the old data or the
 * new, never a mix. Evidence, tokens and the case registry are the server's own and are not touched.
 */
export async function publishToPostgres(source: DuckDbStore, target: PostgresStore, onTable?: (name: string, index: number, total: number) => void): Promise<PublishSummary> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'observa-publish-'));
  try {
    const exports: { name: string; columns: string[]; file: string; rows: number }[] = [];
    for (const name of PUBLISHED_TABLES) {
      // The server store's observation has every dimension as a column of its own: the generated columns are copied,
      // the map behind them (observation-table.ts) is not.
      const columns = await source.all<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? AND column_name <> ? ORDER BY ordinal_position`, [name, MAPPED_DIMENSIONS_COLUMN],
      );
      const file = join(dir, `${name}.csv`);
      const select = columns.map((c) => exportExpression(c.column_name, c.data_type)).join(', ');
      await source.all(`COPY (SELECT ${select} FROM ${name}) TO '${file.replaceAll("'", "''")}' (FORMAT csv, HEADER false)`);
      const [count] = await source.all<{ n: number }>(`SELECT count(*) AS n FROM ${name}`);
      exports.push({ name, columns: columns.map((c) => c.column_name), file, rows: Number(count?.n ?? 0) });
    }
    await target.clientTransaction(async (client) => {
      await client.query(`TRUNCATE ${PUBLISHED_TABLES.join(', ')}`);
      for (const [index, e] of exports.entries()) {
        onTable?.(e.name, index, exports.length);
        const copy = client.query(copyFrom(`COPY ${e.name} (${e.columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv)`));
        await pipeline(createReadStream(e.file), copy);
      }
      await client.query(`SELECT setval('release_id_seq', GREATEST((SELECT max(id) FROM release), 1))`);
      const meta: [string, string][] = [
        ['schema_version', String(SCHEMA_VERSION)], ['catalog_fingerprint', catalogFingerprint()],
        ['published_from', source.location], ['published_at', new Date().toISOString()],
      ];
      for (const [key, value] of meta) {
        await client.query(`INSERT INTO meta VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [key, value]);
      }
    });
    // Fresh statistics for the planner: the indicator queries join large and small tables.
    await target.all(`ANALYZE`);
    return { target: target.location, tables: exports.map(({ name, rows }) => ({ name, rows })), seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
