export type { Dialect, Param, ReadTx, Row, SessionTx, Store, TransactionOptions, WriteTx } from './store.js';
export { DuckDbStore, type OpenOptions } from './duckdb-store.js';
export { DIMENSION_COLUMNS, SCHEMA_VERSION, migrateServer, recordSeriesPeriods } from './schema.js';
export { EVIDENCE_INSERT, seedCatalogEvidence } from './evidence-seed.js';
export { PostgresStore, toPositional, type PostgresOptions } from './postgres-store.js';
export { publishToPostgres, type PublishSummary } from './publish.js';
export { isPostgresUrl, openStore } from './open.js';
export { checkIntegrity, describeRepair, isRepaired, type IntegrityReport } from './integrity.js';
export { AGGREGATE_TABLE, aggregateDifferences, refreshAggregates, refreshAggregatesFor, touchedBy, type Touched } from './aggregates.js';
