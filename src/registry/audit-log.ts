import type { Store, WriteTx } from '../store/index.js';
import { chainEntry, GENESIS_HASH, verifyChain } from './audit.js';
import type { AuditDetail, AuditEntry, ChainVerdict } from './audit.js';
import { iso } from './context.js';
import { registrySchemaReady } from './schema.js';

// The stored audit chain: registry writes (which lock its head), appending inside one, and verifying all of it.

/**
 * A write transaction on the registry. Its first statement locks the audit head row (a no-op UPDATE): in PostgreSQL
 * that row lock serialises registry writes across every server process on the store (the next one waits for this
 * one to commit, then sees its rows), so the chain never forks and read-then-write rules (next version, already
 * assigned, already erased) hold; in DuckDB one process writes anyway. Every registry write appends to the chain.
 */
export function registryWrite<T>(store: Store, work: (tx: WriteTx) => Promise<T>): Promise<T> {
  return store.write(async (tx) => {
    await tx.run('UPDATE audit_head SET entry_count = entry_count WHERE id = 1');
    return work(tx);
  });
}

export /** Appends one entry to the audit chain inside `tx`, chained from the stored head (so a removed tail cannot be papered over). */
async function appendAudit(tx: WriteTx, at: Date, actor: string, action: string, target: string, detail: AuditDetail = {}): Promise<AuditEntry> {
  const [head] = await tx.all<{ entry_count: number; hash: string }>('SELECT entry_count, hash FROM audit_head WHERE id = 1');
  if (!head) throw new Error('the audit head is missing: the registry schema was not created');
  const count = Number(head.entry_count);
  const prev: AuditEntry | null =
    count === 0 ? null : { seq: count, hash: head.hash, at: '', actor: '', action: '', target: '', detail: {}, prevHash: GENESIS_HASH };
  const entry = chainEntry(prev, { at: iso(at), actor, action, target, detail });
  await tx.run('INSERT INTO audit_log (seq, recorded_at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    entry.seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.target,
    JSON.stringify(entry.detail),
    entry.prevHash,
    entry.hash,
  ]);
  await tx.run('UPDATE audit_head SET entry_count = ?, hash = ? WHERE id = 1', [entry.seq, entry.hash]);
  return entry;
}

// The audit chain.

/** A detail that is not JSON any more was tampered with: keep it as text so that its hash fails. */
function parseDetail(text: string): AuditDetail {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as AuditDetail;
  } catch {
    // fall through
  }
  return { unparseable: text };
}

/** verifyChain over every audit entry in seq order, against the stored head. */
export async function verifyAudit(store: Store): Promise<ChainVerdict> {
  await registrySchemaReady(store);
  const rows = await store.all<{ seq: number; recorded_at: string; actor: string; action: string; target: string; detail: string; prev_hash: string; hash: string }>(
    'SELECT seq, recorded_at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq',
  );
  const [head] = await store.all<{ entry_count: number; hash: string }>('SELECT entry_count, hash FROM audit_head WHERE id = 1');
  const entries: AuditEntry[] = rows.map((r) => ({
    seq: Number(r.seq),
    at: r.recorded_at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    detail: parseDetail(r.detail),
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
  return verifyChain(entries, head ? { count: Number(head.entry_count), hash: head.hash } : { count: 0, hash: GENESIS_HASH });
}
