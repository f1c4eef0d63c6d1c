import { isoSecond } from '../analytics/index.js';
import { loadCatalog } from '../catalog/index.js';
import {
  EvidenceInput, InputError, RequestError, type CompletionStatus, type EvidenceEntry, type EvidenceKind, type EvidenceOrigin, type ReviewState,
} from '../domain/index.js';
import { EVIDENCE_INSERT, type ReadTx, type Store } from '../store/index.js';
import type { TokenHolder } from './tokens.js';

interface EvidenceRow {
  id: number;
  node: string;
  status: CompletionStatus;
  date: string;
  kind: EvidenceKind;
  publisher: string;
  title: string;
  source: string;
  note_es: string | null;
  note_en: string | null;
  author: string;
  disputes: number | null;
  origin: EvidenceOrigin;
  catalog_id: string | null;
  submitted_by: string;
  recorded_at: string;
  state: ReviewState;
  reviewer: string | null;
  decided_at: string | null;
  reason: string | null;
}

const toEntry = (r: EvidenceRow): EvidenceEntry => ({
  id: Number(r.id),
  node: r.node,
  status: r.status,
  date: String(r.date).slice(0, 10),
  kind: r.kind,
  publisher: r.publisher,
  title: r.title,
  source: r.source,
  note: { ...(r.note_es === null ? {} : { es: r.note_es }), ...(r.note_en === null ? {} : { en: r.note_en }) },
  author: r.author,
  ...(r.disputes === null || r.disputes === undefined ? {} : { disputes: Number(r.disputes) }),
  origin: r.origin,
  catalogId: r.catalog_id ?? null,
  submittedBy: r.submitted_by,
  // Dates and instants come back as ISO text from either store; the ledger shows days and seconds.
  recordedAt: isoSecond(r.recorded_at),
  review: {
    state: r.state,
    reviewer: r.reviewer ?? null,
    reviewedAt: r.decided_at === null || r.decided_at === undefined ? null : isoSecond(r.decided_at),
    reason: r.reason ?? null,
  },
});

/**
 * Every row of the ledger with its review state: the decision recorded for it, else `approved` for catalog entries
 * (reviewed in git) and `pending` for submitted ones.
 */
export const LEDGER_SQL = `SELECT e.id, e.node, e.status, e.date, e.kind, e.publisher, e.title, e.source, e.note_es, e.note_en, e.author, e.disputes,
    e.origin, e.catalog_id, e.submitted_by, e.submitter_token, e.recorded_at,
    coalesce(r.decision, CASE WHEN e.origin = 'catalog' THEN 'approved' ELSE 'pending' END) AS state,
    CASE WHEN r.id IS NULL AND e.origin = 'catalog' THEN 'catalog' ELSE r.reviewer END AS reviewer, r.decided_at, r.reason
  FROM evidence e LEFT JOIN evidence_review r ON r.evidence_id = e.id`;

export interface EvidenceFilter {
  readonly id?: number;
  /** A node id: entries about it and about every node below it. */
  readonly node?: string;
  readonly kind?: EvidenceKind;
  /** Entries whose evidence date falls in [from, to] (inclusive, YYYY-MM-DD). */
  readonly from?: string;
  readonly to?: string;
  /**
   * `public` (the default): approved entries only, what pages, the public API, the scorecard and the report show.
   * `ledger`: every row with its review state (pending, rejected and withdrawn too), for token holders.
   */
  readonly visibility?: 'public' | 'ledger';
  /** Only entries in this review state (implies the ledger). */
  readonly state?: ReviewState;
}

/** The ledger in the order entries were recorded (oldest first). */
export async function listEvidence(tx: ReadTx, filter: EvidenceFilter = {}): Promise<EvidenceEntry[]> {
  const where: string[] = [];
  const params: string[] = [];
  const state = filter.state ?? (filter.visibility === 'ledger' ? undefined : 'approved');
  if (state !== undefined) {
    where.push(`state = ?`);
    params.push(state);
  }
  if (filter.id !== undefined) where.push(`id = ${Math.trunc(filter.id)}`);
  if (filter.node !== undefined) {
    where.push(`(node = ? OR node LIKE ?)`);
    params.push(filter.node, `${filter.node}.%`);
  }
  if (filter.kind !== undefined) {
    where.push(`kind = ?`);
    params.push(filter.kind);
  }
  if (filter.from !== undefined) {
    where.push(`date >= ?::DATE`);
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push(`date <= ?::DATE`);
    params.push(filter.to);
  }
  const rows = await tx.all<EvidenceRow & Record<string, unknown>>(
    `SELECT * FROM (${LEDGER_SQL}) AS ledger ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
    params,
  );
  return rows.map(toEntry);
}

/**
 * Appends one entry to the ledger, pending until a second person with the reviewer role approves it. Entries are never
 * edited or deleted: a change of status or a correction is a new entry, and the history keeps both.
 */
export async function addEvidence(store: Store, input: unknown, submitter: TokenHolder, origin = 'request'): Promise<EvidenceEntry> {
  const parsed = EvidenceInput.safeParse(input);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((i) => ({ file: origin, column: i.path.join('.') || '(body)', expected: i.message })));
  }
  const entry = parsed.data;
  if (!loadCatalog().framework.nodes.some((n) => n.id === entry.node)) {
    throw new InputError([{ file: origin, column: 'node', value: entry.node, expected: 'the id of a goal, area, objective or action of the Framework catalog (e.g. 2, 2.1, 2.1.a or 1.3.b.1)' }]);
  }
  const id = await store.write(async (tx) => {
    if (entry.disputes !== undefined) {
      const [disputed] = await tx.all<{ state: string }>(`SELECT state FROM (${LEDGER_SQL}) AS ledger WHERE id = ?`, [entry.disputes]);
      if (!disputed || disputed.state === 'rejected' || disputed.state === 'withdrawn') {
        throw new InputError([{ file: origin, column: 'disputes', value: String(entry.disputes), expected: 'the ledger id of an entry that is pending or approved' }]);
      }
    }
    const [row] = await tx.all<{ id: number }>(`SELECT nextval('evidence_id_seq')::INTEGER AS id`);
    const next = Number(row?.id);
    await tx.run(EVIDENCE_INSERT, [
      next, entry.node, entry.status, entry.date, entry.source, entry.note.es ?? null, entry.note.en ?? null, entry.author, submitter.name,
      entry.kind, entry.publisher, entry.title, entry.disputes ?? null, 'request', null, null, submitter.id,
    ]);
    return next;
  });
  const [stored] = await listEvidence(store, { id, visibility: 'ledger' });
  if (!stored) throw new Error(`evidence entry ${id} was not stored`);
  return stored;
}

/** The current status of each node: its entry with the latest evidence date (ties: the one recorded last). */
export function currentStatus(entries: readonly EvidenceEntry[]): Map<string, EvidenceEntry> {
  const current = new Map<string, EvidenceEntry>();
  for (const e of entries) {
    const seen = current.get(e.node);
    if (!seen || e.date > seen.date || (e.date === seen.date && e.id > seen.id)) current.set(e.node, e);
  }
  return current;
}

/** Refuses holders whose role cannot do `what` (RequestError forbidden, 403). */
export function requireRole(holder: TokenHolder, roles: readonly TokenHolder['role'][], what: string): void {
  if (!roles.includes(holder.role)) {
    throw new RequestError('forbidden', `${what} needs a token with role ${roles.join(' or ')}; "${holder.name}" holds a ${holder.role} token`, { role: holder.role });
  }
}
