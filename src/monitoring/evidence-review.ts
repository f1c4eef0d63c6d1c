import { EvidenceDecision, InputError, RequestError, type EvidenceEntry } from '../domain/index.js';
import type { ReadTx, Store } from '../store/index.js';
import { LEDGER_SQL, listEvidence, requireRole } from './evidence.js';
import type { TokenHolder } from './tokens.js';

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Records a reviewer's decision on a submitted entry: approved entries become public, rejected ones stay in the ledger
 * with their reason and out of every public view. One decision per entry, by a second person: the submitter's own
 * token, or a token with the submitter's name, is refused. The decision is a new row; the entry is not changed.
 */
export async function reviewEvidence(store: Store, id: number, input: unknown, reviewer: TokenHolder, origin = 'request'): Promise<EvidenceEntry> {
  requireRole(reviewer, ['reviewer', 'admin'], 'reviewing evidence');
  const parsed = EvidenceDecision.safeParse(input);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((i) => ({ file: origin, column: i.path.join('.') || '(body)', expected: i.message })));
  }
  const { decision, reason } = parsed.data;
  await store.write(async (tx) => {
    const [entry] = await tx.all<{ origin: string; state: string; submitted_by: string; submitter_token: number | null }>(
      `SELECT origin, state, submitted_by, submitter_token FROM (${LEDGER_SQL}) AS ledger WHERE id = ?`, [id],
    );
    if (!entry) throw new RequestError('not_found', `no evidence entry ${id}`, { id });
    if (entry.origin === 'catalog') {
      throw new RequestError('conflict', `entry ${id} comes from the catalog (evidence.yaml), which is reviewed in git; change the file instead`, { id });
    }
    if (entry.state !== 'pending') {
      throw new RequestError('conflict', `entry ${id} was already ${entry.state}; a decision is final (submit a new entry to correct it)`, { id, state: entry.state });
    }
    if ((entry.submitter_token !== null && Number(entry.submitter_token) === reviewer.id) || sameName(entry.submitted_by, reviewer.name)) {
      throw new RequestError(
        'forbidden',
        `self-approval refused: entry ${id} was submitted by "${entry.submitted_by}", and "${reviewer.name}" cannot review it; a second person with the reviewer role must`,
        { id, submittedBy: entry.submitted_by },
      );
    }
    const [row] = await tx.all<{ id: number }>(`SELECT nextval('evidence_review_id_seq')::INTEGER AS id`);
    await tx.run(
      `INSERT INTO evidence_review (id, evidence_id, decision, reason, reviewer, reviewer_token, decided_at) VALUES (?, ?, ?, ?, ?, ?, now())`,
      [Number(row?.id), id, decision === 'approve' ? 'approved' : 'rejected', reason ?? null, reviewer.name, reviewer.id],
    );
  }).catch((error: unknown) => {
    // Two reviewers at once on a server store: the UNIQUE entry of evidence_review lets one decision in.
    if (!(error instanceof RequestError) && /unique|duplicate/i.test(String((error as Error).message))) {
      throw new RequestError('conflict', `entry ${id} was decided by another reviewer a moment ago; a decision is final`, { id });
    }
    throw error;
  });
  const [stored] = await listEvidence(store, { id, visibility: 'ledger' });
  if (!stored) throw new Error(`evidence entry ${id} vanished`);
  return stored;
}

/** Entries waiting for a reviewer, oldest first. */
export function listPending(tx: ReadTx): Promise<EvidenceEntry[]> {
  return listEvidence(tx, { state: 'pending' });
}
