import { createHash } from 'node:crypto';
import { PERSONAL_FIELDS } from '../domain/index.js';

/*
 * The audit log is a hash chain: each entry's hash covers its content and the previous entry's hash, so editing,
 * removing or reordering any entry breaks every hash after it. Removing the newest entries leaves a valid shorter
 * chain; to catch that, the caller keeps the head (count and last hash) somewhere the log's writer cannot rewrite
 * (a separate table, a signed file, a periodic publication) and passes it to verifyChain.
 * Entries hold no personal data: they say *that* a personal field was read, never what it said.
 */

export type AuditDetail = Record<string, string | number | boolean | null>;

export interface AuditEntry {
  readonly seq: number;
  /** ISO 8601 timestamp. */
  readonly at: string;
  /** A user id, or 'anonymous'. */
  readonly actor: string;
  readonly action: string;
  /** What was acted on, e.g. `case:12` or `person:5#name`. */
  readonly target: string;
  readonly detail: AuditDetail;
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditFields = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** The head of the chain, stored apart from the entries so that truncation shows. */
export interface AuditHead {
  readonly count: number;
  readonly hash: string;
}

export type ChainVerdict =
  | { readonly ok: true; readonly count: number }
  | { readonly ok: false; readonly seq: number; readonly problem: 'edited' | 'removed-or-reordered' | 'bad-start' };

export const GENESIS_HASH = '0'.repeat(64);

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export class AuditError extends Error {
  override readonly name = 'AuditError';
}

// Compare key names without case or separators, so `date_of_birth` or `Name` are caught too.
const squash = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const PERSONAL_KEYS = new Set(PERSONAL_FIELDS.map(squash));

/** Throws if a detail key is a personal field: log `{ field: 'name' }`, never `{ name: '…' }`. */
export function assertNoPersonalData(detail: Record<string, unknown>): void {
  for (const key of Object.keys(detail)) {
    if (PERSONAL_KEYS.has(squash(key))) {
      throw new AuditError(`audit detail may not carry the personal field "${key}": record that it was read (e.g. { field: "${key}" }), not its value`);
    }
  }
}

function assertDetailValues(detail: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(detail)) {
    const ok = value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    // Non-finite numbers would serialise as null and two different entries would share a hash.
    if (!ok) throw new AuditError(`audit detail "${key}" must be a string, a finite number, a boolean or null`);
  }
}

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function hashOf(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, target, detail, prevHash } = entry;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, target, detail, prevHash }), 'utf8').digest('hex');
}

/** The entry that follows `prev` (or starts the chain when `prev` is null). */
export function chainEntry(prev: AuditEntry | null, fields: AuditFields): AuditEntry {
  if (!ISO_TIMESTAMP.test(fields.at) || Number.isNaN(Date.parse(fields.at))) throw new AuditError(`"at" must be an ISO 8601 timestamp, got ${fields.at}`);
  for (const key of ['actor', 'action', 'target'] as const) if (fields[key].trim() === '') throw new AuditError(`"${key}" may not be empty`);
  assertNoPersonalData(fields.detail);
  assertDetailValues(fields.detail);
  const unhashed = {
    seq: prev === null ? 1 : prev.seq + 1,
    at: fields.at,
    actor: fields.actor,
    action: fields.action,
    target: fields.target,
    detail: { ...fields.detail },
    prevHash: prev === null ? GENESIS_HASH : prev.hash,
  };
  return { ...unhashed, hash: hashOf(unhashed) };
}

/**
 * Checks entries in stored order. `seq` in a failure is the position (1-based) where the chain first breaks, which
 * up to that point is also the entry's true sequence number.
 */
export function verifyChain(entries: readonly AuditEntry[], head?: AuditHead): ChainVerdict {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as AuditEntry;
    const position = i + 1;
    if (hashOf(entry) !== entry.hash) return { ok: false, seq: position, problem: 'edited' };
    const prev = entries[i - 1];
    if (prev === undefined) {
      if (entry.seq !== 1 || entry.prevHash !== GENESIS_HASH) return { ok: false, seq: position, problem: 'bad-start' };
    } else if (entry.prevHash !== prev.hash || entry.seq !== prev.seq + 1) {
      return { ok: false, seq: position, problem: 'removed-or-reordered' };
    }
  }
  if (head) {
    const last = entries[entries.length - 1];
    // Fewer entries than the head says: the newest were removed.
    if (head.count > entries.length) return { ok: false, seq: entries.length + 1, problem: 'removed-or-reordered' };
    // The same count with another hash, or entries the head does not cover: the tail was rewritten.
    if (head.count < entries.length) return { ok: false, seq: head.count + 1, problem: 'edited' };
    if ((last?.hash ?? GENESIS_HASH) !== head.hash) return { ok: false, seq: Math.max(entries.length, 1), problem: 'edited' };
  }
  return { ok: true, count: entries.length };
}

/** The head to store beside the log after appending `last` (null for an empty log). */
export function headOf(last: AuditEntry | null): AuditHead {
  return last === null ? { count: 0, hash: GENESIS_HASH } : { count: last.seq, hash: last.hash };
}
