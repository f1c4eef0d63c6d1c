import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Store } from '../store/index.js';
import { TEST_PG_URL, tempPgStore } from './pg-store.js';
import { tempStore } from './temp-store.js';

export interface TestStore {
  readonly store: Store;
  readonly kind: 'duckdb' | 'postgres';
  /** Everything the database keeps on disk for this store, as bytes: the DuckDB files, or a pg_dump of the schema. */
  rawDump(): Promise<Buffer[]>;
  cleanup(): Promise<void>;
}

/**
 * The store a test suite runs against: DuckDB unless OBSERVA_TEST_STORE=postgres. Suites that must pass on both
 * adapters have a `*.postgres.test.ts` twin that sets the variable and imports them.
 */
export async function testStore(): Promise<TestStore> {
  if (process.env['OBSERVA_TEST_STORE'] === 'postgres') {
    const t = await tempPgStore();
    return {
      store: t.store,
      kind: 'postgres',
      rawDump: async () => {
        const { stdout } = await promisify(execFile)('pg_dump', ['--dbname', TEST_PG_URL, '--schema', t.schema, '--data-only'], { maxBuffer: 256 << 20, encoding: 'buffer' });
        return [stdout];
      },
      cleanup: t.cleanup,
    };
  }
  const t = await tempStore();
  return {
    store: t.store,
    kind: 'duckdb',
    rawDump: async () => {
      await t.store.write((tx) => tx.run('CHECKPOINT'));
      const out: Buffer[] = [];
      for (const file of readdirSync(t.dir)) {
        if (!file.startsWith('store.duckdb')) continue;
        try {
          out.push(readFileSync(join(t.dir, file)));
        } catch {
          // the spill directory
        }
      }
      return out;
    },
    cleanup: t.cleanup,
  };
}
