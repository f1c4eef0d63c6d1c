import { loadCatalog } from '../catalog/index.js';
import { EvidenceInput, InputError, type CompletionStatus, type EvidenceEntry } from '../domain/index.js';
import { isoSecond } from '../analytics/index.js';
import type { ReadTx, Store } from '../store/index.js';

interface EvidenceRow {
  id: number;
  action: string;
  status: CompletionStatus;
  date: string;
  source: string;
  note_es: string | null;
  note_en: string | null;
  author: string;
  submitted_by: string;
  recorded_at: string;
}

const toEntry = (r: EvidenceRow): EvidenceEntry => ({
  id: Number(r.id),
  action: r.action,
  status: r.status,
  date: r.date,
  source: r.source,
  note: { ...(r.note_es === null ? {} : { es: r.note_es }), ...(r.note_en === null ? {} : { en: r.note_en }) },
  author: r.author,
  submittedBy: r.submitted_by,
  recordedAt: r.recorded_at,
});

/**
 * Appends one entry to the ledger. Entries are never edited or deleted: a change of status or a correction is a new
 * entry, and the history keeps both.
 */
export async function addEvidence(store: Store, input: unknown, submittedBy: string, origin = 'request'): Promise<EvidenceEntry> {
  const parsed = EvidenceInput.safeParse(input);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((i) => ({ file: origin, column: i.path.join('.') || '(body)', expected: i.message })));
  }
  const entry = parsed.data;
  const node = loadCatalog().framework.nodes.find((n) => n.id === entry.action);
  if (node?.kind !== 'action') {
    throw new InputError([{ file: origin, column: 'action', value: entry.action, expected: 'the id of an action of the Framework catalog (e.g. 1.3.b.1)' }]);
  }
  if (Number.isNaN(Date.parse(`${entry.date}T00:00:00Z`))) {
    throw new InputError([{ file: origin, column: 'date', value: entry.date, expected: 'a real calendar date' }]);
  }
  const id = await store.write(async (tx) => {
    const [row] = await tx.all<{ id: number }>(`SELECT nextval('evidence_id_seq')::INTEGER AS id`);
    const next = Number(row?.id);
    await tx.run(`INSERT INTO evidence VALUES (?, ?, ?, ?::DATE, ?, ?, ?, ?, ?, now())`, [
      next, entry.action, entry.status, entry.date, entry.source, entry.note.es ?? null, entry.note.en ?? null, entry.author, submittedBy,
    ]);
    return next;
  });
  const [stored] = await listEvidence(store, { id });
  if (!stored) throw new Error(`evidence entry ${id} was not stored`);
  return stored;
}

export interface EvidenceFilter {
  readonly id?: number;
  readonly action?: string;
  /** Entries whose evidence date falls in [from, to] (inclusive, YYYY-MM-DD). */
  readonly from?: string;
  readonly to?: string;
}

/** The ledger in the order entries were recorded (oldest first). An action id also matches the actions below it. */
export async function listEvidence(tx: ReadTx, filter: EvidenceFilter = {}): Promise<EvidenceEntry[]> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.id !== undefined) where.push(`id = ${Math.trunc(filter.id)}`);
  if (filter.action !== undefined) {
    where.push(`(action = ? OR action LIKE ?)`);
    params.push(filter.action, `${filter.action}.%`);
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
    `SELECT id, action, status, date, source, note_es, note_en, author, submitted_by, recorded_at
     FROM evidence ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
    params,
  );
  // Dates and instants come back as ISO text from either store; the ledger shows days and seconds.
  return rows.map((r) => toEntry({ ...r, date: String(r.date).slice(0, 10), recorded_at: isoSecond(r.recorded_at) }));
}

/** The current status of each action: its entry with the latest evidence date (ties: the one recorded last). */
export function currentStatus(entries: readonly EvidenceEntry[]): Map<string, EvidenceEntry> {
  const current = new Map<string, EvidenceEntry>();
  for (const e of entries) {
    const seen = current.get(e.action);
    if (!seen || e.date > seen.date || (e.date === seen.date && e.id > seen.id)) current.set(e.action, e);
  }
  return current;
}
