import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore, migrateServer, type Store } from '../store/index.js';

/** The PostgreSQL the tests use: these machines run one at 127.0.0.1:5432 (trust auth, database `test`). */
export const TEST_PG_URL = process.env['OBSERVA_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TempPgStore {
  readonly store: PostgresStore;
  readonly schema: string;
  cleanup(): Promise<void>;
}

/** A real PostgreSQL store in a schema of its own, dropped at cleanup. */
export async function tempPgStore(migrate: (store: Store) => Promise<void> = migrateServer): Promise<TempPgStore> {
  const schema = `observa_t_${randomBytes(6).toString('hex')}`;
  const store = await PostgresStore.open(TEST_PG_URL, { schema, migrate });
  return {
    store,
    schema,
    cleanup: async () => {
      await store.close().catch(() => undefined);
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
