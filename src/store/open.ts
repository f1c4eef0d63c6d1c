import { DuckDbStore, type OpenOptions } from './duckdb-store.js';
import { PostgresStore } from './postgres-store.js';
import { migrateServer } from './schema.js';
import type { Store } from './store.js';

export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//i.test(location);

/** The embedded DuckDB file by default; a postgres:// URL opens the server store (schema via `?schema=`). */
export function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  return isPostgresUrl(location) ? PostgresStore.open(location, { migrate: migrateServer }) : DuckDbStore.open(location, options);
}
