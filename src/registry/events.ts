import { CaseEventInput } from '../domain/index.js';
import type { DatePrecision, FuzzyDate, JusticeEventKind } from '../domain/index.js';
import type { Row, WriteTx } from '../store/index.js';
import { appendAudit as audit, registryWrite } from './audit-log.js';
import { loadCase } from './cases.js';
import { enforce, iso, nextId, nowOf, ready, requireUser } from './context.js';
import type { RegistryContext } from './context.js';
import type { Principal } from './policy.js';

// Events.

export interface EventView {
  readonly id: number;
  readonly caseId: number;
  readonly kind: JusticeEventKind;
  readonly date: FuzzyDate;
  readonly source: string;
  readonly sourceUrl: string | null;
  readonly reliability: string;
  readonly note: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export interface EventRow extends Row {
  id: number;
  case_id: number;
  kind: string;
  date_value: string;
  date_precision: string;
  source: string;
  source_url: string | null;
  reliability: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

export function eventView(row: EventRow): EventView {
  return {
    id: Number(row.id),
    caseId: Number(row.case_id),
    kind: row.kind as JusticeEventKind,
    date: { value: row.date_value, precision: row.date_precision as DatePrecision },
    source: row.source,
    sourceUrl: row.source_url,
    reliability: row.reliability,
    note: row.note,
    recordedAt: row.created_at,
    recordedBy: row.created_by,
  };
}

export async function insertEvent(tx: WriteTx, caseId: number, event: CaseEventInput, actor: string, at: Date): Promise<number> {
  const id = await nextId(tx, 'registry_event_seq');
  await tx.run(
    `INSERT INTO case_event (id, case_id, kind, date_value, date_precision, source, source_url, reliability, note, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))`,
    [id, caseId, event.kind, event.date.value, event.date.precision, event.source, event.sourceUrl ?? null, event.reliability, event.note ?? null, actor, iso(at)],
  );
  await audit(tx, at, actor, 'event.append', `case:${caseId}`, { event: id, kind: event.kind });
  return id;
}

export async function appendEvent(ctx: RegistryContext, principal: Principal, caseId: number, body: unknown): Promise<EventView> {
  await ready(ctx);
  const user = requireUser(principal);
  const event = CaseEventInput.parse(body);
  const at = nowOf(ctx);
  const id = await registryWrite(ctx.store, async (tx) => {
    const { record } = await loadCase(tx, caseId);
    enforce(principal, 'event.append', record);
    return insertEvent(tx, caseId, event, user.userId, at);
  });
  const [row] = await ctx.store.all<EventRow>('SELECT * FROM case_event WHERE id = ?', [id]);
  return eventView(row as EventRow);
}
