export type { Param, ReadTx, Row, SessionTx, Store, WriteTx } from './store.js';
export { DuckDbStore, type OpenOptions } from './duckdb-store.js';
export { DIMENSION_COLUMNS, SCHEMA_VERSION, recordSeriesPeriods } from './schema.js';
