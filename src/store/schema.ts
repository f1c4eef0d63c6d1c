import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { bundledDataPath, loadCatalog } from '../catalog/index.js';
import { aggregateDdl, rebuildAggregateTable } from './aggregates.js';
import { refreshTermSums, termSumsDdl } from './term-sums.js';
import { AGGREGATE_TABLE, DIMENSION_COLUMNS } from './columns.js';
import { seedCatalogEvidence } from './evidence-seed.js';
import { insertRows } from './insert-rows.js';
import { mapObservationDimensions, observationDdl, type ObservationLayout } from './observation-table.js';
import type { Store, WriteTx } from './store.js';

export { AGGREGATE_TABLE, DIMENSION_COLUMNS };

/**
 * 6: `observation_aggregate` (current observations summed at every level; see aggregates.ts). 7: it holds the sums above
 * each stored place only (a place's own values are read from `observation`): rebuilt at open. 8: DuckDB's `observation`
 * keeps the dimensions few sources have in one map column (observation-table.ts): rewritten at open.
 */
export const SCHEMA_VERSION = 9;


/** Columns added after schema 3, created on older stores by `migrate`. */
const ADDED_IN_4 = ['component', 'drug', 'citizenship', 'stage', 'cause', 'category'] as const;

/**
 * Schema 5 moves the ledger from actions to any Framework node (`action` renamed `node`) and adds these columns. Rows
 * recorded before review existed are `observa-judgement`s published by their author, origin `request`, and pending: nobody
 * reviewed them, so they wait for a reviewer like any new submission.
 */
const EVIDENCE_ADDED_IN_5: readonly (readonly [string, string, string])[] = [
  ['kind', 'VARCHAR', `'observa-judgement'`],
  ['publisher', 'VARCHAR', 'author'],
  ['title', 'VARCHAR', 'source'],
  ['disputes', 'INTEGER', 'NULL'],
  ['origin', 'VARCHAR', `'request'`],
  ['catalog_id', 'VARCHAR', 'NULL'],
  ['catalog_sha', 'VARCHAR', 'NULL'],
  ['submitter_token', 'INTEGER', 'NULL'],
];

/**
 * Tables of the monitoring layer, in SQL that DuckDB and PostgreSQL both accept (the server store creates these too).
 * Evidence is append-only: the code has no UPDATE or DELETE on it, and no route or command does. A review decision is a
 * row of `evidence_review` (one per entry); catalog entries are approved by construction (reviewed in git).
 */
export const MONITORING_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS evidence_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS evidence (
     id INTEGER PRIMARY KEY, node VARCHAR NOT NULL, status VARCHAR NOT NULL, date DATE NOT NULL, source VARCHAR NOT NULL,
     note_es VARCHAR, note_en VARCHAR, author VARCHAR NOT NULL, submitted_by VARCHAR NOT NULL, recorded_at TIMESTAMPTZ NOT NULL,
     ${EVIDENCE_ADDED_IN_5.map(([name, type, initial]) => `${name} ${type}${initial === 'NULL' ? '' : ' NOT NULL'}`).join(', ')})`,
  `CREATE SEQUENCE IF NOT EXISTS evidence_review_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS evidence_review (
     id INTEGER PRIMARY KEY, evidence_id INTEGER NOT NULL UNIQUE, decision VARCHAR NOT NULL, reason VARCHAR,
     reviewer VARCHAR NOT NULL, reviewer_token INTEGER, decided_at TIMESTAMPTZ NOT NULL)`,
  // Tokens are stored as SHA-256 of 256 random bits: a stolen table does not give a usable token.
  `CREATE SEQUENCE IF NOT EXISTS api_token_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS api_token (
     id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL, token_sha256 VARCHAR NOT NULL UNIQUE,
     created_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ)`,
];

async function migrateEvidenceTo5(tx: WriteTx): Promise<void> {
  const columns = await tx.all<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'evidence' AND table_schema = current_schema()`,
  );
  const names = new Set(columns.map((c) => c.name));
  if (names.has('node')) return;
  await tx.run(`ALTER TABLE evidence RENAME COLUMN action TO node`);
  for (const [name, type] of EVIDENCE_ADDED_IN_5) await tx.run(`ALTER TABLE evidence ADD COLUMN IF NOT EXISTS ${name} ${type}`);
  // One UPDATE after every ALTER: DuckDB refuses to commit a transaction that updates a table between two of its ALTERs.
  const filled = EVIDENCE_ADDED_IN_5.filter(([, , initial]) => initial !== 'NULL');
  await tx.run(`UPDATE evidence SET ${filled.map(([name, , initial]) => `${name} = ${initial}`).join(', ')}`);
}

