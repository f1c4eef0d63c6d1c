import { createHash } from 'node:crypto';
import type { CatalogEvidenceEntry } from '../domain/index.js';
import { insertRows } from './insert-rows.js';
import type { Param, WriteTx } from './store.js';

/** The columns every insert into the ledger names (the table's column order differs between new and migrated stores). */
const EVIDENCE_INTO = `INSERT INTO evidence (id, node, status, date, source, note_es, note_en, author, submitted_by, recorded_at,
  kind, publisher, title, disputes, origin, catalog_id, catalog_sha, submitter_token)`;
const EVIDENCE_ROW = `(?, ?, ?, ?::DATE, ?, ?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?)`;
export const EVIDENCE_INSERT = `${EVIDENCE_INTO} VALUES ${EVIDENCE_ROW}`;

/** Entries that are disputed come before the entries disputing them (the catalog refuses circles). */
function disputedFirst(entries: readonly CatalogEvidenceEntry[]): CatalogEvidenceEntry[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const ordered: CatalogEvidenceEntry[] = [];
  const placed = new Set<string>();
  const place = (e: CatalogEvidenceEntry, depth: number) => {
    if (placed.has(e.id) || depth > entries.length) return;
    const disputed = e.disputes === undefined ? undefined : byId.get(e.disputes);
    if (disputed) place(disputed, depth + 1);
    placed.add(e.id);
    ordered.push(e);
  };
  for (const e of entries) place(e, 0);
  return ordered;
}

/**
 * Loads the catalog's evidence into the ledger, origin `catalog`, approved by construction (reviewed in git).
 * Idempotent: an entry whose content (with the ledger id of what it disputes) is already there is not added again. A
 * changed entry is appended as a new row and the older version withdrawn; an entry gone from the catalog is withdrawn.
 * Nothing is updated or deleted: withdrawals are rows of `evidence_review`. Returns how many rows were added.
 */
export async function seedCatalogEvidence(tx: WriteTx, entries: readonly CatalogEvidenceEntry[]): Promise<{ added: number; withdrawn: number }> {
  const stored = await tx.all<{ id: number; catalog_id: string; catalog_sha: string; withdrawn: boolean }>(
    `SELECT e.id, e.catalog_id, e.catalog_sha, r.id IS NOT NULL AS withdrawn
     FROM evidence e LEFT JOIN evidence_review r ON r.evidence_id = e.id WHERE e.origin = 'catalog' ORDER BY e.id`,
  );
  /** Current (not withdrawn) ledger row of each catalog id. */
  const current = new Map<string, { id: number; sha: string }>();
  for (const r of stored) if (!r.withdrawn) current.set(r.catalog_id, { id: Number(r.id), sha: r.catalog_sha });
  const withdraw = async (id: number, reason: string) => {
    const [row] = await tx.all<{ id: number }>(`SELECT nextval('evidence_review_id_seq')::INTEGER AS id`);
    await tx.run(`INSERT INTO evidence_review (id, evidence_id, decision, reason, reviewer, reviewer_token, decided_at) VALUES (?, ?, 'withdrawn', ?, 'catalog', NULL, now())`, [
      Number(row?.id), id, reason,
    ]);
  };
  let added = 0;
  let withdrawn = 0;
  // Rows are written together after the loop (one statement per row was a fifth of opening a new store).
  const rows: Param[][] = [];
  const withdrawals: [number, string][] = [];
  for (const e of disputedFirst(entries)) {
    const disputes = e.disputes === undefined ? null : (current.get(e.disputes)?.id ?? null);
    const sha = createHash('sha256').update(JSON.stringify([e, disputes])).digest('hex');
    const seen = current.get(e.id);
    if (seen?.sha === sha) continue;
    const [row] = await tx.all<{ id: number }>(`SELECT nextval('evidence_id_seq')::INTEGER AS id`);
    const id = Number(row?.id);
    rows.push([
      id, e.node, e.status, e.date, e.source, e.note.es, e.note.en, e.publisher, 'catalog',
      e.kind, e.publisher, e.title, disputes, 'catalog', e.id, sha, null,
    ]);
    if (seen) {
      withdrawals.push([seen.id, `replaced by ledger entry ${id} (the catalog entry ${e.id} changed)`]);
      withdrawn += 1;
    }
    current.set(e.id, { id, sha });
    added += 1;
  }
  await insertRows(tx, EVIDENCE_INTO, EVIDENCE_ROW, rows);
  for (const [id, reason] of withdrawals) await withdraw(id, reason);
  const inCatalog = new Set(entries.map((e) => e.id));
  for (const [catalogId, row] of current) {
    if (inCatalog.has(catalogId)) continue;
    await withdraw(row.id, `the catalog entry ${catalogId} was removed from evidence.yaml`);
    withdrawn += 1;
  }
  return { added, withdrawn };
}
