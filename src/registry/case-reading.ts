import { z } from 'zod';
import { CASE_TYPE_LABELS, furthestStage, spreadsheetSafe } from '../domain/index.js';
import type { JusticeEventKind } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { appendAudit as audit, registryWrite } from './audit-log.js';
import { caseView, LATEST_VERSIONS, loadCase, recordContext } from './cases.js';
import type { CaseRow, CaseSummary, CaseView } from './cases.js';
import { enforce, groupBy, nowOf, ready, requireUser } from './context.js';
import type { RegistryContext } from './context.js';
import { eventView } from './events.js';
import type { EventRow, EventView } from './events.js';
import { basicPerson } from './persons.js';
import type { PersonRow, PersonView } from './persons.js';
import { decide } from './policy.js';
import type { Action, Principal } from './policy.js';

// Reading cases (never personal fields).

export interface CaseDetail {
  readonly case: CaseSummary;
  /** Non-personal view of each person: personal fields are null here; read one person to see them (audited). */
  readonly persons: PersonView[];
  readonly events: EventView[];
}

async function eventsOf(tx: ReadTx, caseId: number): Promise<EventView[]> {
  return (await tx.all<EventRow>('SELECT * FROM case_event WHERE case_id = ? ORDER BY id', [caseId])).map(eventView);
}

export async function getCase(ctx: RegistryContext, principal: Principal, caseId: number): Promise<CaseDetail> {
  await ready(ctx);
  const { row, record } = await loadCase(ctx.store, caseId);
  enforce(principal, 'case.read', record);
  const events = await eventsOf(ctx.store, caseId);
  const persons = decide(principal, 'person.read-basic', record).allow
    ? (await ctx.store.all<PersonRow>('SELECT * FROM person WHERE case_id = ? ORDER BY id', [caseId])).map(basicPerson)
    : [];
  return { case: { ...caseView(row), stage: furthestStage(events) }, persons, events };
}

export interface CaseHistory {
  readonly versions: CaseView[];
  readonly events: EventView[];
}

export async function caseHistory(ctx: RegistryContext, principal: Principal, caseId: number): Promise<CaseHistory> {
  await ready(ctx);
  const { record } = await loadCase(ctx.store, caseId);
  enforce(principal, 'case.history', record);
  const versions = await ctx.store.all<CaseRow>('SELECT * FROM case_record WHERE case_id = ? ORDER BY version', [caseId]);
  return { versions: versions.map(caseView), events: await eventsOf(ctx.store, caseId) };
}

/** Latest versions the principal may take `action` on, with their funnel stage. */
async function casesFor(ctx: RegistryContext, principal: Principal, action: Action): Promise<CaseSummary[]> {
  await ready(ctx);
  // Nothing to show to someone who is not signed in; skip the reads.
  if (principal.kind !== 'user') return [];
  const [rows, assignments, events] = await Promise.all([
    ctx.store.all<CaseRow>(`${LATEST_VERSIONS} ORDER BY c.case_id`),
    ctx.store.all<{ case_id: number; user_id: string }>('SELECT case_id, user_id FROM case_assignment'),
    ctx.store.all<{ case_id: number; kind: JusticeEventKind; date_value: string; date_precision: string }>('SELECT case_id, kind, date_value, date_precision FROM case_event'),
  ]);
  const assigned = groupBy(assignments, (a) => Number(a.case_id), (a) => a.user_id);
  const kinds = groupBy(events, (e) => Number(e.case_id), (e) => ({ kind: e.kind }));
  return rows
    .filter((row) => decide(principal, action, recordContext(row, assigned.get(Number(row.case_id)) ?? [])).allow)
    .map((row) => ({ ...caseView(row), stage: furthestStage(kinds.get(Number(row.case_id)) ?? []) }));
}

export function listCases(ctx: RegistryContext, principal: Principal): Promise<CaseSummary[]> {
  return casesFor(ctx, principal, 'case.list');
}

/**
 * Search over non-personal fields only (id, type and its labels, state, municipality, dates, public summary), for
 * everyone: personal fields are never decrypted for a search, so a name cannot be found, or confirmed, by searching.
 */
export async function searchCases(ctx: RegistryContext, principal: Principal, query: string): Promise<CaseSummary[]> {
  const q = z.string().trim().min(1, 'the search needs at least one character').max(200).parse(query).toLowerCase();
  const cases = await casesFor(ctx, principal, 'case.search');
  return cases.filter((c) => searchableText(c).includes(q));
}

function searchableText(c: CaseSummary): string {
  const label = CASE_TYPE_LABELS[c.type];
  return [String(c.id), c.type, label.es, label.en, c.state, c.municipality ?? '', c.occurredOn.value, c.reportedOn?.value ?? '', c.summaryPublic?.es ?? '', c.summaryPublic?.en ?? '', c.visibility, c.stage ?? '']
    .join('\n')
    .toLowerCase();
}

const EXPORT_COLUMNS = [
  'id', 'version', 'type', 'state', 'municipality', 'occurred_on', 'occurred_precision', 'reported_on', 'reported_precision',
  'visibility', 'owning_organisation', 'stage', 'summary_es', 'summary_en', 'recorded_at',
] as const;

/** One CSV cell, quoted when needed; cells that a spreadsheet would run as a formula are prefixed with '. */
function csvCell(value: string | number | null): string {
  const text = spreadsheetSafe(value === null ? '' : String(value));
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The cases the principal may export, as CSV with no personal field at all (persons are not exported). The export itself is audited. */
export async function exportRedacted(ctx: RegistryContext, principal: Principal): Promise<string> {
  const user = requireUser(principal);
  const cases = await casesFor(ctx, principal, 'case.export-redacted');
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const c of cases) {
    const cells = [
      c.id, c.version, c.type, c.state, c.municipality, c.occurredOn.value, c.occurredOn.precision, c.reportedOn?.value ?? null,
      c.reportedOn?.precision ?? null, c.visibility, c.owningOrganisationId, c.stage, c.summaryPublic?.es ?? null, c.summaryPublic?.en ?? null, c.recordedAt,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  const at = nowOf(ctx);
  await registryWrite(ctx.store, (tx) => audit(tx, at, user.userId, 'case.export', 'cases', { rows: cases.length }));
  return `${lines.join('\r\n')}\r\n`;
}