/**
 * The statistics tables in DuckDB's words (`postgresDdl` translates the few types that differ), `observation` in
 * `layout`: mapped in DuckDB, wide (every dimension a column of its own) in the server store (observation-table.ts).
 */
const statisticsDdl = (layout: ObservationLayout): string[] => [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS geo (
     code VARCHAR PRIMARY KEY, level VARCHAR NOT NULL, country VARCHAR NOT NULL, parent VARCHAR,
     name_es VARCHAR NOT NULL, name_en VARCHAR NOT NULL, official_name VARCHAR NOT NULL, iso VARCHAR, abbr VARCHAR,
     unspecified BOOLEAN NOT NULL DEFAULT false)`,
  // Each geo with itself and every ancestor: aggregation to any level is one join.
  `CREATE TABLE IF NOT EXISTS geo_ancestor (geo VARCHAR NOT NULL, ancestor VARCHAR NOT NULL, PRIMARY KEY (geo, ancestor))`,
  `CREATE TABLE IF NOT EXISTS catalog_source (id VARCHAR PRIMARY KEY, doc JSON NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS catalog_indicator (code VARCHAR PRIMARY KEY, doc JSON NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS framework_node (id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, parent VARCHAR, doc JSON NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS framework_event (id VARCHAR PRIMARY KEY, date DATE NOT NULL, doc JSON NOT NULL)`,
  `CREATE SEQUENCE IF NOT EXISTS release_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS release (
     id INTEGER PRIMARY KEY, source_id VARCHAR NOT NULL, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
     byte_size BIGINT NOT NULL, row_count BIGINT NOT NULL, observation_count BIGINT NOT NULL,
     imported_at TIMESTAMPTZ NOT NULL, adapter_version VARCHAR NOT NULL, encoding VARCHAR NOT NULL,
     period_from VARCHAR, period_to VARCHAR, summary JSON NOT NULL)`,
  observationDdl(layout),
  // The periods each series holds (native frequency; months per year give partial-period flags cheaply). A release only
  // ever adds periods (older values of other periods stay current), so this grows by INSERT OR IGNORE from each import.
  `CREATE TABLE IF NOT EXISTS series_period (series VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL, PRIMARY KEY (series, freq, year, month))`,
  ...MONITORING_DDL,
  aggregateDdl(),
  // Assistance lines: the catalog's (origin 'catalog', re-seeded with it) and imported ones (origin 'import', with release).
  `CREATE TABLE IF NOT EXISTS assistance_line (id VARCHAR PRIMARY KEY, origin VARCHAR NOT NULL, release_id INTEGER, doc JSON NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS boundary (
     layer VARCHAR NOT NULL, geo VARCHAR, release_id INTEGER NOT NULL, geometry JSON NOT NULL, superseded_by INTEGER)`,
  // Secondary sources (transcribed or derived tables): the address each value was taken from, per observation of the
  // release (same key as the observation within its release: series, geo, period, category). Written with the release.
  `CREATE TABLE IF NOT EXISTS observation_source (
     release_id INTEGER NOT NULL, series VARCHAR NOT NULL, geo VARCHAR NOT NULL, period VARCHAR NOT NULL, year SMALLINT NOT NULL,
     category VARCHAR NOT NULL, line INTEGER NOT NULL, url VARCHAR NOT NULL, outlet VARCHAR NOT NULL, note VARCHAR NOT NULL)`,
  // IOM Missing Migrants incidents, as published (one row per incident), kept with the release that brought them.
  `CREATE TABLE IF NOT EXISTS migrant_incident (
     release_id INTEGER NOT NULL, incident_id VARCHAR NOT NULL, date DATE, year SMALLINT NOT NULL, month TINYINT NOT NULL, route VARCHAR NOT NULL, region VARCHAR NOT NULL,
     dead INTEGER NOT NULL, missing INTEGER NOT NULL, cause VARCHAR NOT NULL, lon DOUBLE PRECISION, lat DOUBLE PRECISION,
     location VARCHAR NOT NULL, information_source VARCHAR NOT NULL, url VARCHAR NOT NULL, line INTEGER NOT NULL)`,
];

async function seedGeography(tx: WriteTx): Promise<void> {
  const { geography } = loadCatalog();
  await tx.run('DELETE FROM geo_ancestor');
  await tx.run('DELETE FROM geo');
  await insertRows(tx, 'INSERT INTO geo', `(?, 'country', ?, NULL, ?, ?, ?, ?, NULL, false)`,
    geography.countries.map((c) => [c.code, c.code === '00' ? 'MX' : c.code, c.es, c.en, c.official, c.iso === '' ? null : c.iso]));
  await insertRows(tx, 'INSERT INTO geo', `(?, 'state', 'MX', '00', ?, ?, ?, ?, ?, false)`,
    geography.states.map((s) => [s.code, s.es, s.en, s.official, s.iso, s.abbr]));
  await tx.run(`INSERT INTO geo VALUES ('99', 'state', 'MX', '00', 'Entidad no especificada', 'State not specified', 'Entidad no especificada', NULL, NULL, true)`);
  // INEGI's catalogue of municipalities (official names), plus the codes registries use for "no municipality" / "unknown".
  const municipalities = bundledDataPath('geo/cve_nom_municipios.csv');
  if (tx.dialect === 'duckdb') {
    await tx.run(`INSERT INTO geo
      SELECT cve_geo, 'municipality', 'MX', cve_ent, nombre_municipio, nombre_municipio, nombre_municipio, NULL, NULL, false
      FROM read_csv('${municipalities.replaceAll("'", "''")}', header=true, all_varchar=true, delim=',', quote='"')`);
  } else {
    // PostgreSQL cannot read the file from the server's disk: parse it here and insert in batches.
    const rows = parse(readFileSync(municipalities, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    await insertRows(tx, 'INSERT INTO geo', `(?, 'municipality', 'MX', ?, ?, ?, ?, NULL, NULL, false)`,
      rows.map((r) => [r['cve_geo'] ?? '', r['cve_ent'] ?? '', r['nombre_municipio'] ?? '', r['nombre_municipio'] ?? '', r['nombre_municipio'] ?? '']));
  }
  await tx.run(`INSERT INTO geo
    SELECT s.code || u.suffix, 'municipality', 'MX', s.code, u.es, u.en, u.es, NULL, NULL, true
    FROM geo s, (VALUES ('998', 'Sin municipio de referencia', 'No municipality of reference'),
                        ('999', 'Municipio no especificado', 'Municipality not specified')) u(suffix, es, en)
    WHERE s.level = 'state'`);
  // CBP regions (children of US) and areas of responsibility (children of their region); official_name is CBP's own
  // spelling, which the CBP adapters match on.
  await insertRows(tx, 'INSERT INTO geo', `(?, 'region', 'US', 'US', ?, ?, ?, NULL, NULL, false)`, geography.usBorder.regions.map((r) => [r.code, r.es, r.en, r.cbp]));
  await insertRows(tx, 'INSERT INTO geo', `(?, 'area', 'US', ?, ?, ?, ?, NULL, NULL, false)`,
    geography.usBorder.areas.map((a) => [a.code, a.code.split('-').slice(0, 2).join('-'), a.es, a.en, a.cbp]));
  await tx.run(`INSERT INTO geo_ancestor
    SELECT code, code FROM geo
    UNION ALL SELECT code, parent FROM geo WHERE parent IS NOT NULL
    UNION ALL SELECT g.code, p.parent FROM geo g JOIN geo p ON g.parent = p.code WHERE p.parent IS NOT NULL`);
}

async function seedCatalog(tx: WriteTx): Promise<void> {
  const catalog = loadCatalog();
  await seedGeography(tx);
  for (const table of ['catalog_source', 'catalog_indicator', 'framework_node', 'framework_event']) await tx.run(`DELETE FROM ${table}`);
  await insertRows(tx, 'INSERT INTO catalog_source', '(?, ?)', catalog.sources.map((s) => [s.id, JSON.stringify(s)]));
  await insertRows(tx, 'INSERT INTO catalog_indicator', '(?, ?)', catalog.indicators.map((i) => [i.code, JSON.stringify(i)]));
  await insertRows(tx, 'INSERT INTO framework_node', '(?, ?, ?, ?)', catalog.framework.nodes.map((n) => [n.id, n.kind, n.parent, JSON.stringify(n)]));
  await insertRows(tx, 'INSERT INTO framework_event', '(?, ?, ?)', catalog.framework.events.map((e) => [e.id, e.date, JSON.stringify(e)]));
  await tx.run(`DELETE FROM assistance_line WHERE origin = 'catalog'`);
  await insertRows(tx, 'INSERT INTO assistance_line', `(?, 'catalog', NULL, ?)`, catalog.monitoring.assistance.map((l) => [l.id, JSON.stringify(l)]));
}

/** Records the periods present in `table` (an observation-shaped table). */
export async function recordSeriesPeriods(tx: WriteTx, table: string): Promise<void> {
  await tx.run(`INSERT OR IGNORE INTO series_period SELECT DISTINCT series, freq, year, coalesce(month, 0) FROM ${table}`);
}

export function catalogFingerprint(): string {
  const c = loadCatalog();
  return createHash('sha256').update(JSON.stringify([c.framework, c.indicators, c.sources, c.geography, c.monitoring, c.evidence])).digest('hex').slice(0, 16);
}

/** Creates the schema and (re)seeds the catalog when the code ships a different one. */
export async function migrate(store: Store, options: { seedCatalog: boolean; onNotice?: (message: string) => void }): Promise<void> {
  await store.write(async (tx) => {
    for (const statement of [...statisticsDdl('mapped'), ...termSumsDdl()]) await tx.run(statement);
    const rows = await tx.all<{ key: string; value: string }>(`SELECT key, value FROM meta`);
    const meta = new Map(rows.map((r) => [r.key, r.value]));
    const stored = Number(meta.get('schema_version') ?? SCHEMA_VERSION);
    if (stored > SCHEMA_VERSION) {
      throw new Error(`the store was written by a newer Observa (schema ${stored}; this one knows ${SCHEMA_VERSION})`);
    }
    if (stored < 2) await recordSeriesPeriods(tx, '(SELECT * FROM observation WHERE superseded_by IS NULL)');
    if (stored < 4) {
      for (const c of ADDED_IN_4) await tx.run(`ALTER TABLE observation ADD COLUMN IF NOT EXISTS ${c} VARCHAR NOT NULL DEFAULT ''`);
    }
    if (stored < 5) await migrateEvidenceTo5(tx);
    if (stored < 8) await mapObservationDimensions(tx, options.onNotice);
    // Rebuilding the aggregates rebuilds the terms' yearly sums too; a new catalog may read other terms.
    if (stored < 7) await rebuildAggregateTable(tx);
    const fingerprint = catalogFingerprint();
    const catalogChanged = options.seedCatalog && meta.get('catalog_fingerprint') !== fingerprint;
    if (stored >= 7 && (stored < 9 || catalogChanged)) await refreshTermSums(tx, 'all');
    await tx.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)`, [String(SCHEMA_VERSION)]);
    if (catalogChanged) {
      await seedCatalog(tx);
      await tx.run(`INSERT OR REPLACE INTO meta VALUES ('catalog_fingerprint', ?)`, [fingerprint]);
      await tx.run(`INSERT OR REPLACE INTO meta VALUES ('framework_version', ?)`, [loadCatalog().framework.version]);
    }
    if (options.seedCatalog) await seedCatalogEvidence(tx, loadCatalog().evidence.entries);
  });
}

/**
 * The PostgreSQL server store's schema: the same tables as the embedded store. Statistics arrive by `observa publish`
 * (imports run in DuckDB, which reads the published files); the case registry creates its own tables.
 */
export async function migrateServer(store: Store): Promise<void> {
  await store.write(async (tx) => {
    // Several server processes may open one schema at once: one of them migrates and seeds, the others wait and see it done.
    await tx.run("SELECT pg_advisory_xact_lock(hashtext('observa.server-schema'))");
    for (const statement of statisticsDdl('wide')) await tx.run(postgresDdl(statement));
    for (const statement of POSTGRES_INDEXES) await tx.run(statement);
    await migrateEvidenceTo5(tx);
    // A server store published by an Observa without aggregates, or with each place's own values copied in them
    // (schema 6), gets them anew from its observations.
    const [version] = await tx.all<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`);
    if (version !== undefined && Number(version.value) < 7) {
      await rebuildAggregateTable(tx, [postgresDdl(aggregateDdl()), ...POSTGRES_INDEXES.filter((i) => i.includes(` ON ${AGGREGATE_TABLE} `))]);
    }
    // The catalog and the geography, so a server store answers (with no statistics) before its first publish.
    const [row] = await tx.all<{ value: string }>(`SELECT value FROM meta WHERE key = 'catalog_fingerprint'`);
    if (row === undefined) {
      await seedCatalog(tx);
      const upsert = `INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
      await tx.run(upsert, ['catalog_fingerprint', catalogFingerprint()]);
    }
    await tx.run(`INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [String(SCHEMA_VERSION)]);
    await seedCatalogEvidence(tx, loadCatalog().evidence.entries);
  });
}

/** DuckDB's DDL in PostgreSQL's words: lists become arrays, DOUBLE and TINYINT their PostgreSQL names. */
export function postgresDdl(statement: string): string {
  return statement
    .replaceAll('VARCHAR[] NOT NULL DEFAULT []', "TEXT[] NOT NULL DEFAULT '{}'")
    .replaceAll('DOUBLE NOT NULL', 'DOUBLE PRECISION NOT NULL')
    .replaceAll('TINYINT', 'SMALLINT');
}

/** Tables `observa publish` copies from the embedded store to the server store, in dependency order. */
export const PUBLISHED_TABLES = [
  'geo', 'geo_ancestor', 'catalog_source', 'catalog_indicator', 'framework_node', 'framework_event', 'release', 'observation',
  'series_period', AGGREGATE_TABLE, 'boundary', 'assistance_line', 'observation_source', 'migrant_incident',
] as const;

/** Indexes the server store needs for the indicator queries (DuckDB scans; PostgreSQL wants an index). */
export const POSTGRES_INDEXES = [
  `CREATE INDEX IF NOT EXISTS observation_series_year ON observation (series, year, freq) WHERE superseded_by IS NULL`,
  `CREATE INDEX IF NOT EXISTS observation_geo_series_year ON observation (geo, series, year) WHERE superseded_by IS NULL`,
  `CREATE INDEX IF NOT EXISTS observation_release ON observation (release_id)`,
  `CREATE INDEX IF NOT EXISTS geo_ancestor_ancestor ON geo_ancestor (ancestor, geo)`,
  `CREATE INDEX IF NOT EXISTS ${AGGREGATE_TABLE}_series_geo_year ON ${AGGREGATE_TABLE} (series, geo, year)`,
  `CREATE INDEX IF NOT EXISTS boundary_layer ON boundary (layer)`,
];
