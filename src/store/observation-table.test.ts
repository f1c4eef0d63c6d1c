import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { aggregateDifferences } from './aggregates.js';
import { MAPPED_DIMENSIONS, MAPPED_DIMENSIONS_COLUMN } from './columns.js';
import { DuckDbStore } from './duckdb-store.js';
import { OBSERVATION_COLUMNS_READ, observationDdl } from './observation-table.js';
import { SCHEMA_VERSION } from './schema.js';
import type { ReadTx } from './store.js';

// DuckDB's observation keeps the dimensions few sources have in one map column, read through generated columns of their
// own names (observation-table.ts). The bundled files hold such dimensions (CBP's component and drug, IOM's cause, a
// WJP factor's category…): they must read back as imported, and a store of the wide layout (schema 7) must become the
// mapped one at open with the same rows in the same order.

/** Every column a reader sees, row by row in storage order, as one string. */
async function content(tx: ReadTx): Promise<string> {
  const [row] = await tx.all<{ n: number; h: string }>(
    `SELECT count(*) AS n, sum(hash(rowid, ${OBSERVATION_COLUMNS_READ.join(', ')}))::VARCHAR AS h FROM observation`,
  );
  return `${row?.n}:${row?.h}`;
}

/** Rows with each mapped dimension set. */
async function setCounts(tx: ReadTx): Promise<Record<string, number>> {
  const [row] = await tx.all<Record<string, number>>(`SELECT ${MAPPED_DIMENSIONS.map((c) => `count(*) FILTER (WHERE ${c} <> '') AS ${c}`).join(', ')} FROM observation`);
  return row ?? {};
}

describe('observation: the dimensions few sources have, in one map column', () => {
  let t: TempStore;
  beforeAll(async () => {
    t = await loadedStore();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('holds only the dimensions a row has, and reads them back through columns of their own names', async () => {
    const counts = await setCounts(t.store);
    for (const c of ['component', 'drug', 'citizenship', 'cause', 'category']) expect(counts[c], c).toBeGreaterThan(0);
    const [stored] = await t.store.all<{ mapped: number; any: number; blank: number; entries: number; set: number }>(
      `SELECT count(*) FILTER (WHERE cardinality(${MAPPED_DIMENSIONS_COLUMN}) > 0) AS mapped,
              count(*) FILTER (WHERE ${MAPPED_DIMENSIONS.map((c) => `${c} <> ''`).join(' OR ')}) AS any,
              count(*) FILTER (WHERE list_contains(map_values(${MAPPED_DIMENSIONS_COLUMN}), '')) AS blank,
              sum(cardinality(${MAPPED_DIMENSIONS_COLUMN})) AS entries,
              ${MAPPED_DIMENSIONS.map((c) => `count(*) FILTER (WHERE ${c} <> '')`).join(' + ')} AS set
       FROM observation`,
    );
    expect(stored?.mapped).toBe(stored?.any);
    expect(stored?.blank).toBe(0);
    expect(stored?.entries).toBe(stored?.set);
    // A CBP seizure row: its drug and component are in the map, and read as columns.
    const [seizure] = await t.store.all<{ drug: string; component: string; map: string }>(
      `SELECT drug, component, ${MAPPED_DIMENSIONS_COLUMN}::VARCHAR AS map FROM observation WHERE drug <> '' AND component <> '' LIMIT 1`,
    );
    expect(seizure?.map).toContain(`drug=${seizure?.drug}`);
    expect(seizure?.map).toContain(`component=${seizure?.component}`);
  });

  it(`a store of the wide layout (schema 7) is rewritten at open: same rows, same order, schema ${SCHEMA_VERSION}`, async () => {
    const before = await content(t.store);
    const counts = await setCounts(t.store);
    await t.store.write(async (tx) => {
      await tx.run(observationDdl('wide', 'observation_wide'));
      await tx.run(`INSERT INTO observation_wide SELECT ${OBSERVATION_COLUMNS_READ.join(', ')} FROM observation ORDER BY rowid`);
      await tx.run(`DROP TABLE observation`);
      await tx.run(`ALTER TABLE observation_wide RENAME TO observation`);
      await tx.run(`UPDATE meta SET value = '7' WHERE key = 'schema_version'`);
    });
    const column = `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'observation' AND column_name = '${MAPPED_DIMENSIONS_COLUMN}'`;
    expect(await t.store.all(column)).toEqual([{ n: 0 }]);
    expect(await content(t.store)).toBe(before);
    const [rows] = await t.store.all<{ n: number }>(`SELECT count(*) AS n FROM observation`);
    await t.store.close();
    const notices: string[] = [];
    const reopened = await DuckDbStore.open(t.path, { onNotice: (m) => notices.push(m) });
    try {
      // A person waiting at open is told why (the CLI prints it on stderr).
      expect(notices).toEqual([expect.stringContaining(`rewriting the ${(rows?.n ?? 0).toLocaleString('en-US')} stored observations for schema 8`)]);
      expect(await reopened.all(column)).toEqual([{ n: 1 }]);
      expect(await reopened.all(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([{ value: String(SCHEMA_VERSION) }]);
      expect(await content(reopened)).toBe(before);
      expect(await setCounts(reopened)).toEqual(counts);
      expect(await aggregateDifferences(reopened)).toEqual([]);
    } finally {
      await reopened.close();
    }
  });
});
