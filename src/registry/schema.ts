import type { Store } from '../store/index.js';
import { GENESIS_HASH } from './audit.js';

/*
 * Tables of the case registry, in SQL that DuckDB and PostgreSQL both accept: sequences with nextval, plain
 * VARCHAR/INTEGER/BIGINT/BOOLEAN/TIMESTAMPTZ types, JSON kept as VARCHAR text, no dialect-only statements.
 * Timestamps are formatted in TypeScript (ISO 8601, UTC) and cast on the way in.
 *
 * No foreign keys: DuckDB refuses UPDATE on rows that a foreign key references, and three tables here take narrow
 * updates (failed logins, session revocation, crypto-shredding a person's data key). The repository checks references.
 *
 * What is append-only: case_record (a correction is a new version), case_event, person_field, audit_log, intake.
 * The only UPDATEs in the repository: app_user (failed_logins, locked_until), user_session (revoked),
 * person (wrapped_dek set to NULL on erasure), audit_head (moved forward with every entry; locked first by every
 * registry write), rate_limit (counters) and login_device (failures, last use, revoked).
 */
export const REGISTRY_DDL: readonly string[] = [
  `CREATE SEQUENCE IF NOT EXISTS registry_organisation_seq START 1`,
  `CREATE TABLE IF NOT EXISTS organisation (
     id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL)`,

  `CREATE SEQUENCE IF NOT EXISTS registry_user_seq START 1`,
  `CREATE TABLE IF NOT EXISTS app_user (
     id VARCHAR PRIMARY KEY, email VARCHAR NOT NULL UNIQUE, password_hash VARCHAR NOT NULL, role VARCHAR NOT NULL,
     organisation_id VARCHAR NOT NULL, failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TIMESTAMPTZ,
     created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL)`,

  // Sessions are stored as the SHA-256 of a 256-bit bearer token: a copy of the table gives no usable token.
  `CREATE TABLE IF NOT EXISTS user_session (
     token_sha256 VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
     expires_at TIMESTAMPTZ NOT NULL, revoked BOOLEAN NOT NULL DEFAULT FALSE)`,

  `CREATE SEQUENCE IF NOT EXISTS registry_case_seq START 1`,
  `CREATE TABLE IF NOT EXISTS case_record (
     case_id BIGINT NOT NULL, version INTEGER NOT NULL, type VARCHAR NOT NULL, state VARCHAR NOT NULL, municipality VARCHAR,
     occurred_value VARCHAR NOT NULL, occurred_precision VARCHAR NOT NULL, reported_value VARCHAR, reported_precision VARCHAR,
     summary_public VARCHAR, owning_organisation_id VARCHAR NOT NULL, visibility VARCHAR NOT NULL, shared_with VARCHAR NOT NULL,
     created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
     PRIMARY KEY (case_id, version))`,

  `CREATE TABLE IF NOT EXISTS case_assignment (
     case_id BIGINT NOT NULL, user_id VARCHAR NOT NULL, assigned_by VARCHAR NOT NULL, assigned_at TIMESTAMPTZ NOT NULL,
     PRIMARY KEY (case_id, user_id))`,

  `CREATE SEQUENCE IF NOT EXISTS registry_person_seq START 1`,
  // Non-personal fields only; wrapped_dek is NULL once the person's data has been erased (crypto-shredding).
  `CREATE TABLE IF NOT EXISTS person (
     id BIGINT PRIMARY KEY, case_id BIGINT NOT NULL, role VARCHAR NOT NULL, institution VARCHAR, sex VARCHAR NOT NULL,
     age_at_event INTEGER, nationality VARCHAR, wrapped_dek VARCHAR, created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
     erased_by VARCHAR, erased_at TIMESTAMPTZ)`,
  // Personal fields, each sealed under the person's data key with AAD binding it to person, field and version.
  `CREATE TABLE IF NOT EXISTS person_field (
     person_id BIGINT NOT NULL, field VARCHAR NOT NULL, version INTEGER NOT NULL, ciphertext VARCHAR NOT NULL,
     created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
     PRIMARY KEY (person_id, field, version))`,

  `CREATE SEQUENCE IF NOT EXISTS registry_event_seq START 1`,
  `CREATE TABLE IF NOT EXISTS case_event (
     id BIGINT PRIMARY KEY, case_id BIGINT NOT NULL, kind VARCHAR NOT NULL, date_value VARCHAR NOT NULL, date_precision VARCHAR NOT NULL,
     source VARCHAR NOT NULL, source_url VARCHAR, reliability VARCHAR NOT NULL, note VARCHAR,
     created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL)`,

  // `recorded_at` (the entry's `at`; AT is a keyword) is kept as the exact ISO string that was hashed, so verification never depends on timestamp round-trips.
  `CREATE TABLE IF NOT EXISTS audit_log (
     seq BIGINT PRIMARY KEY, recorded_at VARCHAR NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, target VARCHAR NOT NULL,
     detail VARCHAR NOT NULL, prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY, entry_count BIGINT NOT NULL, hash VARCHAR NOT NULL)`,
  `INSERT INTO audit_head (id, entry_count, hash) SELECT 1, 0, '${GENESIS_HASH}' WHERE NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1)`,

  // Only the SHA-256 of the receipt code the family keeps.
  `CREATE TABLE IF NOT EXISTS intake (
     receipt_sha256 VARCHAR PRIMARY KEY, case_id BIGINT NOT NULL, share_with VARCHAR NOT NULL, ransom_demanded BOOLEAN NOT NULL,
     created_at TIMESTAMPTZ NOT NULL)`,
  // Reports past the global hourly budget are still taken, marked 'over-budget' for the receiving organisation to triage.
  `ALTER TABLE intake ADD COLUMN IF NOT EXISTS triage VARCHAR`,
  // "No sé": a family may not know whether a ransom was demanded (NULL).
  `ALTER TABLE intake ALTER COLUMN ransom_demanded DROP NOT NULL`,

  // Shared counters (fixed windows) for rate limits: every server process on one store counts in the same rows.
  `CREATE TABLE IF NOT EXISTS rate_limit (bucket VARCHAR PRIMARY KEY, window_start BIGINT NOT NULL, hits INTEGER NOT NULL)`,
  // Devices that signed in before (the SHA-256 of a token the client keeps): their own failure count, so that a lockout
  // caused by strangers does not lock out the account's owner on a device they used before.
  `CREATE TABLE IF NOT EXISTS login_device (
     token_sha256 VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, failures INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL,
     last_used_at TIMESTAMPTZ NOT NULL, revoked BOOLEAN NOT NULL DEFAULT FALSE)`,
];

/** The registry's tables, in the order REGISTRY_DDL creates them (used by tests that dump everything). */
export const REGISTRY_TABLES = [
  'organisation',
  'app_user',
  'user_session',
  'case_record',
  'case_assignment',
  'person',
  'person_field',
  'case_event',
  'audit_log',
  'audit_head',
  'intake',
  'rate_limit',
  'login_device',
] as const;

/** Creates whatever registry tables are missing; idempotent, all in one transaction. */
export async function ensureRegistrySchema(store: Store): Promise<void> {
  await store.write(async (tx) => {
    // Several server processes may start at once on one PostgreSQL: one creates, the others wait and find it done.
    if (tx.dialect === 'postgres') await tx.run("SELECT pg_advisory_xact_lock(hashtext('observa.registry-schema'))");
    for (const sql of REGISTRY_DDL) await tx.run(sql);
  });
}

const ready = new WeakSet<Store>();

/** ensureRegistrySchema once per store object. */
export async function registrySchemaReady(store: Store): Promise<void> {
  if (ready.has(store)) return;
  await ensureRegistrySchema(store);
  ready.add(store);
}
